"""``repairshop job find`` as people type, and ``repairshop intake`` with a family's phone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import intake_document, shop_url
from tests.integration.test_cli import Shop


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    with shop_url(request.param, tmp_path, "cli.sqlite") as url:
        yield Shop(url)


def take_in(shop: Shop, name: str, phone: str, **customer: object) -> str:
    document = intake_document(customer={"name": name, "phone": phone, **customer})
    result = shop.run("intake", "-", stdin=json.dumps(document))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_job_find_folds_diacritics_and_reads_phone_numbers_as_said(shop: Shop) -> None:
    novak = take_in(shop, "Jan Novák", "+420 602 111 222")
    gross = take_in(shop, "Jürgen Groß", "+49 170 5556667")
    for query, code in (
        ("novak", novak),
        ("NOVAK", novak),
        ("gross", gross),
        ("00420 602 111 222", novak),
        ("0170 5556667", gross),
    ):
        found = shop.json("job", "find", query)
        assert [job["code"] for job in found] == [code], query


def test_intake_with_a_shared_phone_and_another_name_makes_a_new_customer(shop: Shop) -> None:
    father = take_in(shop, "Jiří Dvořák", "+420 777 123 456", language="cs")
    daughter = take_in(shop, "Marie Dvořáková", "777 123 456")
    shown = shop.json("job", "show", daughter)
    assert shown["customer"]["name"] == "Marie Dvořáková"
    assert shop.json("job", "show", father)["customer"]["name"] == "Jiří Dvořák"
    # The father again, language not said: still Czech, and nothing recorded as changed.
    again = take_in(shop, "Jiří Dvořák", "777123456")
    shown = shop.json("job", "show", again)
    assert shown["customer"]["language"] == "cs"
    assert [event["kind"] for event in shown["history"]] == ["created"]
    # Told a new language: changed, and the change is in the history.
    told = take_in(shop, "Jiří Dvořák", "777123456", language="de")
    shown = shop.json("job", "show", told)
    assert shown["customer"]["language"] == "de"
    edited = [event for event in shown["history"] if event["kind"] == "edited"]
    assert len(edited) == 1
    assert (edited[0]["note"], edited[0]["old"], edited[0]["new"]) == (
        "customer.language",
        "cs",
        "de",
    )
