"""``repairshop report turnaround|workload`` over the hand-built week (ARCHITECTURE.md)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from repairshop.cli import main
from repairshop.services.database import Database
from tests.helpers import SettableClock
from tests.report_history import build_week


@pytest.fixture
def url(sqlite_db: Database, clock: SettableClock, monkeypatch: pytest.MonkeyPatch) -> str:
    build_week(sqlite_db, clock)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    return sqlite_db.url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_turnaround_json_keeps_its_contract(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", url, "report", "turnaround", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["by"] == "technician"
    assert data["hours"] == "calendar"
    rows = {row["technician"]: row for row in data["rows"]}
    assert rows["tomas"]["count"] == 2
    assert rows["tomas"]["median_hours"] == 52.0
    assert rows["tomas"]["p90_hours"] == 73.6
    assert rows["tomas"]["mean_hours"] == 52.0
    assert data["total"]["mean_hours"] == 49.0


def test_turnaround_by_device_type_to_collection_in_business_hours(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--by", "device_type", "--to-collected", "--business-hours", "--format", "json")
    code, out, _err = run(capsys, "--db", url, "report", "turnaround", *args)
    assert code == 0
    data = json.loads(out)
    # A: Tue 09:00 to Thu 10:00 is 8 + 9 + 2 = 19 business hours; C: 8 + 4 = 12.
    assert data["rows"] == [
        {
            "device_type": "phone",
            "label": "Phone",
            "count": 2,
            "jobs": 2,
            "median_hours": 15.5,
            "p90_hours": 18.3,
            "mean_hours": 15.5,
        }
    ]


def test_turnaround_csv_and_table(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys, "--db", url, "report", "turnaround", "--by", "status", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    parts = next(row for row in rows if row["status"] == "awaiting_parts")
    assert (parts["count"], parts["jobs"], parts["mean_hours"]) == ("2", "1", "36.0")
    code, out, _err = run(capsys, "--db", url, "report", "turnaround", "--from", "2026-03-11")
    assert code == 0
    assert "Tomáš Hrubý" in out
    assert "All jobs" in out


def test_workload_json_and_tables(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys,
        "--db",
        url,
        "report",
        "workload",
        "--from",
        "2026-03-10",
        "--to",
        "2026-03-16",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["days"][0] == {"day": "2026-03-10", "taken_in": 4, "ready": 0, "collected": 0}
    # The command runs on the real clock, so E and F are months old by now.
    assert sum(bucket["jobs"] for bucket in data["ageing"]) == 2
    code, out, _err = run(capsys, "--db", url, "report", "workload", "--by", "ageing")
    assert code == 0
    assert "over 30 days" in out
    code, out, _err = run(
        capsys, "--db", url, "report", "workload", "--by", "technician", "--format", "csv"
    )
    assert out.splitlines()[0] == "technician,name,open_jobs,overdue"


def test_bad_dates_give_one_line_and_exit_1(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", url, "report", "turnaround", "--from", "2026-13-01")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "YYYY-MM-DD" in err
    code, _out, err = run(
        capsys, "--db", url, "report", "workload", "--from", "2026-03-10", "--to", "2026-03-01"
    )
    assert code == 1
    assert "starts" in err


def test_bad_usage_exits_2(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", url, "report", "turnaround", "--by", "colour"])
    assert exit_info.value.code == 2


def test_unknown_technician_or_device_type_is_refused(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--db", url, "report", "turnaround", "--technician", "nobody")
    assert code == 1
    assert "nobody" in err
    code, _out, err = run(capsys, "--db", url, "report", "workload", "--device-type", "toaster")
    assert code == 1
    assert "toaster" in err
