#!/usr/bin/env bash
# Check a built RepairShop folder (packaging/build-app.sh) the way a shop first meets it,
# with nothing from the source checkout or the virtualenv in reach:
#
#   bash packaging/check-app.sh dist/RepairShop
#
# creates a new SQLite database with the bundled command line, takes in a device (a Czech
# customer, so the receipt needs the bundled fonts and translations), writes the intake
# receipt as PDF and checks its text with pdftotext (poppler-utils), then starts the desktop
# app offscreen on that database and waits for its main window to show; on Linux it then
# installs the folder with its install-app.sh into a scratch prefix.
set -euo pipefail
app=$(cd "${1:?usage: check-app.sh DIST_FOLDER}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() {  # a step that waits for a person (a dialog nobody answers) fails instead of hanging
    env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        timeout --kill-after=10 300 "$@"
}
db="sqlite:///$work/shop.sqlite"

run "$app/repairshop" --db "$db" db upgrade
cat > intake.json <<'JSON'
{
  "customer": {"name": "Jiří Dvořák", "phone": "+420 603 123 456", "language": "cs"},
  "device": {"type": "phone", "brand": "Samsung", "model": "Galaxy S23", "imei": "356938035643809"},
  "job_type": "paid_repair",
  "fault": "Nenabíjí, konektor uvolněný",
  "passcode": "2580",
  "estimate": "1490"
}
JSON
code=$(run "$app/repairshop" --db "$db" intake intake.json)
run "$app/repairshop" --db "$db" receipt "$code" --out receipt.pdf --lang cs
text=$(pdftotext -enc UTF-8 receipt.pdf -)
for expected in "$code" "Jiří Dvořák" "Galaxy S23"; do
    if ! grep -qF "$expected" <<<"$text"; then
        echo "check-app: the receipt lacks '$expected'; its text was:" >&2
        echo "$text" >&2
        exit 1
    fi
done
if grep -qF "2580" <<<"$text"; then
    echo "check-app: the receipt shows the passcode" >&2
    exit 1
fi
run "$app/repairshop-gui" --db "$db" --no-demo --quit-when-shown
log="$work/.local/state/RepairShop/log"
[ -s "$log/repairshop.log" ] && [ -s "$log/repairshop-cli.log" ] \
    || { echo "check-app: the built app wrote no log in $log" >&2; exit 1; }
if [ -x "$app/install-app.sh" ]; then  # Linux: install it as a shop would, into a scratch prefix
    run "$app/install-app.sh" "$work/prefix" >/dev/null
    run "$work/prefix/bin/repairshop" --version
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$work/prefix/share/applications/org.repairshop.RepairShop.desktop"
    fi
    [ -f "$work/prefix/share/icons/hicolor/256x256/apps/org.repairshop.RepairShop.png" ] \
        || { echo "check-app: install-app.sh installed no icon" >&2; exit 1; }
fi
echo "check-app: $app took in $code, printed its receipt and opened its main window"
