"""A mistyped database path is refused, not made into a new, empty shop with its folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_cli import EXAMPLE, Shop


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "LANG": "C.UTF-8", **env}
    environment.pop("REPAIRSHOP_USER", None)
    if "REPAIRSHOP_DATABASE_URL" not in env:
        environment.pop("REPAIRSHOP_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "repairshop", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [("job", "find", "x"), ("intake", str(EXAMPLE)), ("parts", "list"), ("demo", "--quiet")],
)
def test_every_command_refuses_a_file_that_is_not_there(
    tmp_path: Path, command: tuple[str]
) -> None:
    typo = tmp_path / "Shoop" / "repairshop.sqlite"
    for result in (
        run("--db", str(typo), *command),
        run(*command, REPAIRSHOP_DATABASE_URL=f"sqlite:///{typo}"),
    ):
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == (
            f"repairshop: There is no RepairShop database at {typo}. Check the path, or create "
            "a new shop there with “repairshop db upgrade”.\n"
        )
    assert not typo.parent.exists()


def test_db_upgrade_makes_the_file_and_then_the_commands_work(tmp_path: Path) -> None:
    new = tmp_path / "branch" / "shop.sqlite"
    made = run("--db", str(new), "db", "upgrade")
    assert made.returncode == 0, made.stderr
    assert new.is_file()
    assert Shop(f"sqlite:///{new}", create=False).run("intake", str(EXAMPLE)).returncode == 0


def test_demo_makes_the_default_database_on_a_fresh_install(tmp_path: Path) -> None:
    home = tmp_path / "data"
    demo = run("demo", "--jobs", "20", "--quiet", XDG_DATA_HOME=str(home))
    assert demo.returncode == 0, demo.stderr
    assert (home / "RepairShop" / "repairshop.sqlite").is_file()
    found = run("job", "find", "", "--json", XDG_DATA_HOME=str(home))
    assert found.returncode == 0
    assert found.stdout.count('"code"') == 20
    elsewhere = run("job", "find", "", XDG_DATA_HOME=str(tmp_path / "other"))
    assert elsewhere.returncode == 1
    assert "There is no RepairShop database at" in elsewhere.stderr
