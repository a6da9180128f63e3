"""``repairshop rma`` as a script or another tool calls it."""

from __future__ import annotations

import pytest

from tests.integration.test_cli import Shop, shop

__all__ = ["shop"]


@pytest.fixture
def stocked(shop: Shop) -> Shop:
    for args in (
        ("parts", "add", "SCR-S23", "--name", "Galaxy S23 display", "--supplier", "MobileParts"),
        ("parts", "receive", "SCR-S23", "2"),
    ):
        done = shop.run(*args)
        assert done.returncode == 0, done.stderr
    return shop


def on_hand(shop: Shop) -> tuple[int, int]:
    part = shop.json("parts", "show", "SCR-S23")
    return part["on_hand"], part["reserved"]


def test_an_rma_from_request_to_credit_on_the_command_line(stocked: Shop) -> None:
    shop = stocked
    made = shop.run("rma", "new", "MobileParts", "scr-s23", "--reason", "Dead pixels")
    assert (made.returncode, made.stdout) == (0, "RMA00001\n"), made.stderr
    assert on_hand(shop) == (2, 1)
    assert shop.run("rma", "send", "RMA00001", "--note", "DPD 1234").returncode == 0
    assert on_hand(shop) == (2 - 1, 0)
    closed = shop.json("rma", "close", "1", "credited")
    assert closed["state"] == "credited"
    shown = shop.json("rma", "show", "RMA00001")
    assert {key: shown[key] for key in ("number", "state", "supplier", "sku", "serial", "job")} == {
        "number": "RMA00001",
        "state": "credited",
        "supplier": "MobileParts",
        "sku": "SCR-S23",
        "serial": None,
        "job": None,
    }
    assert [(event["from"], event["to"]) for event in shown["history"]] == [
        (None, "requested"),
        ("requested", "sent"),
        ("sent", "credited"),
    ]
    assert shown["history"][1]["note"] == "DPD 1234"
    text = shop.run("rma", "show", "RMA00001").stdout
    assert "MobileParts" in text
    assert "Dead pixels" in text
    assert "DPD 1234" in text


def test_a_refused_move_exits_1_with_one_line_and_changes_nothing(stocked: Shop) -> None:
    shop = stocked
    assert (
        shop.run("rma", "new", "MobileParts", "SCR-S23", "--reason", "Wrong part").returncode == 0
    )
    before = (shop.json("rma", "show", "RMA00001"), on_hand(shop))
    refused = shop.run("rma", "receive", "RMA00001", "replaced")
    assert refused.returncode == 1
    assert "RMA00001 is “Requested”" in refused.stderr
    assert "Allowed: send sent, close rejected" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert (shop.json("rma", "show", "RMA00001"), on_hand(shop)) == before
    assert shop.run("rma", "close", "RMA00001", "maybe").returncode == 2
    assert shop.run("rma", "show", "RMA00099").returncode == 1
    assert shop.run("rma", "new", "Nobody", "SCR-S23", "--reason", "x").returncode == 1


def test_rma_list_open_and_by_state(stocked: Shop) -> None:
    shop = stocked
    for _ in range(2):
        assert (
            shop.run("rma", "new", "MobileParts", "SCR-S23", "--reason", "Faulty").returncode == 0
        )
    assert shop.run("rma", "close", "RMA00001", "rejected").returncode == 0
    assert on_hand(shop) == (2, 1)
    assert [rma["number"] for rma in shop.json("rma", "list")["rmas"]] == ["RMA00002", "RMA00001"]
    assert [rma["number"] for rma in shop.json("rma", "list", "--open")["rmas"]] == ["RMA00002"]
    rejected = shop.json("rma", "list", "--state", "rejected")["rmas"]
    assert [rma["number"] for rma in rejected] == ["RMA00001"]
    listed = shop.run("rma", "list", "--open").stdout
    assert "RMA00002" in listed
    assert "RMA00001" not in listed
