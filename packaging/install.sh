#!/usr/bin/env bash
# Install RepairShop into ./.venv on Debian or Ubuntu (Python 3.11 or newer).
#
#   bash packaging/install.sh          the app: system libraries Qt needs, then the package
#                                      from requirements/app.txt
#   bash packaging/install.sh --dev    also the test, lint and build tools (requirements/lock.txt),
#                                      poppler-utils, appstream and desktop-file-utils (they
#                                      check the Linux package), and a PostgreSQL server for the
#                                      integration tests
#
# Safe to run again: it installs only what is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
dev=0
[ "${1:-}" = "--dev" ] && dev=1

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

# Libraries Qt's xcb and offscreen platforms load, libpulse0 without which Qt Multimedia (the
# desk's camera) does not load, and venv for Debian's Python.
packages=(python3-venv python3-pip libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3
          libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
          libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
          libxcb-xkb1 libxcb-xfixes0 libxrender1 libxi6 libnss3 libxcomposite1 libxdamage1
          libxrandr2 libxtst6 libasound2 libpulse0 cups-client)
if [ "$dev" = 1 ]; then
    packages+=(poppler-utils xvfb x11-xkb-utils xdotool postgresql cups printer-driver-cups-pdf
               appstream desktop-file-utils)
fi
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
    missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "Installing system packages: ${missing[*]}"
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
    fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
# Exact versions checked against their hashes (packaging/lock.sh writes both lock files from
# pyproject.toml), then RepairShop itself on top of them without resolving anything again.
lock=requirements/app.txt
[ "$dev" = 1 ] && lock=requirements/lock.txt
.venv/bin/python -m pip install --quiet --require-hashes --requirement "$lock"
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation --editable .
if ! problems=$(.venv/bin/python -m pip check); then
    echo "$problems" >&2
    echo "$lock does not hold what pyproject.toml asks for: run 'bash packaging/lock.sh'." >&2
    exit 1
fi

if [ "$dev" = 1 ]; then
    bash packaging/test-postgres.sh
fi
echo "RepairShop is installed: .venv/bin/repairshop"
