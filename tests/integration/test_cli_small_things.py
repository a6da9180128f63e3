"""What a person reads from ``job show`` and ``job message``, and listings piped into ``head``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from repairshop.bootstrap import open_database
from repairshop.i18n import translator
from tests.helpers import run_in_process, shop_url
from tests.integration.test_cli import EXAMPLE, Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    with shop_url(request.param, tmp_path, "cli.sqlite") as url:
        yield Shop(url)


def test_job_show_gives_what_was_taken_in_and_the_passcode_only_to_who_may_see_it(
    shop: Shop,
) -> None:
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    assert shop.run("user", "add", "kasia", "--name", "Kasia", "--role", "clerk").returncode == 0

    manager = shop.run("job", "show", code).stdout
    clerk = shop.run("--user", "kasia", "job", "show", code).stdout

    for shown in (manager, clerk):
        assert "Accessories: case, SIM card\n" in shown
        assert "Condition: Scratches on the frame, screen cracked top left\n" in shown
        assert "Estimate: €3,490.00  Deposit: €500.00\n" in shown
    assert "Passcode: 2580\n" in manager
    assert "Passcode" not in clerk
    assert "2580" not in clerk


def test_a_collected_job_has_no_message_for_the_customer(shop: Shop) -> None:
    code = shop.run("intake", str(EXAMPLE)).stdout.strip()
    for status in ("diagnosing", "cancelled", "ready"):
        moved = shop.run("job", "status", code, status)
        assert moved.returncode == 0, moved.stderr
    collected = shop.run("job", "collect", code)  # the deposit goes back
    assert collected.returncode == 0, collected.stderr
    for kind in ((), ("--kind", "ready")):
        refused = shop.run("job", "message", code, *kind)
        assert refused.returncode == 1
        assert refused.stdout == ""
        assert refused.stderr.startswith(f"repairshop: Job {code} was collected on ")
        assert refused.stderr.endswith(
            "the customer has the device back, so there is nothing more to tell them about it.\n"
        )


def test_a_listing_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    shop = Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    assert shop.run("demo", "--jobs", "1500", "--quiet").returncode == 0
    env = {**os.environ, "REPAIRSHOP_DATABASE_URL": shop.url, "LANG": "C.UTF-8"}
    for listing in (
        ("job", "find", "", "--limit", "1500"),
        ("job", "find", "", "--limit", "1500", "--json"),
    ):
        # More than a pipe holds, so the command is still writing when the reader goes.
        reader = subprocess.Popen(
            [sys.executable, "-m", "repairshop", *listing],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert reader.stdout is not None
        assert reader.stderr is not None
        first = reader.stdout.read(200)
        reader.stdout.close()  # what `head` does once it has its lines
        errors = reader.stderr.read().decode()
        status = reader.wait(timeout=120)
        assert first
        assert errors == ""
        assert status == 141


def test_the_command_line_speaks_language_under_a_c_locale(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()
    env = {"LANGUAGE": "cs", "LANG": "C.UTF-8", "REPAIRSHOP_DATABASE_URL": url}
    refused = run_in_process(["job", "show", "R999999"], env=env)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "repairshop: " + translator("cs").gettext(
        "There is no job with ticket code “{code}”."
    ).format(code="R999999")
    assert "zakázka" in refused.stderr.lower()
