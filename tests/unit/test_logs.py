"""The log file: in the platform's log folder, rotated, and never holding a passcode or password."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from repairshop import cli, logs
from repairshop.logs import scrub, start_log, stop_log
from repairshop.services.jobs.intake import intake_request_from_json

DOCUMENT = {
    "customer": {"name": "Jiří Dvořák", "phone": "+420 603 123 456"},
    "device": {"type": "phone", "brand": "Samsung", "model": "Galaxy S23"},
    "fault": "Does not charge",
    "passcode": "7391 46",
}


@pytest.fixture
def log_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "RepairShop" / "log"


def test_the_log_is_in_the_platforms_log_folder(log_home: Path) -> None:
    handler = start_log()
    try:
        logging.getLogger("repairshop.test").warning("a warning")
    finally:
        stop_log(handler)
    assert logs.log_folder() == log_home
    assert "a warning" in (log_home / "repairshop.log").read_text(encoding="utf-8")


def test_a_job_and_an_error_carrying_the_passcode_leave_no_passcode_in_the_log(
    log_home: Path,
) -> None:
    request = intake_request_from_json(DOCUMENT)
    assert "7391 46" in repr(request)  # what a careless log line would write
    log = logging.getLogger("repairshop.test")
    handler = start_log()
    try:
        log.info("intake %r", request)
        log.info("intake document %s", DOCUMENT)
        log.info("user %s, password: hunter2; passcode=1590", "eva")
        try:
            raise ValueError(f"wrong passcode {request.passcode!r} for {request.device.model}")
        except ValueError:
            log.exception("unexpected error")
        log.warning("cannot reach postgresql+psycopg://shop:S3cret!@db.example/shop")
    finally:
        stop_log(handler)
    text = (log_home / "repairshop.log").read_text(encoding="utf-8")
    for secret in ("7391", "hunter2", "1590", "S3cret!"):
        assert secret not in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: wrong passcode ***" in text
    assert "Galaxy S23" in text  # the rest stays readable
    assert "Jiří Dvořák" in text
    assert "postgresql+psycopg://shop:***@db.example/shop" in text


def test_the_log_rotates(log_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    handler = start_log(logs.CLI_LOG)
    try:
        for number in range(400):
            logging.getLogger("repairshop.test").info("line %d of a busy day", number)
    finally:
        stop_log(handler)
    files = sorted(path.name for path in log_home.iterdir())
    assert files == [
        "repairshop-cli.log",
        *(f"repairshop-cli.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)),
    ]
    assert all(path.stat().st_size <= 2_000 for path in log_home.iterdir())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("passcode='1234'", "passcode=***"),
        ('{"passcode": "12 34", "fault": "x"}', '{"passcode": ***, "fault": "x"}'),
        ("device_passcode=0000 model=X", "device_passcode=*** model=X"),
        ("Password: pa55 word", "Password: *** word"),
        ("PIN 4321", "PIN ***"),
        ("shipping 2 boxes", "shipping 2 boxes"),
        ("Only technicians may change the passcode.", "Only technicians may change the passcode."),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_a_bug_in_a_command_is_logged_and_named_with_the_logs_path(
    log_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(url: str | None, **_options: object) -> object:
        raise RuntimeError("driver said: password=hunter2 rejected")

    monkeypatch.setattr(cli, "open_database", broken)
    assert cli.main(["--db", "postgresql://eva:hunter2@127.0.0.1/shop", "db", "upgrade"]) == 1
    log_file = log_home / logs.CLI_LOG
    message = capsys.readouterr().err
    assert "Something went wrong that RepairShop did not expect" in message
    assert str(log_file) in message
    text = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: driver said: password=*** rejected" in text
    assert "hunter2" not in text
