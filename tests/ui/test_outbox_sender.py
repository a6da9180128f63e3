"""The app's background sender: the due messages go out off the database worker, and the open
job card shows its message log as it is (sent, or why not)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.settings import set_setting
from tests.helpers import intake_document
from tests.servers import smtp_server
from tests.ui.ops import WAIT_MS, open_card, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.outbox_sender import INTERVAL_MS

SHOTS = Path("/tmp/repairshop-shots")


def test_the_background_sender_sends_and_the_card_shows_the_message_log(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    assert window.outbox.timer.isActive()
    assert window.outbox.timer.interval() == INTERVAL_MS
    with smtp_server() as (server, box):
        document = intake_document()
        document["customer"]["consent_to_contact"] = True
        with context.db.unit_of_work() as uow:
            for key, value in (
                ("mail.host", "127.0.0.1"),
                ("mail.port", str(server.port)),
                ("mail.security", "none"),
                ("mail.from", "servis@opravna.cz"),
            ):
                set_setting(uow, key, value, "admin")
            code = intake(uow, intake_request_from_json(document), "admin").code
            uow.commit()
        card = open_card(qtbot, window, code)
        assert "waiting to be sent" in card.message_log.item(0).text()

        with qtbot.waitSignal(window.outbox.finished, timeout=WAIT_MS) as run:
            window.outbox.send_now()
        assert run.args[0].sent == 1
        wait_idle(qtbot, context)
        assert len(box.received) == 1

        server.stop()
        document["customer"]["email"] = "jana@example.cz"
        with context.db.unit_of_work() as uow:
            intake(uow, intake_request_from_json(document), "admin")
            uow.commit()
        with qtbot.waitSignal(window.outbox.finished, timeout=WAIT_MS) as run:
            window.outbox.send_now()
        assert run.args[0].retrying == 1
    wait_idle(qtbot, context)
    line = card.message_log.item(0).text()
    assert "Device received" in line
    assert "jiri.dvorak@seznam.cz: sent" in line
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.window().grab().save(str(SHOTS / "card-messages.png"))
