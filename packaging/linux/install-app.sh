#!/bin/sh
# Install a built RepairShop folder (packaging/build-app.sh copies this script into it):
#
#   ./install-app.sh                 for you: ~/.local/lib/repairshop, ~/.local/bin, menu entry
#   sudo ./install-app.sh /usr/local for everyone on this machine
#
# Puts the folder in PREFIX/lib/repairshop, links repairshop and repairshop-gui into
# PREFIX/bin, and adds the menu entry, the AppStream metainfo and the icons under PREFIX/share.
set -eu
prefix=${1:-$HOME/.local}
here=$(cd "$(dirname "$0")" && pwd)
target="$prefix/lib/repairshop"
id=org.repairshop.RepairShop

if [ "$here" != "$target" ]; then
    rm -rf "$target"
    mkdir -p "$target"
    cp -a "$here/." "$target/"
fi
mkdir -p "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo" "$prefix/share/icons"
ln -sf "$target/repairshop" "$prefix/bin/repairshop"
ln -sf "$target/repairshop-gui" "$prefix/bin/repairshop-gui"
sed "s|^Exec=repairshop-gui|Exec=$prefix/bin/repairshop-gui|" \
    "$here/share/applications/$id.desktop" > "$prefix/share/applications/$id.desktop"
cp "$here/share/metainfo/$id.metainfo.xml" "$prefix/share/metainfo/"
cp -R "$here/share/icons/hicolor" "$prefix/share/icons/"
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$prefix/share/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
fi
echo "RepairShop is installed: $prefix/bin/repairshop-gui (and in the applications menu)"
