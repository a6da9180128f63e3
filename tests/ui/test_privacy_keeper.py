"""The app applies the shop's retention rule by itself, and the message to a customer is
worded as the shop worded it in Settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from repairshop.db.tables import AuditEntry, Customer, Job
from repairshop.domain.statuses import JobStatus
from repairshop.i18n import format_moment
from repairshop.services.customers.card import ANONYMISED_NAME
from repairshop.services.customers.privacy import (
    RETENTION_APPLIED,
    RETENTION_RULE,
    privacy_status,
)
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.shop.messaging import template_key
from repairshop.services.shop.settings import set_setting
from tests.helpers import SettableClock, collect_paid, intake_document
from tests.ui.ops import open_card, read, wait_idle
from tests.ui.test_views import open_card_dialog
from ui import privacy_keeper
from ui.app import build_window
from ui.audit_view import AuditView
from ui.context import AppContext
from ui.customer_message import CustomerMessageDialog
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.messages_view import MessagesView

SHOTS = Path(os.environ.get("REPAIRSHOP_SCREENSHOTS", "/tmp/repairshop-privacy-shots"))
LAST_APPLIED = {"en": "Last applied", "cs": "Naposledy uplatněno"}


def collected_long_ago(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        for status in (JobStatus.DIAGNOSING, JobStatus.CANCELLED, JobStatus.READY):
            change_status(uow, code, status, "admin")
        collect_paid(uow, code)
        set_setting(uow, "privacy.retention_years", "2", "admin")
        uow.commit()
    assert isinstance(db.clock, SettableClock)
    db.clock.advance(days=3 * 365)  # nobody has seen the customer for three years
    return code


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_started_window_anonymises_a_customer_past_retention_by_itself(
    qtbot: QtBot,
    context: AppContext,
    shop_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    code = collected_long_ago(shop_db)
    monkeypatch.setattr(privacy_keeper, "START_DELAY_MS", 0)
    apply_language(language)
    try:
        window = build_window(context)
        qtbot.addWidget(window)
        window.show()
        messages = window.show_view("messages")
        assert isinstance(messages, MessagesView)

        def anonymised() -> bool:
            name = read(
                context,
                lambda uow: uow.session.scalar(
                    select(Customer.name).join(Job).where(Job.code == code)
                ),
            )
            return name == ANONYMISED_NAME

        qtbot.waitUntil(anonymised, timeout=30_000)  # nobody clicked anything
        wait_idle(qtbot, context)
        with context.db.reader() as uow:
            passcode = uow.session.scalar(select(Job.passcode).where(Job.code == code))
            logged = uow.session.scalars(
                select(AuditEntry.user_login).where(AuditEntry.action == RETENTION_APPLIED)
            ).all()
        assert passcode == ""
        assert list(logged) == [RETENTION_RULE]
        assert context.user != RETENTION_RULE

        qtbot.waitUntil(lambda: LAST_APPLIED[language] in messages.privacy_status.text())
        status = read(context, privacy_status)
        assert status.last_at == shop_db.clock()
        if language == "en":
            moment = format_moment(status.last_at, tz=status.zone)
            assert messages.privacy_status.text() == (
                f"Last applied {moment}: 1 customer anonymised, 1 passcode erased."
            )
        SHOTS.mkdir(parents=True, exist_ok=True)
        messages.privacy_status.parentWidget().grab().save(
            str(SHOTS / f"privacy-status-{language}.png")
        )
        audit = window.show_view("audit")
        assert isinstance(audit, AuditView)
        wait_idle(qtbot, context)
        window.grab().save(str(SHOTS / f"audit-{language}.png"))
        window.close()
    finally:
        apply_language("en")


def test_the_keeper_starts_once_and_applies_nothing_when_the_rule_is_off(
    qtbot: QtBot, window: MainWindow, context: AppContext, shop_db: Database
) -> None:
    code = collected_long_ago(shop_db)
    with shop_db.unit_of_work() as uow:
        set_setting(uow, "privacy.retention_years", "0", "admin")
        set_setting(uow, "privacy.passcode_days", "0", "admin")
        uow.commit()
    keeper = privacy_keeper.PrivacyKeeper.of(context)
    assert keeper is window.privacy_keeper
    with qtbot.waitSignal(keeper.finished, timeout=30_000) as finished:
        keeper.check()
    assert finished.args == [None]
    name = read(
        context,
        lambda uow: uow.session.scalar(select(Customer.name).join(Job).where(Job.code == code)),
    )
    assert name == "Jiří Dvořák"


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_message_dialog_says_what_the_shop_wrote_in_the_customers_language(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    own = "Dobrý den, {name}, {device} ({code}) čeká na díly. {shop}"
    with context.db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        change_status(uow, code, JobStatus.AWAITING_PARTS, "admin")
        set_setting(uow, "name", "Opravna Brno", "admin")
        set_setting(uow, template_key("waiting_for_parts", "cs", "body"), own, "admin")
        set_setting(uow, template_key("waiting_for_parts", "cs", "text"), "Díly: {code}", "admin")
        uow.commit()
    apply_language(language)  # the desk's language: the customer still reads Czech
    try:
        shown = build_window(context)
        qtbot.addWidget(shown)
        shown.show()
        wait_idle(qtbot, context)
        card, dialog = open_card_dialog(qtbot, shown, code, CustomerMessageDialog)
        assert dialog.kind.currentData() == "waiting_for_parts"
        assert dialog.language.currentData() == "cs"
        device = card.view.device.title or card.view.device.type
        assert dialog.body.toPlainText() == (
            f"Dobrý den, Jiří Dvořák, {device} ({code}) čeká na díly. Opravna Brno\n"
        )
        assert dialog.text.toPlainText() == f"Díly: {code}"
        assert code in dialog.subject.text()  # no own subject: the built-in one, in Czech
        dialog.grab().save(str(SHOTS / f"message-own-wording-{language}.png"))
        # English has no own wording: the built-in text.
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        assert dialog.body.toPlainText().startswith("Dear Jiří Dvořák,")
        dialog.reject()
        shown.close()
    finally:
        apply_language("en")


def test_an_open_card_is_told_when_the_rule_erased_its_passcode(
    qtbot: QtBot, window: MainWindow, context: AppContext, shop_db: Database
) -> None:
    code = collected_long_ago(shop_db)
    card = open_card(qtbot, window, code)
    with qtbot.waitSignal(card.loaded, timeout=30_000):
        privacy_keeper.PrivacyKeeper.of(context).check()
    assert card.view.customer.name == ANONYMISED_NAME
