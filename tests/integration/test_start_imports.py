"""A start loads only what its first answer needs: no Alembic when the schema is current,
no barcode, holiday or password-hashing library before a label, a deadline or a sign-in, no
Qt Multimedia (a tenth of a second and the FFmpeg backend) before a clerk reaches for the
camera.

About the process itself, so it runs one new interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from repairshop.bootstrap import open_database

LATER = ("alembic", "barcode", "holidays", "argon2", "PySide6.QtMultimedia")

PROBE = """
import json, sys
from repairshop.cli import main
code = main(["--db", sys.argv[1], "job", "find", "x"])
print(json.dumps([code, sorted(name for name in {later!r} if name in sys.modules)]))
"""


def test_a_search_on_a_current_database_loads_none_of_the_later_libraries(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()  # made and migrated here: the probe finds it current
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(later=LATER), url],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, loaded) == (0, []), done.stderr


GUI_LATER = ("alembic", "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "ui.evidence.camera")

GUI_PROBE = """
import json, sys
from ui.app import main
code = main(["--db", sys.argv[1], "--no-demo", "--quit-when-shown"])
print(json.dumps([code, sorted(name for name in {later!r} if name in sys.modules)]))
"""


def test_the_desktop_app_starts_without_qt_multimedia(tmp_path: Path) -> None:
    """The intake form and its "From camera…" button are up; the camera is not looked for."""
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [sys.executable, "-c", GUI_PROBE.format(later=GUI_LATER), url],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        env=environment,
        timeout=120,
    )
    code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert (code, loaded) == (0, []), done.stderr
