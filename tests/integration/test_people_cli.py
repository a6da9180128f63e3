"""`repairshop user add|passwd|disable` and a closed shop's command line signing in."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import postgres_schema, run_in_process
from tests.integration.test_cli import EXAMPLE, Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def run_as(
    shop: Shop, login: str, password: str | None, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env: dict[str, str | None] = {"LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": shop.url}
    env["REPAIRSHOP_PASSWORD"] = password
    return run_in_process(["--user", login, *args], stdin=stdin, env=env)


def test_once_the_administrator_sets_a_password_every_write_signs_in(shop: Shop) -> None:
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    added = shop.run(
        "user",
        "add",
        "tomas",
        "--name",
        "Tomáš",
        "--role",
        "technician",
        "--password-stdin",
        stdin="bench-2026!\n",
    )
    assert added.returncode == 1
    assert "administrator's password first" in added.stderr
    assert (
        shop.run("user", "add", "tomas", "--name", "Tomáš", "--role", "technician").returncode == 0
    )
    assert shop.run("user", "add", "kasia", "--name", "Kasia", "--role", "clerk").returncode == 0

    closing = shop.run("user", "passwd", "admin", "--password-stdin", stdin="counter-2026\n")
    assert closing.returncode == 0, closing.stderr

    refused = shop.run("job", "status", code, "diagnosing")  # no password given
    assert refused.returncode == 1
    assert "REPAIRSHOP_PASSWORD" in refused.stderr
    wrong = run_as(shop, "admin", "guess", "job", "status", code, "diagnosing")
    assert (wrong.returncode, wrong.stderr) == (
        1,
        "repairshop: The login or the password is wrong.\n",
    )
    seen = run_as(shop, "kasia", None, "job", "show", code, "--json")  # a clerk's read needs none
    assert '"status": "received"' in seen.stdout

    set_tech = run_as(
        shop,
        "admin",
        "counter-2026",
        "user",
        "passwd",
        "tomas",
        "--password-stdin",
        stdin="bench-2026!\n",
    )
    assert set_tech.returncode == 0, set_tech.stderr
    moved = run_as(shop, "tomas", "bench-2026!", "job", "status", code, "diagnosing")
    assert moved.returncode == 0, moved.stderr

    # A technician may see the passcode, so reading as one needs the password too.
    claimed = run_as(shop, "tomas", None, "job", "show", code)
    assert claimed.returncode == 1
    assert "2580" not in claimed.stdout
    shown = run_as(shop, "tomas", "bench-2026!", "job", "show", code)
    assert "Passcode: 2580\n" in shown.stdout
    clerk = run_as(shop, "kasia", None, "job", "show", code)
    assert clerk.returncode == 0
    assert "2580" not in clerk.stdout


def test_a_disabled_user_stays_on_the_job_and_cannot_work(shop: Shop) -> None:
    assert (
        shop.run("user", "add", "tomas", "--name", "Tomáš", "--role", "technician").returncode == 0
    )
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    assert shop.run("job", "assign", code, "tomas").returncode == 0
    disabled = shop.run("user", "disable", "tomas")
    assert disabled.returncode == 0, disabled.stderr
    assert [user["login"] for user in shop.json("user", "list")] == ["admin"]
    assert shop.json("job", "show", code)["assignee"] == "tomas"
    refused = shop.run("--user", "tomas", "job", "note", code, "still here")
    assert refused.returncode == 1
    assert "There is no user “tomas”" in refused.stderr
    clerk_tries = shop.run("user", "add", "kasia", "--name", "Kasia", "--role", "clerk")
    assert clerk_tries.returncode == 0
    refused = shop.run("--user", "kasia", "user", "disable", "admin")
    assert refused.returncode == 1
    assert "may not do this" in refused.stderr


def test_a_person_chooses_their_own_pin_and_an_administrator_may_only_take_it_away(
    shop: Shop,
) -> None:
    assert (
        shop.run("user", "add", "tomas", "--name", "Tomáš", "--role", "technician").returncode == 0
    )
    chosen = shop.run("--user", "tomas", "user", "pin", "tomas", "--pin-stdin", stdin="4711\n")
    assert chosen.returncode == 0, chosen.stderr
    refused = shop.run("user", "pin", "tomas", "--pin-stdin", stdin="1234\n")
    assert refused.returncode == 1
    assert "Only Tomáš may choose their PIN" in refused.stderr
    assert shop.run("user", "pin", "tomas", "--remove").returncode == 0
    bad = shop.run("--user", "tomas", "user", "pin", "tomas", "--pin-stdin", stdin="47\n")
    assert (bad.returncode, bad.stderr) == (1, "repairshop: A PIN is 4 to 8 digits.\n")
