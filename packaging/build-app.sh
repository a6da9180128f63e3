#!/usr/bin/env bash
# Build RepairShop as one folder with PyInstaller (packaging/repairshop.spec):
#
#   bash packaging/build-app.sh            dist/RepairShop/ (and dist/RepairShop.app on macOS)
#   bash packaging/build-app.sh --check    then start the built app on a new database, take in
#                                          a device and print its receipt (packaging/check-app.sh)
#
# Needs the dev extra (PyInstaller): bash packaging/install.sh --dev.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python=${PYTHON:-.venv/bin/python}

started=$SECONDS
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/repairshop.spec
if [ "$(uname -s)" = Linux ]; then
    # The menu entry, AppStream metainfo, icons and their installer travel with the folder.
    share=dist/RepairShop/share
    mkdir -p "$share/applications" "$share/metainfo" "$share/icons"
    cp packaging/linux/org.repairshop.RepairShop.desktop "$share/applications/"
    cp packaging/linux/org.repairshop.RepairShop.metainfo.xml "$share/metainfo/"
    cp -R resources/icons/hicolor "$share/icons/"
    cp packaging/linux/install-app.sh dist/RepairShop/
fi
echo "Built dist/RepairShop in $((SECONDS - started)) s, $(du -sh dist/RepairShop | cut -f1)"
if [ "${1:-}" = "--check" ]; then
    bash packaging/check-app.sh dist/RepairShop
fi
