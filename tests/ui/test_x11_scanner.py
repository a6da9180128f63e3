"""A USB scanner on a real X server set to a Czech, German, Hungarian, Polish, Russian, French desk.

The test starts its own Xvfb, sets the desk's layout with ``setxkbmap``, runs
the app there (``QT_QPA_PLATFORM=xcb``) and presses the keys a scanner presses
for the label (the US keyboard's positions, as X keycodes) with ``xdotool``,
through the XTEST extension. The X server turns them into the layout's
characters exactly as for a scanner plugged into that desk; the job must open
and the part must go on it. The screenshots are left in
``$REPAIRSHOP_SCREENSHOTS`` (default ``/tmp/repairshop-scanner-shots``).
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from repairshop.domain.key_positions import KeyCodes
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import PartInput, add_part
from tests.helpers import database, intake_document
from tests.xkb import LAYOUTS, Layout, scanner_presses

PART = "LCD-YZ-1"
SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-scanner-shots"))
TOOLS = ("Xvfb", "setxkbmap", "xdotool")
WAIT_S = 90


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private X server on a free display (Xvfb picks it), stopped after the tests."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install {missing} (packaging/install.sh --dev does)"
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        # -noreset: the server would drop the layout when its last client (setxkbmap) leaves.
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def x_command(display: str, *command: str) -> None:
    subprocess.run(command, check=True, env={**os.environ, "DISPLAY": display}, timeout=60)


def xdotool_keys(label: str) -> list[str]:
    """``xdotool key`` arguments pressing ``label``'s US positions: X keycodes, Shift as needed.

    A number is a keycode to xdotool, so no keysym is looked up in the desk's layout.
    """
    keys = []
    for press in scanner_presses(Layout("us"), label):
        keycode = str(press.position.code(KeyCodes.X11))
        keys.append(f"shift+{keycode}" if press.shift else keycode)
    return [*keys, "Return"]


def prepare_shop(tmp_path: Path) -> str:
    with database("sqlite", tmp_path) as db, db.unit_of_work() as uow:
        request = intake_request_from_json(intake_document())
        code = intake(uow, request, "admin").code
        add_part(uow, PartInput(sku=PART, name="Display", price=Decimal("990")), "admin")
        receive_part(uow, PART, 3, "admin")
        uow.commit()
    return code


def read_line(process: subprocess.Popen[str], selector: selectors.BaseSelector) -> str:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if selector.select(timeout=1):
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line, "the desk app ended early"
            return line.strip()
        assert process.poll() is None, "the desk app ended early"
    raise AssertionError("the desk app did not answer")


@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_a_scanner_on_the_desks_layout_opens_the_job_and_adds_the_part(
    display: str, tmp_path: Path, language: str
) -> None:
    layout, variant = LAYOUTS[language]
    x_command(display, "setxkbmap", "-layout", layout, "-variant", variant)
    code = prepare_shop(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"scan-{language}.png"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.x11_desk",
            f"sqlite:///{tmp_path / 'shop.sqlite'}",
            str(tmp_path / "state.ini"),
            str(shot),
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    selector = selectors.DefaultSelector()
    assert process.stdout is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        assert read_line(process, selector) == "ready search"
        x_command(display, "xdotool", "key", "--delay", "12", *xdotool_keys(code))
        assert read_line(process, selector) == "ready part"
        x_command(display, "xdotool", "key", "--delay", "12", *xdotool_keys(PART))
        result = json.loads(read_line(process, selector))
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)
    typed = result["typed"]
    # The layout really was in force: what the desk typed is not the label...
    if language not in ("de", "pl"):
        assert typed["search"] != code
    assert typed["part"] != PART
    # ...and the job opened, with the part on it.
    assert result["card"] == code
    assert result["parts"] == [[PART, 1]]
