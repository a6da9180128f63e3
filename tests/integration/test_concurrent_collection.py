"""Two desks collect jobs at the same moment: invoice numbers run on with no gap or repeat."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Invoice
from repairshop.domain.statuses import JobStatus as S
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from tests.helpers import intake_document, postgres_schema, race_desks

PER_PROCESS = 100
"""Two desks collect a hundred jobs each at the same moment: invoices 1…200, no gap."""

WORKER = textwrap.dedent(
    """
    import sys
    from decimal import Decimal
    from repairshop.bootstrap import open_database
    from repairshop.domain.payments import PaymentMethod
    from repairshop.errors import RepairShopError
    from repairshop.services.money.collection import CollectRequest, PaymentInput, collect

    db = open_database(sys.argv[1], migrate=False)
    desk = sys.argv[2]
    pay = (PaymentInput(PaymentMethod.CARD, Decimal(1000)),)
    sys.stdin.readline()  # start together
    for code in sys.argv[3].split(","):
        try:
            with db.unit_of_work() as uow:
                done = collect(uow, code, CollectRequest(payments=pay, desk=desk), "admin")
                uow.commit()
        except RepairShopError:
            print("refused", flush=True)
        else:
            print(done.number, flush=True)
    """
)


def ready_jobs(url: str, count: int) -> list[str]:
    """``count`` paid repairs pre-approved at 1,000, each ready for collection."""
    db = open_database(url)
    codes = []
    document = intake_document(estimate="1000", preapproved="1000", deposit="0")
    for _n in range(count):
        with db.unit_of_work() as uow:
            code = intake(uow, intake_request_from_json(document), "admin").code
            for status in (S.DIAGNOSING, S.IN_REPAIR, S.TESTING, S.READY):
                change_status(uow, code, status, "admin")
            uow.commit()
        codes.append(code)
    db.dispose()
    return codes


def race(url: str, *, same_jobs: bool = False) -> list[str]:
    """Two desks collect at once: each its own jobs, or (``same_jobs``) the same ones."""
    codes = ready_jobs(url, PER_PROCESS if same_jobs else 2 * PER_PROCESS)
    shares = (codes, codes) if same_jobs else (codes[:PER_PROCESS], codes[PER_PROCESS:])
    return race_desks(
        WORKER,
        *([url, f"desk-{desk}", ",".join(share)] for desk, share in enumerate(shares, start=1)),
    )


def assert_numbered_without_gaps(url: str, numbers: list[str], count: int) -> None:
    year = numbers[0][:4]
    assert sorted(numbers) == [f"{year}-{n:05d}" for n in range(1, count + 1)]
    db = open_database(url)
    with db.reader() as uow:
        stored = uow.session.execute(select(Invoice.number, Invoice.sequence, Invoice.job_id)).all()
    db.dispose()
    assert sorted(sequence for _number, sequence, _job in stored) == list(range(1, count + 1))
    assert {number for number, _sequence, _job in stored} == set(numbers)
    assert len({job for _number, _sequence, job in stored}) == count  # one document a job


def test_two_desks_collect_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    assert_numbered_without_gaps(url, race(url), 2 * PER_PROCESS)


@pytest.mark.postgres
def test_two_desks_collect_on_one_postgresql_database() -> None:
    with postgres_schema() as url:
        assert_numbered_without_gaps(url, race(url), 2 * PER_PROCESS)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_desks_collecting_the_same_jobs_issue_one_invoice_each(
    kind: str, tmp_path: Path
) -> None:
    with _url(kind, tmp_path) as url:
        out = race(url, same_jobs=True)
        numbers = [line for line in out if line != "refused"]
        assert out.count("refused") == PER_PROCESS
        assert_numbered_without_gaps(url, numbers, PER_PROCESS)


@contextmanager
def _url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite'}"
    else:
        with postgres_schema() as url:
            yield url
