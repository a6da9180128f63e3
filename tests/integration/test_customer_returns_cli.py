"""``repairshop return …``: a take-back opened, moved and decided on the command line."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import intake_document
from tests.integration.test_cli import Shop, shop  # noqa: F401  (the fixture)


def test_a_return_opened_restocked_and_refunded_from_the_command_line(shop: Shop) -> None:  # noqa: F811
    assert shop.run("intake", "-", stdin=json.dumps(intake_document())).returncode == 0
    assert (
        shop.run("parts", "add", "CASE-1", "--name", "Phone case", "--price", "390").returncode == 0
    )
    opened = shop.run(
        "return", "open", "--customer", "+420 777 123 456", "--sku", "case-1",
        "--reason", "Does not fit",
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    number = opened.stdout.strip()
    assert number.startswith("CR")
    assert number.endswith("-0001")
    listed: Any = shop.json("return", "list", "--open")
    assert [row["number"] for row in listed["returns"]] == [number]
    assert shop.run("return", "restock", number).returncode == 0
    again = shop.run("return", "scrap", number)
    assert again.returncode == 1
    assert "cannot become" in again.stderr
    assert again.stderr.count("\n") == 1
    refunded = shop.run("return", "refund", number, "--amount", "390")
    assert refunded.returncode == 0, refunded.stderr
    refused = shop.run("return", "refuse", number, "--reason", "Worn")
    assert refused.returncode == 1
    shown: Any = shop.json("return", "show", number)
    assert shown["state"] == "restocked"
    assert shown["decision"] == "refunded"
    assert shown["refund"] == "390.00"
    assert shown["customer"]["name"] == "Jiří Dvořák"
    assert [(h["from"], h["to"]) for h in shown["history"]] == [
        (None, "received"),
        ("received", "restocked"),
        (None, "refunded"),
    ]
    assert shop.json("return", "list", "--open") == {"returns": []}
    part: Any = shop.json("parts", "show", "CASE-1")
    assert part["on_hand"] == 1
    text = shop.run("return", "show", number.lower())
    assert text.returncode == 0
    assert "Does not fit" in text.stdout
    assert shop.run("return", "open", "--sku", "CASE-1", "--reason", "x").returncode == 2
