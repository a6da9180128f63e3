"""Garbage collected on the GUI thread only.

Python's cyclic garbage collector runs in whichever thread allocates when a generation's
count passes its threshold: here often the database worker. If that garbage holds the Python
wrapper of a Qt object, the C++ object is destroyed on the worker; its destructor takes Qt's
signal lock and then waits for the GIL, while the GUI thread holds the GIL and waits for the
same lock in a ``connect``. Both wait for ever (seen: a window's ``QComboBox.addItem`` hung
while the worker, reading the loaners, collected a window that had gone; even the test
runner's timeout could not fire, for it needs the GIL too).

So the automatic collection is off and a timer on the GUI thread collects whenever the counts
pass the same thresholds, as Anki does. Explicit ``gc.collect()`` calls still work anywhere.
"""

from __future__ import annotations

import gc

from ui.qt import QObject, QTimer

INTERVAL_MS = 500
"""How often the GUI thread looks: a look that finds nothing due costs a function call."""


def collect_due(threshold: tuple[int, int, int] | None = None) -> int:
    """Collect the generations whose counts passed their thresholds, as Python itself would;
    return how many objects were unreachable."""
    first, second, third = threshold or gc.get_threshold()
    young, middle, old = gc.get_count()
    if young <= first:
        return 0
    found = gc.collect(0)
    if middle > second:
        found += gc.collect(1)
        if old > third:
            found += gc.collect(2)
    return found


class MainThreadCollector(QObject):
    """Turns the automatic collection off (for the process's life) and collects on its timer."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> int:
        return collect_due(self.threshold)


def collect_on_main_thread(app: QObject) -> MainThreadCollector:
    """The collector for ``app``'s life (one per application: a second call returns the first)."""
    for child in app.children():
        if isinstance(child, MainThreadCollector):
            return child
    return MainThreadCollector(app)
