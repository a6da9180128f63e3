"""The card's view of a job's money, and editing the price list, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from repairshop.domain.approval import ApprovalMethod, ApprovalState
from repairshop.domain.statuses import JobStatus as S
from repairshop.errors import ApprovalRequired, NotFound, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.workflow import change_status
from repairshop.services.money.approval import approve
from repairshop.services.money.job_money import job_money
from repairshop.services.money.lines import LineRequest, add_line
from repairshop.services.money.price_list import (
    ServiceInput,
    add_service,
    list_services,
    update_service,
)
from tests.integration.test_money import commit, new_job


def test_a_service_is_edited_and_lines_already_on_jobs_keep_their_price(db: Database) -> None:
    code = new_job(db, estimate=None)
    commit(
        db,
        lambda uow: add_service(uow, ServiceInput("DIAG", "Diagnosis", Decimal(490)), "admin"),
    )
    commit(db, lambda uow: add_line(uow, code, LineRequest(service="DIAG"), "admin"))
    edited = commit(
        db,
        lambda uow: update_service(
            uow,
            ServiceInput(
                "diag", " Diagnosis, laptops ", Decimal(690), Decimal(12), "laptop", "Dell"
            ),
            "admin",
        ),
    )
    assert (edited.code, edited.name, edited.price, edited.vat_rate) == (
        "DIAG",
        "Diagnosis, laptops",
        Decimal("690.00"),
        Decimal(12),
    )
    assert (edited.device_type, edited.brand) == ("laptop", "Dell")
    with db.reader() as uow:
        assert [s.price for s in list_services(uow)] == [Decimal("690.00")]
        money = job_money(uow, code)
    assert [(line.description, line.gross) for line in money.lines.lines] == [
        ("Diagnosis", Decimal("490.00"))
    ]
    with pytest.raises(ValidationError, match="needs a name"):
        commit(db, lambda uow: update_service(uow, ServiceInput("DIAG", " ", Decimal(1)), "admin"))
    with pytest.raises(NotFound):
        commit(db, lambda uow: update_service(uow, ServiceInput("NOPE", "x", Decimal(1)), "admin"))


def test_the_card_sees_the_price_against_the_approval_and_the_services_for_the_device(
    db: Database,
) -> None:
    code = new_job(db)  # a Samsung phone, estimate 6,800
    for data in (
        ServiceInput("DIAG", "Diagnosis", Decimal(490)),
        ServiceInput("SCR-IP13", "Screen iPhone 13", Decimal(2900), None, "phone", "Apple"),
        ServiceInput("KB-LAP", "Laptop keyboard", Decimal(1200), None, "laptop"),
    ):
        commit(db, lambda uow, data=data: add_service(uow, data, "admin"))
    with db.reader() as uow:
        money = job_money(uow, code)
    assert [s.code for s in money.services] == ["DIAG"]
    assert (money.price, money.approved, money.state) == (
        Decimal("6800.00"),
        None,
        ApprovalState.MISSING,
    )
    commit(
        db,
        lambda uow: approve(uow, code, Decimal(7000), ApprovalMethod.SIGNED, "admin", note="x"),
    )
    commit(
        db,
        lambda uow: add_line(
            uow,
            code,
            LineRequest(text="Screen", price=Decimal(6500), vat_rate=Decimal(21)),
            "admin",
        ),
    )
    with db.reader() as uow:
        money = job_money(uow, code)
    assert money.state is ApprovalState.COVERED
    assert money.approval is not None
    assert money.approval.method == "signed"
    assert (money.price, money.approved, money.closed) == (
        Decimal("6500.00"),
        Decimal("7000.00"),
        False,
    )
    commit(db, lambda uow: change_status(uow, code, S.DIAGNOSING, "admin"))
    commit(db, lambda uow: change_status(uow, code, S.IN_REPAIR, "admin"))
    with pytest.raises(ApprovalRequired) as refused:
        commit(
            db,
            lambda uow: add_line(
                uow,
                code,
                LineRequest(text="Glue", price=Decimal(600), vat_rate=Decimal(21)),
                "admin",
            ),
        )
    assert (refused.value.code, refused.value.price) == (code, Decimal("7100.00"))


def test_a_warranty_claim_needs_no_approval(db: Database) -> None:
    code = new_job(db, job_type="warranty_claim", purchase_date="2025-06-01")
    with db.reader() as uow:
        assert job_money(uow, code).state is ApprovalState.NOT_NEEDED
