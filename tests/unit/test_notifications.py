"""Messages to the customer: what the status calls for, in the customer's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from repairshop.domain.statuses import JobStatus, Outcome
from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, format_day, format_money, set_ui_language, translator
from repairshop.services.customers.messages import MessageKind, customer_message, message_kind_for
from repairshop.services.shop.settings import ShopSettings
from tests.printouts import CUSTOMERS, job_for, plain

SHOP = ShopSettings(
    name="FixPoint Servis",
    address="Vinohradská 1511/230, 100 00 Praha 10",
    phone="+420222333444",
    email="servis@fixpoint.example",
    currency="CZK",
)


@pytest.mark.parametrize(
    ("status", "outcome", "kind"),
    [
        (JobStatus.RECEIVED, None, MessageKind.RECEIVED),
        (JobStatus.DIAGNOSING, None, MessageKind.RECEIVED),
        (JobStatus.AWAITING_APPROVAL, None, MessageKind.NEEDS_APPROVAL),
        (JobStatus.AWAITING_PARTS, None, MessageKind.WAITING_FOR_PARTS),
        (JobStatus.READY, Outcome.REPAIRED, MessageKind.READY),
        (JobStatus.READY, Outcome.RETURNED_UNREPAIRED, MessageKind.READY_UNREPAIRED),
        (JobStatus.IN_REPAIR, None, None),
        (JobStatus.COLLECTED, Outcome.REPAIRED, None),
    ],
)
def test_the_status_decides_what_the_customer_hears(
    status: JobStatus, outcome: Outcome | None, kind: MessageKind | None
) -> None:
    job = job_for("cs", status=status, outcome=outcome.value if outcome else None)

    assert message_kind_for(job) is kind


def test_a_job_with_no_news_needs_a_kind_asked_for() -> None:
    job = job_for("cs", status=JobStatus.IN_REPAIR)

    with pytest.raises(ValidationError, match="no news"):
        customer_message(job, SHOP)
    assert customer_message(job, SHOP, MessageKind.WAITING_FOR_PARTS).kind is (
        MessageKind.WAITING_FOR_PARTS
    )


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_the_message_speaks_the_customers_language_whatever_the_clerk_speaks(
    language: str,
) -> None:
    set_ui_language("ru" if language != "ru" else "de")
    try:
        job = job_for(language, status=JobStatus.AWAITING_APPROVAL)
        message = customer_message(job, SHOP)
    finally:
        set_ui_language("en")

    english = customer_message(job, SHOP, language="en")
    assert message.language == language
    assert message.subject != english.subject
    assert message.text != english.text
    assert "R000042" in message.subject
    assert "R000042" in message.text
    assert "Samsung Galaxy S23" in message.body
    assert CUSTOMERS[language] in message.body
    amount = format_money(Decimal("3490"), "CZK", language)
    assert plain(amount) in plain(message.body)
    greeting = translator(language).gettext("Dear {name},").format(name=CUSTOMERS[language])
    assert message.body.startswith(greeting)
    assert "Dear" not in message.body


def test_intake_confirmation_gives_the_promised_day_in_words_and_the_shops_contact() -> None:
    message = customer_message(job_for("en"), SHOP)

    assert message.subject == "Your device is with us (job R000042)"
    assert format_day(date(2026, 3, 16), "en", style="long") in message.body
    assert "16 March 2026" in message.body
    assert "+420 222 333 444" in message.body
    assert "servis@fixpoint.example" in message.body
    assert message.email == "customer@example.com"
    assert message.may_contact


def test_a_device_returned_unrepaired_says_so() -> None:
    job = job_for("en", status=JobStatus.READY, outcome=Outcome.RETURNED_UNREPAIRED.value)

    message = customer_message(job, SHOP)

    assert "could not repair" in message.body
    assert "could not repair" in message.text
    assert len(message.text) <= 160
