"""The command line imports only the module of the command it runs; what it prints as help,
and how it reads arguments, is the same as with every module's parser."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from repairshop.bootstrap import open_database
from repairshop.cli import COMMAND_MODULES, build_parser, command_module, parse


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no sub-commands")


def test_the_table_names_what_each_module_registers_in_order() -> None:
    for module, names in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers(dest="command", metavar="COMMAND")
        command_module(module).register(commands)
        registered = [(action.dest, action.help) for action in commands._choices_actions]
        assert registered == [(name, help_text) for name, help_text in names], module


def test_the_help_of_the_command_line_and_of_each_command_is_that_of_the_whole_parser() -> None:
    whole = build_parser(every=True)
    assert build_parser().format_help() == whole.format_help()
    for name, parser in _commands(whole).items():
        lazy = _commands(build_parser(name))[name]
        assert lazy.format_help() == parser.format_help(), name
        for action_name, action_parser in _commands(parser).items() if parser._subparsers else []:
            lazy_action = _commands(lazy)[action_name]
            assert lazy_action.format_help() == action_parser.format_help(), action_name


@pytest.mark.parametrize(
    "argv",
    [
        ["job", "find", "x"],
        ["--db", "shop.sqlite", "--user", "eva", "job", "find", "novák"],
        ["report", "turnaround", "--by", "technician"],
        ["db", "upgrade"],
    ],
)
def test_arguments_read_as_with_the_whole_parser(argv: list[str]) -> None:
    expected = vars(build_parser(every=True).parse_args(argv))
    got = vars(parse(argv))
    assert got.keys() == expected.keys()
    assert {key: value for key, value in got.items() if key != "handler"} == {
        key: value for key, value in expected.items() if key != "handler"
    }
    assert getattr(got.get("handler"), "__qualname__", None) == getattr(
        expected.get("handler"), "__qualname__", None
    )


@pytest.mark.parametrize(
    "argv", [["job", "find"], ["nonsense"], ["--db"], ["job", "--help"], ["--help"]]
)
def test_usage_errors_and_help_read_as_with_the_whole_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as whole_exit:
        build_parser(every=True).parse_args(argv)
    whole = capsys.readouterr()
    with pytest.raises(SystemExit) as lazy_exit:
        parse(argv)
    assert capsys.readouterr() == whole
    assert lazy_exit.value.code == whole_exit.value.code


PROBE = """
import json, sys
from repairshop.cli import main
code = main(["--db", sys.argv[1], "job", "find", "x"])
print(json.dumps([code, sorted(m for m in sys.modules if m.startswith("repairshop.commands."))]))
"""
JOBS_ALONE = """
import json, sys
import repairshop.commands.argparse_texts, repairshop.commands.sign_in, repairshop.commands.jobs
print(json.dumps(sorted(m for m in sys.modules if m.startswith("repairshop.commands."))))
"""


def _run(source: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", source, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_search_imports_only_the_jobs_commands(tmp_path: Path) -> None:
    """`job find` loads the jobs commands and what they import (the job's money, parts and
    claims actions), none of the other rooms' commands."""
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()
    code, loaded = json.loads(_run(PROBE, url))
    assert code == 0
    assert loaded == json.loads(_run(JOBS_ALONE))
    for module in ("database", "reports", "customers", "backup", "audit", "evidence"):
        assert f"repairshop.commands.{module}" not in loaded
