"""An intake form's problems, all at once and named as the form names its fields."""

from __future__ import annotations

from decimal import Decimal

from repairshop.domain.contacts import email_problem, phone_problem
from repairshop.services.jobs.intake import (
    CustomerInput,
    DeviceInput,
    IntakeRequest,
    intake_problems,
)

LABELS = {"customer.name": "Jméno", "device.brand": "Značka", "fault": "Závada"}


def test_every_problem_comes_at_once_in_the_forms_order_and_words() -> None:
    request = IntakeRequest(
        customer=CustomerInput(name=" ", phone="777 12x", email="jana@"),
        device=DeviceInput(type="phone", brand="", model="S23", imei="35332611170241"),
        fault="",
        estimate=Decimal(100),
        deposit=Decimal(500),
    )
    problems = intake_problems(request, "CZ", LABELS)
    assert [problem.field for problem in problems] == [
        "customer.phone",
        "customer.name",
        "customer.email",
        "device.brand",
        "device.imei",
        "fault",
        "deposit",
    ]
    assert problems[1].message == "Fill in “Jméno”."
    assert problems[5].message == "Fill in “Závada”."
    assert all("device." not in p.message and "fault" not in p.message for p in problems)


def test_a_good_form_has_no_problems_and_one_contact_is_enough() -> None:
    request = IntakeRequest(
        customer=CustomerInput(name="Jana", email="jana@example.cz"),
        device=DeviceInput(type="phone", brand="Apple", model="iPhone 12"),
        fault="Does not charge",
    )
    assert intake_problems(request, "CZ", LABELS) == []
    nobody = IntakeRequest(
        customer=CustomerInput(name="Jana"),
        device=DeviceInput(type="phone", brand="Apple", model="iPhone 12"),
        fault="Does not charge",
    )
    assert [p.field for p in intake_problems(nobody, "CZ", LABELS)] == ["customer.phone"]


def test_phone_and_email_while_typed_say_only_what_typing_cannot_mend() -> None:
    assert phone_problem("777 12", "CZ", finished=False) is None
    assert phone_problem("777 12", "CZ", finished=True) is not None
    assert phone_problem("777 12x", "CZ", finished=False) is not None
    assert phone_problem("1" * 18, "CZ", finished=False) is not None
    assert phone_problem("777 123 456", "CZ", finished=True) is None
    assert email_problem("jana@seznam", finished=False) is None
    assert email_problem("jana@seznam", finished=True) is not None
    assert email_problem("jana novak@", finished=False) is not None
    assert email_problem("jana@seznam.cz", finished=True) is None
