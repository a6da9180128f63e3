"""Opening a job's card asks the database a fixed number of questions: the same for a device
seen once as for one with many visits and a long history (no question per visit, per event or
per panel row), so a card opens as fast in a shop with a million jobs as with a few."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import event
from sqlalchemy.engine import Connection

from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import add_note
from tests.helpers import intake_document
from tests.ui.ops import open_card, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow

CARD_STATEMENTS_AT_MOST = 80
"""A bound well above today's count (46, every panel read): a panel that starts
asking once per row goes past it with the rows below."""


def statements_to_open(qtbot: QtBot, window: MainWindow, code: str) -> list[str]:
    """Every statement the app runs from asking for the card until every panel is in."""
    context = window.context
    wait_idle(qtbot, context)
    seen: list[str] = []

    def record(_conn: Connection, _cursor: object, statement: str, *_rest: object) -> None:
        seen.append(statement)

    event.listen(context.db.engine, "before_cursor_execute", record)
    try:
        card = open_card(qtbot, window, code)
        card.records.setCurrentWidget(card.evidence)  # a hidden tab reads when first shown
        wait_idle(qtbot, context)
    finally:
        event.remove(context.db.engine, "before_cursor_execute", record)
    window.tabs.removeTab(window.tabs.indexOf(card))
    card.deleteLater()
    return [
        statement
        for statement in seen
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA"))
    ]


def test_a_card_asks_the_same_questions_however_long_the_device_history(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    window.outbox.timer.stop()  # the sender's own look at the outbox is not the card's
    with context.db.unit_of_work() as uow:
        first = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    statements_to_open(qtbot, window, first)  # what a desk reads once (the part codes it knows)
    once = statements_to_open(qtbot, window, first)
    assert 0 < len(once) <= CARD_STATEMENTS_AT_MOST, len(once)

    # The same device back twelve times, its newest job with a long history.
    with context.db.unit_of_work() as uow:
        codes = [
            intake(uow, intake_request_from_json(intake_document()), "admin").code
            for _visit in range(12)
        ]
        for number in range(30):
            add_note(uow, codes[-1], f"Note {number}", "admin")
        uow.commit()
    card = open_card(qtbot, window, codes[-1])
    wait_idle(qtbot, context)
    assert card.history.count() >= 30
    assert len(card.device_history.visits) == 12  # the other visits are listed
    window.tabs.removeTab(window.tabs.indexOf(card))
    card.deleteLater()

    many = statements_to_open(qtbot, window, codes[-1])
    assert len(many) == len(once), "\n".join(many)
