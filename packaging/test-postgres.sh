#!/usr/bin/env bash
# Make sure the PostgreSQL the integration tests use answers on 127.0.0.1:5432 with a
# database "test" that user postgres reaches without a password (docs/ARCHITECTURE.md, tests).
# On a machine where that already holds, it changes nothing.
set -euo pipefail

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
as_postgres=("${sudo_cmd[@]}" -u postgres)
[ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)

answers() { psql "postgresql://postgres@127.0.0.1:5432/test" -qAtc "select 1" >/dev/null 2>&1; }

answers && exit 0
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$version" ]; then
    echo "PostgreSQL is not installed: run 'bash packaging/install.sh --dev'." >&2
    exit 1
fi
"${sudo_cmd[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
    "${as_postgres[@]}" psql -qAtc "select 1" >/dev/null 2>&1 && break
    sleep 1
done
"${as_postgres[@]}" psql -qAtc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
    || "${as_postgres[@]}" createdb test
if ! answers; then
    # A fresh cluster asks for a password on TCP: trust user postgres on database test
    # from this machine only.
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    "${sudo_cmd[@]}" sed -i '1i host test postgres 127.0.0.1/32 trust' "$hba"
    "${as_postgres[@]}" psql -qAtc "select pg_reload_conf()" >/dev/null
fi
answers || { echo "PostgreSQL on 127.0.0.1:5432 still does not answer." >&2; exit 1; }
