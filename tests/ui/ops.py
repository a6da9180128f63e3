"""Test helpers over the one operation path: wait for the worker, write as this desk, read back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pytestqt.qtbot import QtBot

from repairshop.services.changes import Changes
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.intake import IntakeView
from ui.job_card import JobCard
from ui.main_window import MainWindow
from ui.operations import WriteOp
from ui.qt import QAbstractItemModel, QModelIndex

T = TypeVar("T")
WAIT_MS = 30_000


def wait_idle(qtbot: QtBot, context: AppContext, timeout: int = WAIT_MS) -> None:
    """Until every op asked for so far (and those their results asked for) is done."""
    qtbot.waitUntil(lambda: not context.tasks.busy, timeout=timeout)


def write(
    qtbot: QtBot,
    context: AppContext,
    action: Callable[[UnitOfWork], T],
    changes_of: Callable[[T], Changes],
) -> T:
    """Write as this desk does (a :class:`WriteOp`), and wait until every view has followed."""
    done: list[T] = []
    failed: list[Exception] = []
    WriteOp(context, None, action, changes_of).success(done.append).failure(failed.append).run()
    qtbot.waitUntil(lambda: bool(done or failed), timeout=WAIT_MS)
    if failed:
        raise failed[0]
    wait_idle(qtbot, context)
    return done[0]


def read(context: AppContext, query: Callable[[UnitOfWork], T]) -> T:
    """What the database holds now (the test's own look, not a view's)."""
    with context.db.reader() as uow:
        return query(uow)


def open_card(qtbot: QtBot, window: MainWindow, code: str) -> JobCard:
    """Open the job's card from the main window and wait until it shows the job."""
    with qtbot.waitSignal(window.card_opened, timeout=WAIT_MS) as opened:
        window.open_job(code)
    wait_idle(qtbot, window.context)
    card = opened.args[0]
    assert isinstance(card, JobCard)
    return card


def load_every_page(qtbot: QtBot, context: AppContext, model: QAbstractItemModel) -> None:
    """Scroll a paging model to its end: every page fetched, as the view asks near the last row."""
    wait_idle(qtbot, context)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        wait_idle(qtbot, context)


def intake_view(qtbot: QtBot, window: MainWindow) -> IntakeView:
    """The Intake view in front, its first reads done."""
    view = window.show_view("intake")
    assert isinstance(view, IntakeView)
    wait_idle(qtbot, window.context)
    return view


def fill_intake(qtbot: QtBot, view: IntakeView) -> None:
    """A new customer's phone typed in as a clerk would: what a save needs, nothing more."""
    qtbot.keyClicks(view.phone, "777 123 456")
    qtbot.keyClicks(view.name, "Jiri Dvorak")
    qtbot.keyClicks(view.brand, "Samsung")
    qtbot.keyClicks(view.model, "Galaxy S23")
    qtbot.keyClicks(view.fault, "Cracked screen")
