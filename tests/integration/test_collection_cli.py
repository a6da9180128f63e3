"""``job collect``, ``invoice show|pdf|credit``, ``takings``, ``cashup`` as a script calls them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import intake_document, shop_url
from tests.integration.test_cli import Shop
from tests.printouts import decode_barcodes, page_sizes_mm, pdf_text, plain


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    with shop_url(request.param, tmp_path, "cli.sqlite") as url:
        yield Shop(url)


def ready(shop: Shop, **intake: Any) -> str:
    document = json.dumps(intake_document(**{"estimate": "1000", "deposit": "200", **intake}))
    code = shop.run("intake", stdin=document).stdout.strip()
    shop.run("job", "line", "add", code, "--text", "Battery", "--price", "1000", "--vat", "21")
    shop.json("job", "approve", code, "--amount", "1000", "--by", "in_person")
    for status in ("diagnosing", "in_repair", "testing", "ready"):
        moved = shop.run("job", "status", code, status)
        assert moved.returncode == 0, moved.stderr
    return code


def test_a_job_is_collected_credited_and_in_the_days_takings(shop: Shop, tmp_path: Path) -> None:
    code = ready(shop)
    shop.run("settings", "set", "name", "Opravna u Nádraží")
    before = shop.json("job", "show", code)
    short = shop.run("job", "collect", code, "--pay", "card=700")
    assert short.returncode == 1
    assert "does not cover" in short.stderr
    assert shop.json("job", "show", code) == before  # nothing changed
    assert shop.run("job", "collect", code, "--pay", "cash").returncode == 1
    assert shop.run("job", "collect", code, "--pay", "gold=800").returncode == 1

    invoice = shop.json(
        "job", "collect", code, "--pay", "card=500", "--pay", "cash=500",
        "--collected-by", "Marie Dvořáková", "--id-note", "OP 123456", "--desk", "front",
    )  # fmt: skip
    assert shop.json("job", "show", code)["status"] == "collected"
    number = invoice["number"]
    assert set(invoice) >= {
        "number", "issued", "job", "customer", "lines", "net", "vat", "gross",
        "deposit", "paid", "due", "currency",
    }  # fmt: skip
    assert set(invoice["lines"][0]) >= {
        "description", "quantity", "unit_price", "vat_rate", "net", "vat", "gross",
    }  # fmt: skip
    assert (invoice["gross"], invoice["deposit"], invoice["due"]) == ("1000.00", "200.00", "800.00")
    assert invoice["paid"] == [
        {"method": "card", "amount": "500.00"},
        {"method": "cash", "amount": "300.00"},
    ]
    assert invoice["job"] == code
    assert invoice["collected_by"] == "Marie Dvořáková"
    assert shop.json("invoice", "show", number) == invoice

    out = tmp_path / "invoice.pdf"
    assert shop.run("invoice", "pdf", number, "--out", str(out), "--lang", "de").returncode == 0
    text = plain(pdf_text(out.read_bytes()))
    assert "Rechnung" in text
    assert number in text
    assert code in decode_barcodes(out.read_bytes())
    roll = tmp_path / "roll.pdf"
    assert (
        shop.run("invoice", "pdf", number, "--out", str(roll), "--format", "80mm").returncode == 0
    )
    assert round(page_sizes_mm(roll.read_bytes())[0][0]) == 80

    credit = shop.json(
        "invoice",
        "credit",
        number,
        "--reason",
        "Wrong battery",
        "--refund",
        "card",
        "--desk",
        "front",
    )
    assert credit["kind"] == "credit_note"
    assert credit["gross"] == "-1000.00"
    assert shop.run("invoice", "credit", number, "--reason", "again").returncode == 1
    assert shop.run("invoice", "show", "2026-99999").returncode == 1

    day = shop.json("takings")
    assert day["by_method"] == {"cash": "500.00", "card": "-500.00", "transfer": "0.00"}
    front = {(row["desk"], row["method"]): row for row in day["rows"] if row["desk"] == "front"}
    assert front[("front", "cash")]["documents"] == [number]
    assert front[("front", "card")]["total"] == "-500.00"
    assert set(front[("front", "card")]["documents"]) == {number, credit["number"]}

    exported = shop.run("takings", "--csv", "-")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {row["document"] for row in rows} >= {number, credit["number"]}
    assert {row["kind"] for row in rows} == {"deposit", "payment", "refund"}

    counted = shop.json("cashup", "--desk", "front", "--counted", "290")
    assert (counted["expected"], counted["difference"]) == ("300.00", "-10.00")
    assert shop.json("takings")["cash_ups"][0]["counted"] == "290.00"


def test_a_warranty_job_is_handed_over_free_and_paying_it_is_no_error(shop: Shop) -> None:
    document = intake_document(job_type="warranty_claim", purchase_date="2026-01-10", deposit="0")
    code = shop.run("intake", stdin=json.dumps(document)).stdout.strip()
    for status in ("diagnosing", "in_repair", "testing", "ready"):
        assert shop.run("job", "status", code, status).returncode == 0
    handover = shop.json("job", "collect", code)
    assert handover["kind"] == "handover"
    assert handover["gross"] == "0.00"
    assert handover["reason"] == "warranty_claim"
    assert shop.run("invoice", "credit", handover["number"], "--reason", "x").returncode == 1


def test_an_unrepaired_device_goes_back_with_its_deposit_or_the_fee_kept(shop: Shop) -> None:
    codes = []
    for _n in range(2):
        document = json.dumps(intake_document(deposit="300"))
        code = shop.run("intake", stdin=document).stdout.strip()
        assert shop.run("job", "status", code, "cancelled").returncode == 0
        assert shop.run("job", "status", code, "ready").returncode == 0
        codes.append(code)
    kept = shop.json("job", "collect", codes[0], "--keep-deposit")
    assert (kept["kind"], kept["gross"], kept["due"]) == ("invoice", "300.00", "0.00")
    back = shop.json("job", "collect", codes[1])
    assert (back["kind"], back["reason"], back["due"]) == (
        "handover",
        "returned_unrepaired",
        "-300.00",
    )
    assert back["paid"] == [{"method": "cash", "amount": "-300.00"}]
    refused = shop.run("job", "deposit", codes[1], "refund")
    assert refused.returncode == 1


def test_a_plain_move_to_collected_is_refused_unless_the_bill_is_zero(shop: Shop) -> None:
    code = ready(shop)
    before = shop.json("job", "show", code)
    refused = shop.run("job", "status", code, "collected")
    assert refused.returncode == 1
    assert f"repairshop job collect {code}" in refused.stderr
    assert shop.json("job", "show", code) == before  # no invoice, still ready

    # Returned unrepaired with no deposit: the customer pays nothing.
    free = shop.run("intake", stdin=json.dumps(intake_document(deposit="0"))).stdout.strip()
    for status in ("diagnosing", "cancelled", "ready"):
        assert shop.run("job", "status", free, status).returncode == 0
    moved = shop.run("job", "status", free, "collected")
    assert moved.returncode == 0, moved.stderr
    number = moved.stdout.strip()
    handover = shop.json("invoice", "show", number)
    assert (handover["job"], handover["gross"]) == (free, "0.00")
    assert shop.json("job", "show", free)["status"] == "collected"


def test_the_deposit_is_paid_as_the_intake_document_says(shop: Shop, tmp_path: Path) -> None:
    bad = shop.run("intake", stdin=json.dumps(intake_document(deposit_method="gold")))
    assert bad.returncode == 1
    assert "gold" in bad.stderr
    document = json.dumps(intake_document(deposit="500", deposit_method="card"))
    code = shop.run("intake", stdin=document).stdout.strip()
    assert shop.json("job", "show", code)["deposit_method"] == "card"
    takings = shop.json("takings")
    assert [(row["method"], row["total"]) for row in takings["rows"]] == [("card", "500.00")]
    out = tmp_path / "receipt.pdf"
    assert shop.run("receipt", code, "--out", str(out), "--lang", "en").returncode == 0
    assert "500.00 (Card)" in plain(pdf_text(out.read_bytes()))


def test_the_quote_goes_out_as_an_email_and_a_pdf_in_the_customers_language(
    shop: Shop, tmp_path: Path
) -> None:
    code = shop.run("intake", stdin=json.dumps(intake_document(deposit="0"))).stdout.strip()
    line = ("job", "line", "add", code, "--text")
    shop.run(*line, "Výměna displeje", "--price", "2990", "--vat", "21")
    shop.run(*line, "Ochranné sklo", "--price", "250", "--qty", "2")

    message = shop.run("job", "message", code, "--kind", "needs_approval", "--language", "en")
    assert message.returncode == 0, message.stderr
    text = plain(message.stdout)
    assert "1 × Výměna displeje: €2,990.00" in text
    assert "2 × Ochranné sklo: €500.00" in text
    assert "Total, VAT included: €3,490.00" in text

    for language, title in (("en", "Quote"), ("cs", "Cenová nabídka")):
        out = tmp_path / f"quote-{language}.pdf"
        made = shop.run("job", "quote", code, "--out", str(out), "--lang", language)
        assert made.returncode == 0, made.stderr
        read = plain(pdf_text(out.read_bytes()))
        assert title in read
        assert "Jiří Dvořák" in read
        assert "Výměna displeje" in read
        assert ("3,490.00" if language == "en" else "3 490,00") in read
        assert code in decode_barcodes(out.read_bytes())
    roll = tmp_path / "quote-roll.pdf"
    assert shop.run("job", "quote", code, "--out", str(roll), "--format", "80mm").returncode == 0
    assert round(page_sizes_mm(roll.read_bytes())[0][0]) == 80
    assert shop.run("job", "quote", "R999999", "--out", str(roll)).returncode == 1
