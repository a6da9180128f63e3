"""Another desk's commit is heard at once (PostgreSQL NOTIFY, SQLite data_version), not polled.

Each test waits with a generous timeout for the listener to pass a commit on; there is no
poll interval behind it, so a broken notification path makes the test fail.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from repairshop.bootstrap import open_database
from repairshop.db.migrate import MIGRATION_LOCK, head_revision
from repairshop.domain.statuses import JobStatus
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import change_status
from repairshop.services.parts.stock import PartInput, add_part
from repairshop.services.watch import (
    CommitListener,
    changes_in_notice,
    changes_since,
    listen_for_commits,
    start_watch,
)
from tests.helpers import intake_document, postgres_schema

WAIT_S = 20.0
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def listening(db: Database) -> Iterator[tuple[CommitListener, queue.Queue[Changes]]]:
    heard: queue.Queue[Changes] = queue.Queue()
    listener = listen_for_commits(db.engine, heard.put, desk=db.desk)
    try:
        assert listener.listening.wait(WAIT_S)
        heard.get(timeout=WAIT_S)  # the look every (re)connection asks for
        yield listener, heard
    finally:
        listener.stop()


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def test_a_commit_at_another_desk_is_heard_and_found(db: Database) -> None:
    other = open_database(url_of(db))  # the other desk: its own engine and connections
    try:
        with db.reader() as uow:
            mark = start_watch(uow)
        with listening(db) as (_listener, heard):
            with other.unit_of_work() as uow:
                taken = intake(uow, intake_request_from_json(intake_document()), "admin")
                change_status(uow, taken.code, JobStatus.DIAGNOSING, "admin")
                uow.commit()
            notice = heard.get(timeout=WAIT_S)
            with db.reader() as uow:
                mark, changes = changes_since(uow, mark)
            assert set(changes.job_ids) == set(taken.changes.job_ids)
            if db.dialect == "postgresql":  # the notice itself names the rows
                assert set(taken.changes.job_ids) <= set(notice.job_ids)
                assert notice.customer_ids

            with other.unit_of_work() as uow:  # a part with nothing on hand: no ledger line
                added = add_part(uow, PartInput(sku="GLASS-9", name="Tempered glass"), "admin")
                uow.commit()
            heard.get(timeout=WAIT_S)
            with db.reader() as uow:
                mark, changes = changes_since(uow, mark)
            assert changes.touches(ChangeKind.PART)
            assert changes.part_ids == added.changes.part_ids
    finally:
        other.dispose()


def test_postgresql_does_not_pass_on_what_the_desks_own_commits_name() -> None:
    with postgres_schema() as url:
        db, other = open_database(url), open_database(url)
        try:
            with listening(db) as (_listener, heard):
                with db.unit_of_work() as uow:  # this desk: its op announces it itself
                    own = add_part(uow, PartInput(sku="OWN-1", name="Own part"), "admin")
                    uow.commit()
                with other.unit_of_work() as uow:
                    theirs = add_part(uow, PartInput(sku="THEIRS-1", name="Their part"), "admin")
                    uow.commit()
                notices = [heard.get(timeout=WAIT_S)]
                while not notices[-1].part_ids:
                    notices.append(heard.get(timeout=WAIT_S))
                assert notices[-1].part_ids == theirs.changes.part_ids
                assert not any(set(own.changes.part_ids) & set(n.part_ids) for n in notices)
        finally:
            db.dispose()
            other.dispose()


def test_a_notice_names_what_changed_and_a_desk_skips_its_own() -> None:
    payload = '{"desk":"a1","tables":{"jobs":[4],"parts":null,"job_events":[9]}}'
    assert changes_in_notice(payload, "a1") == Changes()  # look, but it names nothing
    changes = changes_in_notice(payload, "b2")
    assert changes.kinds == frozenset({ChangeKind.JOB, ChangeKind.PART})
    assert changes.job_ids == (4,)
    assert changes.part_ids == ()  # too many to name: the whole list reloads
    assert changes_in_notice("not json", "b2") == Changes()


CLI_DESK = textwrap.dedent(
    """
    import sys
    from repairshop.cli import main
    sys.exit(main(["--db", sys.argv[1], "parts", "add", "CASE-7", "--name", "Phone case"]))
    """
)


def test_a_part_added_by_another_process_is_heard(db: Database) -> None:
    with db.reader() as uow:
        mark = start_watch(uow)
    with listening(db) as (_listener, heard):
        subprocess.run(
            [sys.executable, "-c", CLI_DESK, url_of(db)], cwd=ROOT, check=True, timeout=60
        )
        heard.get(timeout=WAIT_S)
        with db.reader() as uow:
            _mark, changes = changes_since(uow, mark)
    assert changes.touches(ChangeKind.PART)
    assert len(changes.part_ids) == 1


UPGRADING_DESK = textwrap.dedent(
    """
    import sys
    from repairshop.bootstrap import open_database
    open_database(sys.argv[1]).dispose()
    print("opened", flush=True)
    """
)


def test_two_desks_starting_on_a_new_schema_migrate_it_once() -> None:
    with postgres_schema() as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as holder:
            # Hold the upgrade's lock, so both desks are waiting for it at the same time.
            holder.execute(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            desks = [
                subprocess.Popen(
                    [sys.executable, "-c", UPGRADING_DESK, url],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            try:
                waiting = 0
                for _ in range(600):  # until both wait for the lock (each poll waits 0.1 s)
                    row = holder.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND NOT granted AND objid::bigint = "
                        f"(({MIGRATION_LOCK})::bigint & 4294967295)"
                    ).fetchone()
                    waiting = row[0] if row else 0
                    if waiting >= 2 or any(desk.poll() is not None for desk in desks):
                        break
                    holder.execute("SELECT pg_sleep(0.1)")
                assert waiting == 2, [desk.communicate() for desk in desks if desk.poll()]
            finally:
                holder.execute(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
            outcomes = [desk.communicate(timeout=120) for desk in desks]
        assert [desk.returncode for desk in desks] == [0, 0], outcomes
        db = open_database(url, migrate=False)
        try:
            with db.engine.connect() as connection:
                versions = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert [row[0] for row in versions] == [head_revision()]
        finally:
            db.dispose()


def test_a_desk_that_read_the_old_revision_before_another_migrated_finds_the_work_done(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revision is read again under the lock: a desk whose first look saw an older
    schema (another desk was migrating) does not run the migrations a second time."""
    from repairshop.db import migrate

    monkeypatch.setattr(migrate, "current_revision", lambda _engine: None)
    assert migrate.upgrade(db.engine) == (head_revision(), head_revision())
    with db.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version"))
        assert [row[0] for row in versions] == [head_revision()]


def test_a_listener_whose_desk_went_away_stops_by_itself(db: Database) -> None:
    desk_open = threading.Event()
    desk_open.set()
    listener = listen_for_commits(db.engine, lambda _changes: None, alive=desk_open.is_set)
    try:
        assert listener.listening.wait(WAIT_S)
        desk_open.clear()  # the app's context went away without stopping it
        assert listener.stopped(WAIT_S)
    finally:
        listener.stop()
