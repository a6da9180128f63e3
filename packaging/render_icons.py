"""Render RepairShop's icon, resources/icons/repairshop.svg, to the PNG sizes desktops use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

writes resources/icons/hicolor/<N>x<N>/apps/<APP_ID>.png for every size in SIZES and the
SVG as hicolor/scalable/apps/<APP_ID>.svg (the freedesktop icon theme layout, ready to copy
into ~/.local/share/icons or /usr/share/icons), and packaging/windows/repairshop.ico for the
Windows executable and installer. Run it again after changing the SVG and commit the result.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "org.repairshop.RepairShop"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "repairshop.svg"
THEME = ROOT / "resources" / "icons" / "hicolor"
ICO = ROOT / "packaging" / "windows" / "repairshop.ico"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"{SOURCE} is not an SVG that Qt can draw", file=sys.stderr)
        return 1
    for size in SIZES:
        target = THEME / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(target.relative_to(ROOT))
    scalable = THEME / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    print(scalable.relative_to(ROOT))
    # Each size of the .ico as Qt drew it, not scaled down from the largest.
    images = [Image.open(THEME / f"{size}x{size}" / "apps" / f"{APP_ID}.png") for size in ICO_SIZES]
    images[-1].save(ICO, sizes=[image.size for image in images], append_images=images[:-1])
    print(ICO.relative_to(ROOT))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
