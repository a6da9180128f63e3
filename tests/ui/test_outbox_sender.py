"""The app's background sender: the due messages go out off the database worker, and the open
job card shows its message log as it is (sent, or why not)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.shop.messaging import get_messaging
from repairshop.services.shop.settings import set_setting
from tests.helpers import intake_document
from tests.servers import smtp_server
from tests.ui.ops import WAIT_MS, open_card, read, wait_idle
from ui.app import build_window
from ui.context import AppContext
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.messages_view import MessagesView
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


def test_the_messages_view_lists_the_log_sets_the_mail_server_and_previews(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    document = intake_document()
    document["customer"]["consent_to_contact"] = True
    with smtp_server() as (server, box):
        view = window.show_view("messages")
        assert isinstance(view, MessagesView)
        qtbot.waitUntil(view.save_button.isEnabled, timeout=WAIT_MS)
        assert view.preview_text.toPlainText() == "Take in a job to see its messages here."
        view.mail_host.setText("127.0.0.1")
        view.mail_port.setValue(server.port)
        view.mail_security.setCurrentIndex(view.mail_security.findData("none"))
        view.mail_from.setText("servis@opravna.cz")
        view.notify["needs_approval"].setCurrentIndex(view.notify["needs_approval"].findData("off"))
        view.reminders["reminder.ready_days"].setValue(0)
        assert set(view.edited()) == {
            "mail.host",
            "mail.port",
            "mail.security",
            "mail.from",
            "notify.needs_approval",
            "reminder.ready_days",
        }
        view.save()
        wait_idle(qtbot, context)
        values = read(context, lambda uow: get_messaging(uow).values)
        assert values["mail.port"] == str(server.port)
        assert values["notify.needs_approval"] == "off"
        assert values["reminder.ready_days"] == "0"
        assert view.edited() == {}

        with context.db.unit_of_work() as uow:
            code = intake(uow, intake_request_from_json(document), "admin").code
            uow.commit()
        view.reload()
        wait_idle(qtbot, context)
        assert view.model.rowCount() == 1
        view.send_now()
        qtbot.waitUntil(view.send_button.isEnabled, timeout=WAIT_MS)
        wait_idle(qtbot, context)
    assert len(box.received) == 1
    assert [view.model.data(view.model.index(0, column)) for column in (1, 2, 3, 4, 5)] == [
        code,
        "Device received",
        "E-mail",
        "jiri.dvorak@seznam.cz",
        "sent",
    ]
    view.preview_kind.setCurrentIndex(view.preview_kind.findData("storage_fee"))
    view.preview_language.setCurrentIndex(view.preview_language.findData("cs"))
    preview = view.preview_text.toPlainText()
    assert f"On job {code}" in preview
    assert "skladné" in preview
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "messages-view.png"))
    view.preview_text.parentWidget().grab().save(str(SHOTS / "messages-preview-cs.png"))
    window.close()
    assert not window.outbox.timer.isActive()


def test_the_messages_view_in_czech(qtbot: QtBot, window: MainWindow, context: AppContext) -> None:
    apply_language("cs")
    try:
        czech = build_window(context)
        qtbot.addWidget(czech)
        czech.resize(1280, 800)
        czech.show()
        view = czech.show_view("messages")
        assert isinstance(view, MessagesView)
        qtbot.waitUntil(view.save_button.isEnabled, timeout=WAIT_MS)
        assert view.save_button.text() == "&Uložit nastavení zpráv"
        assert view.notify["ready"].currentText() == "E-mail"
        SHOTS.mkdir(parents=True, exist_ok=True)
        czech.grab().save(str(SHOTS / "messages-view-cs.png"))
        czech.close()
    finally:
        apply_language("en")
