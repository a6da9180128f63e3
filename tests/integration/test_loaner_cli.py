"""``repairshop loaner add|list|lend|return`` and an intake document with evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import intake_document, postgres_schema
from tests.integration.test_cli import Shop
from tests.printouts import pdf_text


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def test_a_loaner_is_lent_listed_refused_twice_and_returned(shop: Shop, tmp_path: Path) -> None:
    added = shop.run("loaner", "add", "L1", "--name", "iPhone 11", "--deposit", "50")
    assert added.returncode == 0, added.stderr
    document = intake_document(checklist={"screen": "cracked"}, pattern_lock="1-2-3-6")
    code = shop.run("intake", stdin=json.dumps(document)).stdout.strip()
    assert shop.json("loaner", "list")["loaners"][0]["job"] is None
    none = shop.run("loaner", "agreement", code, "--out", str(tmp_path / "none.pdf"))
    assert none.returncode == 1
    assert "Pattern lock: 1-2-3-6" in shop.run("job", "show", code).stdout
    lent = shop.run("loaner", "lend", "l1", code, "--due", "2099-01-01", "--condition", "mint")
    assert lent.returncode == 0, lent.stderr
    (row,) = shop.json("loaner", "list")["loaners"]
    assert (row["label"], row["job"], row["due"], row["overdue"]) == (
        "L1", code, "2099-01-01", False,
    )  # fmt: skip
    agreement = tmp_path / "agreement.pdf"
    made = shop.run("loaner", "agreement", code, "--out", str(agreement), "--lang", "cs")
    assert made.returncode == 0, made.stderr
    text = pdf_text(agreement.read_bytes())
    assert "Smlouva o výpůjčce" in text
    assert "L1 iPhone 11" in text
    assert "mint" in text
    again = shop.run("loaner", "lend", "L1", code)
    assert again.returncode == 1
    assert "L1" in again.stderr
    assert shop.json("loaner", "list", "--overdue")["loaners"] == []
    assert "with " + code in shop.run("loaner", "list").stdout
    assert shop.run("loaner", "return", "L1", "--condition", "ok").returncode == 0
    assert shop.run("loaner", "return", "L1").returncode == 1
    assert shop.json("loaner", "list")["loaners"][0]["job"] is None


def test_the_condition_is_checked_again_and_compared_on_the_command_line(
    shop: Shop, tmp_path: Path
) -> None:
    document = intake_document(checklist={"screen": "cracked", "back": "ok"})
    code = shop.run("intake", stdin=json.dumps(document)).stdout.strip()
    partial = shop.run("checklist", "record", code, "screen=ok", "--final")
    assert partial.returncode == 1
    assert "Frame" in partial.stderr
    bad = shop.run("checklist", "record", code, "screen:ok")
    assert bad.returncode == 1
    points = ("screen", "frame", "back", "buttons", "cameras", "speakers", "microphone",
              "charging_port", "biometrics", "sim_tray", "water_indicator")  # fmt: skip
    answers = [f"{point}={'scratched' if point == 'back' else 'ok'}" for point in points]
    done = shop.run("checklist", "record", code, *answers, "--final")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "condition.pdf"
    assert shop.run("checklist", "pdf", code, "--out", str(out), "--lang", "en").returncode == 0
    text = pdf_text(out.read_bytes())
    assert [line.split()[0] for line in text.splitlines() if "≠" in line] == ["Screen", "Back"]
