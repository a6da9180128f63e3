"""Whatever sequence of movements happens, on hand equals the ledger's sum and is never negative."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from repairshop.db.tables import JobPart, Part
from repairshop.errors import OutOfStock, ValidationError
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.parts.job_parts import receive_part, release_part, reserve_part, use_part
from repairshop.services.parts.stock import (
    PartInput,
    add_part,
    adjust,
    ledger_totals,
    return_to_supplier,
)
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document

JOBS = 2
quantities = st.integers(min_value=-2, max_value=6)
job = st.integers(min_value=0, max_value=JOBS - 1)
movement = st.one_of(
    st.tuples(st.just("receive"), quantities, st.just(0)),
    st.tuples(st.just("reserve"), quantities, job),
    st.tuples(st.just("use"), quantities, job),
    st.tuples(st.just("release"), quantities, job),
    st.tuples(st.just("adjust"), quantities, st.just(0)),
    st.tuples(st.just("return"), quantities, st.just(0)),
)
_serial = itertools.count()


def _action(kind: str, quantity: int, code: str, sku: str) -> Callable[[UnitOfWork], object]:
    actions: dict[str, Callable[[UnitOfWork], object]] = {
        "receive": lambda uow: receive_part(uow, sku, quantity, "admin"),
        "reserve": lambda uow: reserve_part(uow, code, sku, quantity, "admin"),
        "use": lambda uow: use_part(uow, code, sku, quantity, "admin"),
        "release": lambda uow: release_part(uow, code, sku, quantity, "admin"),
        "adjust": lambda uow: adjust(uow, sku, quantity, "recount", "admin"),
        "return": lambda uow: return_to_supplier(uow, sku, quantity, "faulty", "admin"),
    }
    return actions[kind]


def test_any_sequence_of_movements_keeps_stock_equal_to_the_ledger(db: Database) -> None:
    with db.unit_of_work() as uow:
        codes = [
            intake(uow, intake_request_from_json(intake_document()), "admin").code
            for _ in range(JOBS)
        ]
        uow.commit()

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(movement, max_size=12))
    def run(moves: list[tuple[str, int, int]]) -> None:
        sku = f"P-{next(_serial)}"
        with db.unit_of_work() as uow:
            part_id = add_part(uow, PartInput(sku=sku, name="Test part"), "admin").part_id
            uow.commit()
        expected_on_hand = 0
        for kind, quantity, which in moves:
            try:
                with db.unit_of_work() as uow:
                    _action(kind, quantity, codes[which], sku)(uow)
                    uow.commit()
            except (OutOfStock, ValidationError):
                pass
            else:
                expected_on_hand += {
                    "receive": quantity,
                    "use": -quantity,
                    "adjust": quantity,
                    "return": -quantity,
                }.get(kind, 0)
            with db.reader() as uow:
                part = uow.session.get(Part, part_id)
                assert part is not None
                held = uow.session.scalar(
                    select(func.coalesce(func.sum(JobPart.reserved), 0)).where(
                        JobPart.part_id == part_id
                    )
                )
                assert (part.on_hand, part.reserved) == ledger_totals(uow, part_id)
                assert part.on_hand == expected_on_hand
                assert 0 <= part.reserved <= part.on_hand
                assert held == part.reserved

    run()
