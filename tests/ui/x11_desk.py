"""The desk app on a real X server, for ``test_x11_scanner.py``: it reports what a scan opened.

Run as ``python -m tests.ui.x11_desk DATABASE_URL STATE_FILE SCREENSHOT`` with
``QT_QPA_PLATFORM=xcb`` on the test's display. It prints ``ready search`` when
the Find box has the keyboard, ``ready part`` when the opened job card's part
field has it, and at the end one line of JSON: what the desk's layout typed,
the card that opened and the parts on the job. Each step waits until the one
worker is idle too (the views, the card and its part field have read what they
show; the part's write is done). The screenshot is the window after the part scan.
"""

from __future__ import annotations

import json
import sys
import time

from repairshop.bootstrap import open_database
from repairshop.services.parts.job_parts import job_parts
from tests.ui.ops import read
from ui.app import build_window, make_context
from ui.parts import JobPartsPanel
from ui.qt import QApplication, QSettings, QTimer

TIMEOUT_S = 60


def main(url: str, state_file: str, screenshot: str) -> int:
    app = QApplication([sys.argv[0]])
    context = make_context(open_database(url), QSettings(state_file, QSettings.Format.IniFormat))
    window = build_window(context)
    window.show()
    window.activateWindow()
    typed: dict[str, str] = {}

    def note(field: str, text: str) -> None:
        if len(text) > len(typed.get(field, "")):  # the longest text the keys typed
            typed[field] = text

    window.search.textChanged.connect(lambda text: note("search", text))
    result: dict[str, object] = {}
    stage = ["search"]
    started = time.monotonic()

    def finish(code: int) -> None:
        result["typed"] = typed
        card = window.current_card()
        result["card"] = card.code if card is not None else None
        if card is not None:
            lines = read(context, lambda uow: job_parts(uow, card.code)).lines
            result["parts"] = [[line.sku, line.reserved] for line in lines]
        window.grab().save(screenshot)
        print(json.dumps(result), flush=True)
        app.exit(code)

    def poll() -> None:
        if time.monotonic() - started > TIMEOUT_S:
            timer.stop()
            finish(1)
            return
        if context.tasks.busy:  # the worker has not handed back everything asked of it yet
            return
        card = window.current_card()
        if stage[0] == "search" and window.isActiveWindow() and window.search.hasFocus():
            stage[0] = "searching"
            print("ready search", flush=True)
        elif stage[0] == "searching" and card is not None:
            panel = card.findChild(JobPartsPanel)
            assert panel is not None
            panel.sku.textChanged.connect(lambda text: note("part", text))
            panel.sku.setFocus()
            stage[0] = "part"
        elif stage[0] == "part" and card is not None:
            panel = card.findChild(JobPartsPanel)
            if panel is not None and panel.sku.hasFocus():
                stage[0] = "scanning part"
                print("ready part", flush=True)
        elif stage[0] == "scanning part" and card is not None:
            panel = card.findChild(JobPartsPanel)
            if panel is not None and panel.model.rowCount() > 0:
                timer.stop()
                finish(0)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    code = app.exec()
    context.tasks.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
