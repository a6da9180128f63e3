"""``repairshop parts ...`` and ``job *-part`` as scripts call them: JSON, exit codes 0/1/2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import postgres_schema
from tests.integration.test_cli import EXAMPLE, Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    if request.param == "sqlite":
        yield Shop(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    else:
        with postgres_schema() as url:
            yield Shop(url)


def test_parts_show_json_keeps_its_contract_and_refusals_exit_1(shop: Shop) -> None:
    added = shop.run("parts", "add", "SCR-S23", "--name", "Galaxy S23 display", "--price", "2490")
    assert added.returncode == 0, added.stderr
    assert shop.run("parts", "receive", "SCR-S23", "1", "--cost", "1500").returncode == 0
    first = shop.run("intake", str(EXAMPLE)).stdout.strip()
    second = shop.run("intake", str(EXAMPLE)).stdout.strip()

    assert shop.run("job", "reserve-part", first, "SCR-S23").returncode == 0
    part = shop.json("parts", "show", "SCR-S23")
    assert {k: part[k] for k in ("sku", "name", "on_hand", "reserved", "available")} == {
        "sku": "SCR-S23",
        "name": "Galaxy S23 display",
        "on_hand": 1,
        "reserved": 1,
        "available": 0,
    }

    refused = shop.run("job", "use-part", second, "SCR-S23")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert "Not enough “Galaxy S23 display” (SCR-S23) in stock: 0 available" in refused.stderr
    assert shop.json("parts", "show", "SCR-S23") == part

    assert shop.run("job", "use-part", first, "SCR-S23").returncode == 0
    job = shop.json("job", "show", first)
    assert [(e["old"], e["new"]) for e in job["history"] if e["kind"] == "part"] == [
        ("reserved", "1 × SCR-S23"),
        ("used", "1 × SCR-S23"),
    ]
    assert [(p["sku"], p["used"], p["total"]) for p in job["parts"]] == [("SCR-S23", 1, "2490.00")]
    after = shop.json("parts", "show", "SCR-S23")
    assert (after["on_hand"], after["reserved"], after["available"]) == (0, 0, 0)
    assert [m["kind"] for m in after["movements"]] == ["used", "reserved", "received"]

    assert shop.run("job", "release-part", first, "SCR-S23").returncode == 1
    assert shop.run("parts", "receive", "SCR-S23", "-3").returncode == 1
    assert shop.run("parts", "receive", "NOPE", "1").returncode == 1
    assert shop.run("parts", "add", "scr-s23", "--name", "again").returncode == 1
    assert shop.run("parts", "adjust", "SCR-S23", "2").returncode == 2  # --reason is required
    assert shop.run("parts", "frobnicate").returncode == 2
    assert shop.json("parts", "show", "SCR-S23")["on_hand"] == 0


def test_import_refuses_a_file_with_errors_unless_good_rows_only(
    shop: Shop, tmp_path: Path
) -> None:
    csv_file = tmp_path / "catalogue.csv"
    csv_file.write_text(
        "sku,name,price,reorder_level,reorder_quantity,supplier\n"
        "BAT-IP13,iPhone 13 battery,890,3,10,Součástky CZ\n"
        "bad sku,Broken,1,1,1,\n",
        encoding="utf-8",
    )
    refused = shop.run("parts", "import", str(csv_file))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1
    assert "1 row has errors; nothing was imported" in refused.stderr
    assert refused.stdout.startswith("line 3: ")
    assert shop.json("parts", "list") == []

    done = shop.run("parts", "import", str(csv_file), "--good-rows-only", "--json")
    assert done.returncode == 0, done.stderr
    assert '"added": 1' in done.stdout
    [low] = shop.json("parts", "list", "--low")
    assert low["sku"] == "BAT-IP13"

    proposed = shop.json("parts", "order", "propose")
    [order] = proposed["orders"]
    assert order["supplier"] == "Součástky CZ"
    assert order["lines"][0]["quantity"] == 10
    assert shop.run("parts", "order", "receive", order["number"]).returncode == 1  # not sent
    assert shop.run("parts", "order", "send", order["number"]).returncode == 0
    received = shop.json("parts", "order", "receive", order["number"], "BAT-IP13=4")
    assert received["status"] == "partly_received"
    assert shop.json("parts", "show", "BAT-IP13")["on_hand"] == 4
    assert shop.json("parts", "arrived") == []


def test_receiving_at_a_cost_says_what_became_of_the_catalogue_cost(shop: Shop) -> None:
    assert shop.run("parts", "add", "BAT-IP13", "--name", "iPhone 13 battery").returncode == 0
    assert shop.run("parts", "receive", "BAT-IP13", "4", "--cost", "300").returncode == 0
    second = shop.run("parts", "receive", "BAT-IP13", "2", "--cost", "360")
    assert second.stdout.splitlines()[-1] == (
        "Catalogue cost changed from €300.00 to €320.00: the average of 4 on hand at €300.00 "
        "and 2 received at €360.00."
    )
    third = shop.json("parts", "receive", "BAT-IP13", "2", "--cost", "350")
    assert third["cost_change"] == {"from": "320.00", "to": "327.50"}
    assert shop.json("parts", "show", "BAT-IP13")["cost"] == "327.50"
