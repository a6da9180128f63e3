"""``repairshop settings`` and ``repairshop warranty`` as a script or another tool calls them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import intake_document, postgres_schema
from tests.integration.test_cli import Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def test_settings_show_national_defaults_and_set_refuses_what_it_does_not_know(
    shop: Shop,
) -> None:
    settings = shop.json("settings", "show")
    assert settings["shop.country"] == {"value": "CZ", "default": True}
    assert settings["complaint.decide_days"] == {"value": 30, "default": True}
    assert settings["warranty.burden_months"] == {"value": 12, "default": True}
    assert settings["tax.default_rate"] == {"value": "21", "default": True}
    assert settings["prices.include_vat"] == {"value": True, "default": True}

    assert shop.run("settings", "set", "shop.country", "pl").returncode == 0
    assert shop.run("settings", "set", "warranty.manufacturer_months.Apple", "12").returncode == 0
    settings = shop.json("settings", "show")
    assert settings["shop.country"] == {"value": "PL", "default": False}
    assert settings["complaint.decide_days"] == {"value": 14, "default": True}
    assert settings["warranty.burden_months"] == {"value": 24, "default": True}
    assert settings["tax.default_rate"] == {"value": "23", "default": True}
    assert settings["warranty.manufacturer_months.Apple"] == {"value": 12, "default": False}

    for args, message in (
        (("warranty.colour", "3"), "There is no setting “warranty.colour”"),
        (("complaint.decide_days", "soon"), "a whole number from 1 to 365"),
        (("complaint.working_days", "maybe"), "true or false"),
        (("tax.default_rate", "121"), "a percentage from 0 to 100"),
        (("shop.country", "XX"), "RepairShop knows the rules of"),
    ):
        refused = shop.run("settings", "set", *args)
        assert refused.returncode == 1
        assert message in refused.stderr
        assert refused.stderr.count("\n") == 1
    assert shop.run("user", "add", "eva", "--name", "Eva Malá", "--role", "clerk").returncode == 0
    assert shop.run("--user", "eva", "settings", "set", "tax.default_rate", "5").returncode == 1
    assert shop.json("settings", "show") == settings

    text = shop.run("settings", "show").stdout
    assert "complaint.decide_days" in text
    assert "(default)" in text


def test_intake_decides_job_show_and_explain_print_it_and_a_manager_overrides(
    shop: Shop,
) -> None:
    document = intake_document()
    del document["job_type"]
    bought = date.today() - timedelta(days=30)  # the command runs on the real clock
    document["device"].update(
        purchase_date=bought.isoformat(), proof_of_purchase="Alza invoice", sold_by_us=True
    )
    code = shop.run("intake", "-", stdin=json.dumps(document)).stdout.strip()
    job = shop.json("job", "show", code)
    assert job["job_type"] == "warranty_claim"
    assert job["warranty"]["regime"] == "statutory"
    assert job["warranty"]["burden_of_proof"] == "seller"
    assert job["warranty"]["overridden_by"] is None
    assert any("Also applies: Manufacturer's warranty" in r for r in job["warranty"]["reasons"])
    assert (
        "Warranty: Statutory liability of the seller until" in shop.run("job", "show", code).stdout
    )

    explained = shop.json("warranty", "explain", code)
    assert explained["regime"] == "statutory"
    assert [(rule["rule"], rule["applies"]) for rule in explained["rules"]] == [
        ("manufacturer", True),
        ("statutory", True),
        ("repair_warranty", False),
    ]
    text = shop.run("warranty", "explain", code).stdout
    assert "Rules tried:" in text
    assert "[does not apply] repair_warranty: We have not repaired this device before." in text

    assert shop.run("user", "add", "eva", "--name", "Eva Malá", "--role", "clerk").returncode == 0
    refused = shop.run(
        "--user", "eva", "warranty", "override", code, "none", "--reason", "water damage"
    )
    assert refused.returncode == 1
    assert "may not do this" in refused.stderr
    no_date = shop.run("warranty", "override", code, "manufacturer", "--reason", "goodwill")
    assert no_date.returncode == 1
    assert shop.json("job", "show", code) == job

    done = shop.run(
        "warranty",
        "override",
        code,
        "manufacturer",
        "--until",
        "2027-12-31",
        "--reason",
        "Samsung goodwill extension",
    )
    assert done.returncode == 0, done.stderr
    warranty = shop.json("job", "show", code)["warranty"]
    assert warranty["regime"] == "manufacturer"
    assert warranty["until"] == "2027-12-31"
    assert warranty["overridden_by"] == "admin"
    assert warranty["reasons"][0] == "Set by Administrator: Samsung goodwill extension"
