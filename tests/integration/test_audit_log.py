"""The audit log holds every change of a scripted day — who, when, which record, old → new —
and sign-ins; it filters by person, job and day, and nothing can change or delete it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from repairshop.db.tables import AuditEntry
from repairshop.domain.statuses import JobStatus
from repairshop.errors import PermissionDenied
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import JobEdit, change_status, edit_job
from repairshop.services.money.price_list import ServiceInput, add_service, update_service
from repairshop.services.parts.job_parts import receive_part
from repairshop.services.parts.stock import PartInput, add_part
from repairshop.services.shop.audit_log import AuditLine, AuditQuery, audit_entries
from repairshop.services.shop.backup import backup, restore
from repairshop.services.shop.settings import set_setting
from repairshop.services.shop.users import add_user, authenticate, disable_user, set_password
from tests.helpers import SettableClock, intake_document, run_in_process


def _day(db: Database, clock: SettableClock) -> str:
    """Monday's work at a shop that has just given everyone a password."""
    with db.unit_of_work(actor="admin") as uow:
        add_user(uow, "petra", "Petra Malá", "clerk", "admin")
        add_user(uow, "tomas", "Tomáš Hrubý", "technician", "admin")
        add_user(uow, "marta", "Marta Veselá", "manager", "admin")
        set_password(uow, "admin", "counter-2026", "admin")
        set_password(uow, "tomas", "bench-2026!", "admin")
        uow.commit()
    clock.advance(days=1)
    with pytest.raises(PermissionDenied):
        authenticate(db, "tomas", "bench-2025", sleeper=lambda _seconds: None)
    authenticate(db, "tomas", "bench-2026!", sleeper=lambda _seconds: None)
    with db.unit_of_work(actor="petra") as uow:
        document = intake_document(passcode="5791")
        code = intake(uow, intake_request_from_json(document), "petra").code
        uow.commit()
    with db.unit_of_work(actor="tomas") as uow:
        change_status(uow, code, JobStatus.DIAGNOSING, "tomas")
        edit_job(uow, code, JobEdit(passcode="8642"), "tomas", expected_version=None)
        uow.commit()
    with db.unit_of_work(actor="marta") as uow:
        add_part(uow, PartInput(sku="SCR-1", name="Screen", price=Decimal(50)), "marta")
        receive_part(uow, "SCR-1", 3, "marta")
        add_service(uow, ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(20)), "marta")
        uow.commit()
    with db.unit_of_work(actor="marta") as uow:
        update_service(uow, ServiceInput(code="DIAG", name="Diagnosis", price=Decimal(25)), "marta")
        uow.commit()
    with db.unit_of_work(actor="admin") as uow:
        set_setting(uow, "default_promised_days", "4", "admin")
        disable_user(uow, "petra", "admin")
        uow.commit()
    return code


def _entries(db: Database, **query: object) -> list[AuditLine]:
    with db.reader(actor="admin") as uow:
        return audit_entries(uow, AuditQuery(**query))  # type: ignore[arg-type]


def _find(lines: list[AuditLine], user: str, action: str, kind: str, label: str) -> AuditLine:
    found = [
        line
        for line in lines
        if (line.user, line.action, line.kind, line.label) == (user, action, kind, label)
    ]
    assert found, (user, action, kind, label)
    return found[0]


def test_a_scripted_day_is_in_the_log_with_who_what_and_old_to_new(
    db: Database, clock: SettableClock
) -> None:
    code = _day(db, clock)
    lines = _entries(db)

    _find(lines, "admin", "created", "user", "tomas")
    assert _find(lines, "admin", "changed", "user", "tomas").changes == {
        "password_hash": [None, "•••"]
    }
    refused = _find(lines, "tomas", "sign_in_refused", "sign_in", "tomas")
    assert refused.changes["failures"] == [None, 1]
    _find(lines, "tomas", "signed_in", "sign_in", "tomas")
    created = _find(lines, "petra", "created", "job", code)
    assert created.job == code
    assert created.changes["status"] == [None, "received"]
    assert _find(lines, "petra", "created", "customer", "Jiří Dvořák").job is None
    moved = [
        line for line in lines if line.user == "tomas" and line.kind == "job" and line.job == code
    ]
    assert {"status": ["received", "diagnosing"]} in [line.changes for line in moved]
    assert {"passcode": ["•••", "•••"]} in [line.changes for line in moved]
    _find(lines, "marta", "created", "part", "SCR-1")
    received = _find(lines, "marta", "created", "stock", "SCR-1").changes
    assert (received["kind"], received["on_hand_delta"]) == ([None, "received"], [None, 3])
    assert _find(lines, "marta", "changed", "price", "DIAG").changes["price_minor"] == [2000, 2500]
    # The default was never stored: the first change creates the setting's row.
    setting = _find(lines, "admin", "created", "setting", "default_promised_days")
    assert setting.changes == {"key": [None, "default_promised_days"], "value": [None, "4"]}
    assert _find(lines, "admin", "changed", "user", "petra").changes == {"active": [True, False]}

    everything = json.dumps([line.changes for line in lines], ensure_ascii=False)
    for secret in ("8642", "5791", "bench-2026!", "counter-2026", "$argon2"):
        assert secret not in everything
    assert [line.at for line in lines] == sorted((line.at for line in lines), reverse=True)


def test_the_log_filters_by_person_job_and_day(db: Database, clock: SettableClock) -> None:
    code = _day(db, clock)
    with db.unit_of_work(actor="admin") as uow:
        other = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    assert {line.user for line in _entries(db, user="Tomas")} == {"tomas"}
    assert {line.job for line in _entries(db, job=code.lower())} == {code}
    assert other not in {line.job for line in _entries(db, job=code)}
    first_day = _entries(db, day_from=date(2026, 3, 10), day_to=date(2026, 3, 10))
    assert {line.label for line in first_day} == {"petra", "tomas", "marta", "admin"}
    assert len(_entries(db, day_from=date(2026, 3, 11))) == len(_entries(db)) - len(first_day)
    with db.reader(actor="tomas") as uow, pytest.raises(PermissionDenied):
        audit_entries(uow, AuditQuery())


def test_nothing_can_change_or_delete_the_log(db: Database, clock: SettableClock) -> None:
    _day(db, clock)
    with db.unit_of_work(actor="admin") as uow:
        entry = uow.session.scalars(select(AuditEntry).limit(1)).one()
        entry.user_login = "nobody"
        with pytest.raises(PermissionDenied, match="cannot be changed or deleted"):
            uow.flush()
    with db.unit_of_work(actor="admin") as uow:
        uow.session.delete(uow.session.scalars(select(AuditEntry).limit(1)).one())
        with pytest.raises(PermissionDenied):
            uow.flush()
    with db.unit_of_work(actor="admin") as uow:
        assert "nobody" not in uow.session.scalars(select(AuditEntry.user_login)).all()


def test_repairshop_audit_lists_and_filters_as_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    env: dict[str, str | None] = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": url}
    assert run_in_process(["db", "upgrade"], env=env).returncode == 0
    code = run_in_process(["intake", "-"], stdin=json.dumps(intake_document()), env=env)
    assert code.returncode == 0, code.stderr
    ticket = code.stdout.strip()
    added = run_in_process(["user", "add", "kasia", "--name", "Kasia", "--role", "clerk"], env=env)
    assert added.returncode == 0
    assert run_in_process(["job", "status", ticket, "diagnosing"], env=env).returncode == 0

    listed = run_in_process(["audit", "--job", ticket, "--json"], env=env)
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert {entry["job"] for entry in entries} == {ticket}
    assert entries[0]["changes"] == {"status": {"from": "received", "to": "diagnosing"}}
    assert set(entries[0]) >= {"at", "user", "action", "record", "id", "label", "job", "changes"}

    people = json.loads(run_in_process(["audit", "--user", "admin", "--json"], env=env).stdout)
    assert {"kasia"} <= {entry["label"] for entry in people if entry["record"] == "user"}
    none = run_in_process(["audit", "--from", "2000-01-01", "--to", "2000-01-31"], env=env)
    assert (none.returncode, none.stdout) == (0, "")
    text = run_in_process(["audit", "--job", ticket], env=env).stdout
    assert "status: received → diagnosing" in text

    clerk = run_in_process(["--user", "kasia", "audit"], env=env)
    assert clerk.returncode == 1
    assert "may not do this" in clerk.stderr


def test_a_restore_is_logged_on_top_of_the_log_it_brings_back(
    db: Database, clock: SettableClock, tmp_path: Path
) -> None:
    _day(db, clock)
    db.actor = "admin"
    backup(db, tmp_path / "monday.sqlite")
    clock.advance(days=1)
    with db.unit_of_work() as uow:
        set_setting(uow, "default_promised_days", "6", "admin")
        uow.commit()
    restore(db, tmp_path / "monday.sqlite", replace=True)
    newest = _entries(db)[0]
    assert (newest.user, newest.action, newest.kind, newest.label) == (
        "admin",
        "restored",
        "database",
        "monday.sqlite",
    )
    assert not [line for line in _entries(db) if line.changes.get("value") == ["4", "6"]]
