"""A mistyped database path is refused, not made into a new, empty shop with its folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_in_process
from tests.integration.test_cli import EXAMPLE, Shop


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``repairshop *args`` in this process with no database named but by ``env``."""
    return run_in_process(list(args), env={"LANG": "C.UTF-8", **env})


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
