"""The ``repairshop`` command as a script or another tool calls it (ARCHITECTURE.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from repairshop.bootstrap import open_database
from repairshop.i18n import gettext_in
from repairshop.services.database import missing_database_file
from tests.helpers import intake_document, run_in_process, shop_url

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "intake.json"


class Shop:
    def __init__(self, url: str, *, create: bool = True) -> None:
        """The shop at ``url``; a SQLite file not there yet is made first, as `db upgrade` does."""
        self.url = url
        if create and missing_database_file(url) is not None:
            open_database(url).dispose()

    def run(
        self, *args: str, stdin: str | None = None, process: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """``repairshop *args`` in this process (fast), or as ``python -m repairshop`` when
        ``process`` is set (what the interpreter itself does at exit is part of the test)."""
        env = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": self.url}
        if not process:
            return run_in_process(list(args), stdin=stdin, env=env)
        full = {**os.environ, **env}
        full.pop("REPAIRSHOP_USER", None)
        return subprocess.run(
            [sys.executable, "-m", "repairshop", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=full,
            timeout=120,
            check=False,
        )

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    with shop_url(request.param, tmp_path, "cli.sqlite") as url:
        yield Shop(url)


def test_example_intake_prints_a_ticket_code_and_a_refused_move_exits_1(shop: Shop) -> None:
    result = shop.run("intake", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip()
    assert code == "R000001"
    before = shop.json("job", "show", code)

    refused = shop.run("job", "status", code, "collected")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert "cannot move from “Received” to “Collected”" in refused.stderr
    assert shop.json("job", "show", code) == before


def test_job_show_json_keeps_its_contract(shop: Shop) -> None:
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    assert (
        shop.run("user", "add", "tomas", "--name", "Tomáš Hrubý", "--role", "technician").returncode
        == 0
    )
    assert shop.run("job", "assign", code, "tomas").returncode == 0
    assert shop.run("--user", "tomas", "job", "status", code, "diagnosing").returncode == 0
    assert shop.run("--user", "tomas", "job", "status", code, "in-repair").returncode == 1
    job = shop.json("job", "show", code)
    assert job["code"] == code
    assert job["status"] == "diagnosing"
    assert job["job_type"] == "paid_repair"
    assert job["assignee"] == "tomas"
    assert job["customer"] == {
        "name": "Łukasz Żółć",
        "phone": "+48601234567",
        "email": "lukasz.zolc@wp.pl",
        "language": "pl",
    }
    assert {k: job["device"][k] for k in ("type", "brand", "model", "serial", "imei")} == {
        "type": "phone",
        "brand": "Apple",
        "model": "iPhone 13",
        "serial": "F17GK2ABCD12",
        "imei": "353326111702413",
    }
    kinds = [event["kind"] for event in job["history"]]
    assert kinds == ["created", "assigned", "status"]
    status = job["history"][-1]
    assert (status["from"], status["to"], status["user"]) == ("received", "diagnosing", "tomas")
    assert status["at"].endswith("Z")


def test_intake_from_stdin_with_json_output(shop: Shop) -> None:
    result = shop.run("intake", "-", "--json", stdin=json.dumps(intake_document()))
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["code"] == "R000001"
    assert job["status"] == "received"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("intake", "-"), "{not json", "is not valid JSON"),
        (("intake", "-"), json.dumps(intake_document(fault="")), "“fault” is required"),
        (("intake", "-"), json.dumps({"customer": {"name": "X"}}), "“device” is required"),
        (
            ("intake", "-"),
            json.dumps(
                intake_document(
                    device={"type": "phone", "brand": "A", "model": "B", "imei": "123456789012345"}
                )
            ),
            "check digit",
        ),
        (("intake", "/nonexistent/intake.json"), None, "Cannot read"),
        (("job", "show", "R999999"), None, "no job with ticket code"),
        (("job", "status", "R999999", "ready"), None, "no job with ticket code"),
        (("job", "status", "R000001", "fixed"), None, "Unknown status"),
        (("--user", "ghost", "job", "status", "R000001", "diagnosing"), None, "no user"),
    ],
)
def test_bad_input_gets_one_line_and_exit_1_and_changes_nothing(
    shop: Shop, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    shop.run("intake", str(EXAMPLE))
    before = shop.json("job", "find", "")
    result = shop.run(*args, stdin=stdin)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert shop.json("job", "find", "") == before
    assert shop.json("job", "show", "R000001")["status"] == "received"


def test_bad_usage_exits_2(shop: Shop) -> None:
    assert shop.run("job", "frobnicate").returncode == 2
    assert shop.run("demo", "--jobs", "many").returncode == 2


def test_find_as_the_search_box_does(shop: Shop) -> None:
    assert shop.run("intake", str(EXAMPLE)).returncode == 0  # R000001: Łukasz Żółć's iPhone 13
    samsung = intake_document()  # R000002: Jiří Dvořák's Galaxy S23
    document = intake_document()
    document["customer"] = {"name": "Anna Nováková", "email": "anna@example.com"}
    document["device"] = {**document["device"], "brand": "Apple", "model": "iPhone 15"}
    for taken_in in (samsung, document):  # R000003: Anna Nováková's iPhone 15
        result = shop.run("intake", "-", stdin=json.dumps(taken_in))
        assert result.returncode == 0, result.stderr

    def found(text: str) -> list[str]:
        return sorted(job["code"] for job in shop.json("job", "find", text))

    assert found("żółć iphone") == ["R000001"]
    # R000003's phone is R000002's (the same IMEI), found again and typed in as an iPhone 15:
    # the device is one record, and its earlier job is found by its brand and model as now.
    assert found("iphone") == ["R000001", "R000002", "R000003"]
    assert found("galaxy") == []
    assert found("nováková iphone") == ["R000003"]
    assert found("nokia") == []


def test_db_upgrade_and_demo(shop: Shop) -> None:
    assert shop.run("db", "upgrade").returncode == 0
    result = shop.run("demo", "--jobs", "300", "--seed", "7", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "300 jobs" in result.stdout
    again = shop.run("demo", "--jobs", "10")
    assert again.returncode == 1
    assert "already has jobs" in again.stderr
    assert len(shop.json("job", "find", "", "--limit", "500")) == 300


def test_a_database_that_cannot_be_opened_gets_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = Shop(f"sqlite:///{blocker}/shop.sqlite", create=False).run("job", "find", "x")
    assert result.returncode == 1
    assert "database" in result.stderr.lower()
    assert "Traceback" not in result.stderr
    unreachable = Shop("postgresql://nobody@127.0.0.1:1/none", create=False).run("job", "find", "x")
    assert unreachable.returncode == 1
    assert "cannot be reached" in unreachable.stderr


def test_the_customer_message_is_in_the_customers_language_and_refused_with_no_news(
    shop: Shop,
) -> None:
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()

    message = shop.json("job", "message", code)
    assert message["language"] == "pl"
    assert message["kind"] == "received"
    assert message["email"] == "lukasz.zolc@wp.pl"
    assert code in message["subject"]
    assert message["body"].startswith(gettext_in("pl", "Dear {name},").format(name="Łukasz Żółć"))
    english = shop.json("job", "message", code, "--language", "en", "--kind", "ready")
    assert english["subject"] == f"Your device is ready for pickup (job {code})"

    assert shop.run("job", "status", code, "diagnosing").returncode == 0
    assert shop.run("job", "status", code, "on_hold").returncode == 0
    refused = shop.run("job", "message", code)
    assert refused.returncode == 1
    assert "no news for the customer" in refused.stderr


@pytest.mark.parametrize(
    ("lang", "usage", "error"),
    [
        ("de_DE.UTF-8", "Aufruf:", "Fehler: folgende Argumente sind erforderlich: ACTION"),
        ("pl_PL.UTF-8", "użycie:", "błąd: wymagane są następujące argumenty: ACTION"),
        ("C.UTF-8", "usage:", "error: the following arguments are required: ACTION"),
    ],
)
def test_usage_errors_speak_the_users_language(lang: str, usage: str, error: str) -> None:
    env = {**os.environ, "LANG": lang}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(variable, None)
    result = subprocess.run(
        [sys.executable, "-m", "repairshop", "job"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(usage)
    assert error in result.stderr
