"""The real app with a clerk who never stops: intake after intake, Save pressed each time.

For the crash test (tests/ui/test_killed_while_saving.py), which runs this as a process of
its own and pulls the plug (SIGKILL) on it at random moments:

    python -m tests.ui.saving_app --db URL --no-demo

It starts the app through ``ui.app.main`` as a desk does, and once the main window is up it
fills the intake form (phone, name, brand, model, fault) and clicks **Save intake**; each
saved job's code is printed on its own line (``saved R000001``) and the next intake
follows at once. The papers are not printed (print on save would send them to this
machine's default printer); everything else is the app's own path: the form's request, the
operation path, the worker thread, one transaction per save.
"""

from __future__ import annotations

import sys
from itertools import count

from ui.intake import IntakeView
from ui.main_window import MainWindow
from ui.qt import QApplication, QTimer
from ui.start import main


def drive() -> None:
    """Wait for the main window, then save intakes one after another."""
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    shown = [w for w in windows if w.isVisible() and w.is_attached]  # the desk is ready
    if not shown:
        QTimer.singleShot(20, drive)
        return
    view = shown[0].show_view("intake")
    assert isinstance(view, IntakeView)
    numbers = count(1)

    def fill_and_save() -> None:
        number = next(numbers)
        view.phone.setText(f"777 {number % 1000:03d} {number % 997:03d}")
        view.name.setText(f"Customer {number}")
        view.brand.setText("Samsung")
        view.model.setText("Galaxy S23")
        view.fault.setPlainText(f"Cracked screen, intake {number}")
        view.save_button.click()

    def saved(code: str) -> None:
        print(f"saved {code}", flush=True)
        QTimer.singleShot(0, fill_and_save)

    view.job_taken_in.connect(saved)
    fill_and_save()


if __name__ == "__main__":
    IntakeView._print_on_save = lambda self, code: None  # type: ignore[method-assign]
    application = QApplication([sys.argv[0]])
    QTimer.singleShot(0, drive)
    sys.exit(main(sys.argv[1:]))
