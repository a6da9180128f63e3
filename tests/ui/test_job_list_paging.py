"""The Jobs list pages as it scrolls and follows changes without losing or doubling a row."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from repairshop.demo.jobs import DemoOptions, generate_demo
from repairshop.domain.statuses import JobStatus
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.listing import JobColumn, JobFilter, JobSort, job_ids, job_rows
from repairshop.services.jobs.workflow import change_status
from tests.helpers import intake_document
from tests.ui.ops import load_every_page, read, wait_idle, write
from ui.context import AppContext
from ui.models import job_table
from ui.models.job_table import JobTableModel


def shown(model: JobTableModel) -> list[int | None]:
    return [model.job_id(row) for row in range(model.rowCount())]


@pytest.mark.parametrize(
    "order",
    [
        JobSort(JobColumn.CODE, descending=True),
        JobSort(JobColumn.CODE, descending=False),
        JobSort(JobColumn.STATUS, descending=False),
        JobSort(JobColumn.PROMISED, descending=True),
    ],
)
def test_a_job_added_or_changed_while_paging_is_shown_once_after_the_refresh(
    qtbot: QtBot, context: AppContext, order: JobSort
) -> None:
    generate_demo(context.db, DemoOptions(jobs=45))
    model = JobTableModel(context, JobFilter(), order, parent=context, page_size=10)
    context.changed.connect(model.on_changed)
    model.reload()
    wait_idle(qtbot, context)
    assert model.rowCount() == 10
    assert model.total == 45  # counted after the first page showed
    assert model.canFetchMore()
    model.fetchMore()
    wait_idle(qtbot, context)
    assert model.rowCount() == 20
    user = context.user
    write(
        qtbot,
        context,
        lambda uow: intake(uow, intake_request_from_json(intake_document()), "admin"),
        lambda r: r.changes,
    )
    # Another job moves: to the other end of the status order.
    received = JobFilter(statuses=frozenset({JobStatus.RECEIVED}))
    moved = read(context, lambda uow: job_rows(uow, job_ids(uow, received))[-1].code)
    write(
        qtbot,
        context,
        lambda uow: change_status(uow, moved, JobStatus.DIAGNOSING, user),
        lambda r: r.changes,
    )
    load_every_page(qtbot, context, model)
    everything = read(context, lambda uow: job_ids(uow, JobFilter(), order))
    assert len(everything) == 46
    assert shown(model) == everything
    assert model.total == 46


def test_beyond_what_it_counts_the_list_says_at_least_and_the_end_gives_the_total(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_table, "COUNT_LIMIT", 30)
    generate_demo(context.db, DemoOptions(jobs=45))
    model = JobTableModel(context, JobFilter(), parent=context, page_size=10)
    model.reload()
    wait_idle(qtbot, context)
    assert (model.rowCount(), model.total, model.at_least) == (10, None, 30)
    load_every_page(qtbot, context, model)
    assert (model.rowCount(), model.total) == (45, 45)
