"""``repairshop services``, ``job line`` and ``job approve`` as a script calls them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import intake_document, postgres_schema
from tests.integration.test_cli import Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def test_a_quote_is_built_approved_and_held_to_on_the_command_line(shop: Shop) -> None:
    document = json.dumps(intake_document(estimate="6800"))
    code = shop.run("intake", stdin=document).stdout.strip()
    assert code
    service = shop.json(
        "services", "add", "DIAG", "--name", "Diagnosis", "--price", "490", "--vat", "21"
    )
    assert service["code"] == "DIAG"
    assert service["vat_rate"] == "21"
    added = shop.run(
        "services", "add", "scr-s23", "--name", "Screen replacement Galaxy S23",
        "--price", "6310", "--device-type", "phone", "--brand", "Samsung",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert [s["code"] for s in shop.json("services", "list", "--device-type", "laptop")] == ["DIAG"]
    assert shop.json("services", "show", "SCR-S23")["brand"] == "Samsung"

    shop.run("job", "line", "add", code, "--service", "DIAG")
    lines = shop.json("job", "line", "add", code, "--service", "SCR-S23")
    assert [(line["description"], line["gross"]) for line in lines["lines"]] == [
        ("Diagnosis", "490.00"),
        ("Screen replacement Galaxy S23", "6310.00"),
    ]
    assert set(lines["lines"][0]) >= {
        "description", "quantity", "unit_price", "vat_rate", "net", "vat", "gross",
    }  # fmt: skip
    assert lines["total"] == "6800.00"
    assert shop.json("job", "line", "list", code)["total"] == "6800.00"

    assert shop.run("job", "status", code, "diagnosing").returncode == 0
    assert shop.run("job", "status", code, "awaiting_approval").returncode == 0
    refused = shop.run("job", "status", code, "in_repair")
    assert refused.returncode == 1
    assert "approv" in refused.stderr

    approved = shop.json("job", "approve", code, "--amount", "6800", "--by", "phone")
    assert approved["approval"]["amount"] == "6800.00"
    assert approved["approval"]["by"] == "phone"
    assert approved["approval"]["user"] == "admin"
    assert shop.run("job", "status", code, "in_repair").returncode == 0

    before = shop.json("job", "show", code)
    more = shop.run("job", "line", "add", code, "--text", "Data backup", "--price", "300")
    assert more.returncode == 1
    assert "6,800.00" in more.stderr
    assert shop.json("job", "show", code) == before  # nothing changed
    assert before["price"] == "6800.00"
    assert before["estimate"] == "6800.00"
    assert [e["kind"] for e in before["history"]].count("approval") == 1


def test_bad_usage_exits_2_and_a_bad_rate_or_way_exits_1(shop: Shop) -> None:
    code = shop.run("intake", stdin=json.dumps(intake_document())).stdout.strip()
    both = shop.run("job", "line", "add", code, "--service", "X", "--text", "Y")
    assert both.returncode == 2
    bad_rate = shop.run("job", "line", "add", code, "--text", "Y", "--price", "1", "--vat", "x")
    assert bad_rate.returncode == 1
    assert "VAT rate" in bad_rate.stderr
    bad_way = shop.run("job", "approve", code, "--amount", "100", "--by", "pigeon")
    assert bad_way.returncode == 1
    assert "in_person" in bad_way.stderr


def test_a_service_is_changed_on_the_command_line(shop: Shop) -> None:
    added = shop.run(
        "services", "add", "SCR-S23", "--name", "Screen Galaxy S23", "--price", "6310",
        "--vat", "21", "--device-type", "phone", "--brand", "Samsung",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    edited = shop.json("services", "edit", "scr-s23", "--price", "5990", "--brand", "")
    assert (edited["name"], edited["price"], edited["vat_rate"]) == (
        "Screen Galaxy S23",
        "5990.00",
        "21",
    )
    assert (edited["device_type"], edited["brand"]) == ("phone", None)
    assert shop.json("services", "show", "SCR-S23")["price"] == "5990.00"
    refused = shop.run("services", "edit", "SCR-S23", "--name", " ")
    assert refused.returncode == 1
    assert "needs a name" in refused.stderr
    assert shop.run("services", "edit", "NOPE", "--price", "1").returncode == 1
