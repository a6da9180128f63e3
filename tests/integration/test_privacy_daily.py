"""The retention rule applied by the shop itself: once a day, by one desk of several, as the
rule (not the person at the desk), and not at all when the shop switched it off; on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from repairshop.bootstrap import open_database
from repairshop.db.tables import AuditEntry, Customer, Job, Setting
from repairshop.services.customers.card import ANONYMISED_NAME
from repairshop.services.customers.privacy import (
    LAST_AT_KEY,
    RETENTION_APPLIED,
    RETENTION_RULE,
    PrivacyRun,
    privacy_status,
    run_due_privacy,
)
from repairshop.services.database import Database
from tests.helpers import SettableClock, run_in_process
from tests.integration.test_customers import collected, customer_id
from tests.outbox_shop import setting


def daily_run(db: Database) -> PrivacyRun | None:
    with db.unit_of_work() as uow:
        done = run_due_privacy(uow)
        uow.commit()
    return done


def runs_logged(db: Database) -> list[AuditEntry]:
    with db.reader() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == RETENTION_APPLIED)
                .order_by(AuditEntry.id)
            )
        )


def test_the_shop_applies_its_rule_once_a_day_as_the_rule_not_the_person(
    db: Database, clock: SettableClock
) -> None:
    old = collected(db)
    clock.advance(days=31)
    recent = collected(db, customer={"name": "Eva Malá", "phone": "+420 602 111 222"})
    setting(db, privacy__passcode_days="30", privacy__retention_years="0")
    db.actor = "admin"  # the person at the desk when the app applies the rule

    done = daily_run(db)
    assert done is not None
    assert (done.anonymised, done.passcodes_erased) == ([], 1)
    with db.reader() as uow:
        passcodes = dict(uow.session.execute(select(Job.code, Job.passcode)).all())
        erased_by = uow.session.scalars(
            select(AuditEntry.user_login).where(
                AuditEntry.job_code == old, AuditEntry.changes.contains("passcode")
            )
        ).all()
    assert passcodes == {old: "", recent: "1234"}
    assert RETENTION_RULE in erased_by
    [logged] = runs_logged(db)
    assert logged.user_login == RETENTION_RULE
    assert json.loads(logged.changes) == {"anonymised": [None, 0], "passcodes_erased": [None, 1]}

    assert daily_run(db) is None  # applied today already
    clock.advance(hours=3)
    assert daily_run(db) is None
    assert len(runs_logged(db)) == 1
    with db.reader() as uow:
        status = privacy_status(uow)
    assert (status.last_at, status.anonymised, status.passcodes_erased) == (
        clock.now - timedelta(hours=3),
        0,
        1,
    )

    # Two years on, the next day's run anonymises the first customer, on its own.
    setting(db, privacy__retention_years="2")
    clock.advance(days=365 * 2 - 20)
    done = daily_run(db)
    assert done is not None
    assert done.anonymised == [customer_id(db, old)]
    with db.reader() as uow:
        names = sorted(uow.session.scalars(select(Customer.name)))
        changed_by = uow.session.scalar(
            select(Customer.consent_changed_by).where(Customer.id == customer_id(db, old))
        )
        status = privacy_status(uow)
    assert names == sorted([ANONYMISED_NAME, "Eva Malá"])
    assert changed_by in (None, RETENTION_RULE)
    assert (status.last_at, status.anonymised) == (clock.now, 1)
    assert [row.user_login for row in runs_logged(db)] == [RETENTION_RULE] * 2
    assert db.actor == "admin"


def test_a_shop_that_keeps_everything_applies_nothing(db: Database, clock: SettableClock) -> None:
    code = collected(db)
    clock.advance(days=4000)
    setting(db, privacy__passcode_days="0", privacy__retention_years="0")
    assert daily_run(db) is None
    with db.reader() as uow:
        assert uow.session.scalar(select(Job.passcode).where(Job.code == code)) == "1234"
        assert uow.session.scalar(select(Setting.value).where(Setting.key == LAST_AT_KEY)) is None
        assert not privacy_status(uow).on
        assert privacy_status(uow).last_at is None
    assert runs_logged(db) == []


def test_of_two_desks_claiming_at_once_only_one_applies_the_rule(
    db: Database, clock: SettableClock
) -> None:
    collected(db)
    clock.advance(days=31)
    other_desk = open_database(db.engine.url.render_as_string(False), clock=clock)
    try:
        found: list[PrivacyRun | None] = []
        with db.unit_of_work() as uow:
            first = run_due_privacy(uow)  # this desk has claimed, not yet committed
            assert first is not None
            # The other desk asks now: it waits for this desk's claim (PostgreSQL's row lock,
            # SQLite's write lock) and then finds the day's run made.
            other = threading.Thread(target=lambda: found.append(daily_run(other_desk)))
            other.start()
            uow.commit()
        other.join(timeout=60)
        assert not other.is_alive()
        assert found == [None]
        assert first.passcodes_erased == 1
        assert len(runs_logged(db)) == 1

        # The next day the claim's row is there: the other desk, asking while this desk's
        # claim is not yet committed, must find the day taken once it is.
        clock.advance(days=1)
        claiming = threading.Event()

        def note_claim(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith(("UPDATE SETTINGS", "INSERT INTO SETTINGS")):
                claiming.set()

        event.listen(other_desk.engine, "before_cursor_execute", note_claim)
        found.clear()
        with db.unit_of_work() as uow:
            assert run_due_privacy(uow) is not None
            other = threading.Thread(target=lambda: found.append(daily_run(other_desk)))
            other.start()
            if db.dialect == "postgresql":  # it is writing (on SQLite it waits to begin)
                assert claiming.wait(timeout=30)
            uow.commit()
        other.join(timeout=60)
        assert found == [None]
        assert len(runs_logged(db)) == 2

        # And both asking at the same moment the day after: one run between them.
        clock.advance(days=1)
        start = threading.Barrier(2)
        results: list[PrivacyRun | None] = []

        def desk(database: Database) -> None:
            start.wait(timeout=30)
            results.append(daily_run(database))

        desks = [threading.Thread(target=desk, args=(d,)) for d in (db, other_desk)]
        for thread in desks:
            thread.start()
        for thread in desks:
            thread.join(timeout=60)
        assert sorted(result is None for result in results) == [False, True]
        assert len(runs_logged(db)) == 3
    finally:
        other_desk.dispose()


def test_cron_applies_the_rule_once_a_day(db: Database) -> None:
    collected(db)  # on the test's clock, months before the command's real today
    env = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": db.engine.url.render_as_string(False)}
    first = run_in_process(["privacy", "run", "--auto", "--json"], env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"anonymised": [], "passcodes_erased": 1, "ran": True}
    again = run_in_process(["privacy", "run", "--auto"], env=env)
    assert again.returncode == 0, again.stderr
    assert "applied today already" in again.stdout
    assert [row.user_login for row in runs_logged(db)] == [RETENTION_RULE]
