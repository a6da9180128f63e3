"""Bad input everywhere: random JSON to `repairshop intake`, random CSV to the parts import,
random text (control characters, right-to-left marks, 10,000 characters, SQL and HTML
fragments, lone surrogates) to the search, to every text field of an intake and to the
customer's messages. Nothing crashes, a refusal is one clear message (a RepairShopError;
on the command line one `repairshop: …` line and exit 1), nothing half-written lands; and a
receipt with a 10,000-character fault and the longest name keeps its text on the paper.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from repairshop.db.tables import Customer, Device, Job, JobEvent, Part, Payment, StockMovement
from repairshop.errors import RepairShopError
from repairshop.printing.receipts import ROLL_MARGIN, SHEET_MARGIN, receipt_pdf
from repairshop.services.customers.messages import MessageKind, customer_message
from repairshop.services.database import Database
from repairshop.services.jobs.intake import IntakeRequest, intake, intake_request_from_json
from repairshop.services.jobs.listing import JobFilter, count_jobs
from repairshop.services.jobs.workflow import find_jobs, show_job
from repairshop.services.parts.csv_import import COLUMNS
from repairshop.services.shop.settings import ShopSettings, get_settings, save_settings
from tests.helpers import intake_document, run_in_process
from tests.printouts import pdf_pages

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENTS = [
    "'; DROP TABLE jobs; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; &lt;br/&gt;",
    "<para>",
    "%",
    "_",
    "\\",
    '"',
    "*",
    "NEAR(",
    " AND ",
    " OR ",
    "NOT ",
    "{name}",
    "{0}",
    "%s",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2066",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\x7f",
    "\ud800",  # half of a character: Python allows it, no database stores it
    "\udfff",
    "\u0301",
    "Řehoř Žluťoučký",
    "שלום",
    "𝔘𝔫𝔦",
    "R000001",
    "+420 777 123 456",
]
LONG_PIECES = ["a", "ř ", "\u202e", "<b>", "'; --", "9", "\x00x", "\ud800"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]), max_size=20),
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    st.sampled_from(LONG_PIECES).map(lambda piece: (piece * 10_000)[:10_000]),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=8,
)

TEXT_FIELDS = [
    "customer.name",
    "customer.phone",
    "customer.email",
    "customer.language",
    "device.type",
    "device.brand",
    "device.model",
    "device.serial",
    "device.imei",
    "device.colour",
    "device.purchase_date",
    "device.proof_of_purchase",
    "job_type",
    "fault",
    "accessories",
    "condition",
    "passcode",
    "estimate",
    "deposit",
    "preapproved",
    "promised",
    "complaint_of",
    "remedy",
    "assignee",
]


def with_value(path: str, value: Any) -> dict[str, Any]:
    """A good intake document with ``path`` (``device.brand``) set to ``value``."""
    document = intake_document()
    owner, _dot, key = path.rpartition(".")
    if owner:
        document[owner] = {**document[owner], key: value}
    else:
        document[key] = value
    return document


documents = st.one_of(
    json_values,
    st.builds(with_value, st.sampled_from(TEXT_FIELDS), json_values),
    st.builds(with_value, st.sampled_from(TEXT_FIELDS), hostile_text),
)

COUNTED = (Customer, Device, Job, JobEvent, Payment, Part, StockMovement)


def counts(db: Database) -> dict[str, int]:
    with db.reader() as uow:
        return {
            table.__tablename__: int(
                uow.session.scalar(select(func.count()).select_from(table)) or 0
            )
            for table in COUNTED
        }


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def assert_clear_refusal(stderr: str) -> None:
    """One refusal, in the words the core chose: no traceback, no unexpected error."""
    assert stderr.startswith("repairshop: "), ascii(stderr[:500])
    assert "Traceback" not in stderr
    assert "did not expect" not in stderr, ascii(stderr[:500])


@FUZZ
@given(stdin=st.one_of(documents.map(json.dumps), hostile_text))
@example(stdin=json.dumps(with_value("estimate", 1e308)))  # past Python's decimal precision
@example(
    stdin=json.dumps(with_value("deposit", 0)).replace(": 0", ": " + "9" * 5000)
)  # > 4,300 digits
@example(stdin="[" * 100_000)  # nested past Python's recursion limit
@example(stdin=json.dumps(with_value("customer.name", "x" * 201)))  # past the column
@example(stdin=json.dumps(with_value("device.purchase_date", "\ud800")))  # logged, not stored
def test_random_json_to_intake_is_taken_in_or_refused_in_one_message(
    sqlite_db: Database, stdin: str
) -> None:
    db = sqlite_db  # the command line reads the document alike for every database
    before = counts(db)
    done = run_in_process(["--db", url_of(db), "intake", "-"], stdin=stdin)
    after = counts(db)
    assert done.returncode in (0, 1), ascii(done.stderr)
    if done.returncode == 1:
        assert_clear_refusal(done.stderr)
        assert after == before  # nothing half-written
    else:
        assert after["jobs"] == before["jobs"] + 1
        assert done.stdout.strip().startswith("R")


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


headers = st.one_of(
    st.permutations(COLUMNS).map(lambda columns: list(columns[:6])),
    st.lists(st.one_of(st.sampled_from(COLUMNS), hostile_text), min_size=1, max_size=6),
)
catalogues = st.one_of(
    st.builds(
        csv_text,
        headers,
        st.lists(
            st.lists(hostile_text | st.sampled_from(["1", "12.50", "yes", ""]), max_size=7),
            max_size=5,
        ),
    ),
    hostile_text,
)


@FUZZ
@given(text=catalogues, good_rows_only=st.booleans())
def test_random_csv_to_the_parts_import_is_imported_or_refused_in_one_message(
    sqlite_db: Database, tmp_path: Path, text: str, good_rows_only: bool
) -> None:
    db = sqlite_db
    path = tmp_path / "catalogue.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # half characters: bad UTF-8
    before = counts(db)
    extra = ["--good-rows-only"] if good_rows_only else []
    done = run_in_process(["--db", url_of(db), "parts", "import", str(path), *extra])
    after = counts(db)
    assert done.returncode in (0, 1), ascii(done.stderr)
    assert "Traceback" not in done.stderr
    assert "did not expect" not in done.stderr, ascii(done.stderr[:500])
    if done.returncode == 1:
        assert "repairshop: " in done.stderr, ascii(done.stderr[:500])
        assert after == before  # a refused import imports nothing
    else:
        assert {k: v for k, v in after.items() if k not in ("parts", "stock_movements")} == {
            k: v for k, v in before.items() if k not in ("parts", "stock_movements")
        }


@pytest.fixture
def one_job(db: Database) -> Database:
    with db.unit_of_work() as uow:
        intake(uow, intake_request_from_json(intake_document()), "admin")
        uow.commit()
    return db


@FUZZ
@given(query=hostile_text)
@example(query="\x00")  # PostgreSQL stores no NUL; SQLite's full-text search stops at it
@example(query="ř " * 5000)  # 5,000 terms: more conditions than the database parses
def test_random_text_in_the_search_box_finds_or_finds_nothing(
    one_job: Database, query: str
) -> None:
    with one_job.reader() as uow:
        found = find_jobs(uow, query)
        listed = count_jobs(uow, JobFilter(text=query))
    assert len(found) <= 1
    assert listed <= 1


def request_with(path: str, value: str) -> IntakeRequest:
    """A good intake request (through the core's own request) with one text field set."""
    request = intake_request_from_json(intake_document())
    owner, _dot, key = path.rpartition(".")
    if key == "accessories":
        return replace(request, accessories=(value,))
    if owner:
        holder = getattr(request, owner)
        return replace(request, **{owner: replace(holder, **{key: value})})
    return replace(request, **{key: value})


REQUEST_TEXT = [
    "customer.name",
    "customer.phone",
    "customer.email",
    "customer.language",
    "device.type",
    "device.brand",
    "device.model",
    "device.serial",
    "device.imei",
    "device.colour",
    "fault",
    "job_type",
    "accessories",
    "condition",
    "passcode",
    "proof_of_purchase",
    "complaint_of",
    "remedy",
    "assignee",
]


@FUZZ
@given(path=st.sampled_from(REQUEST_TEXT), value=hostile_text)
@example(path="customer.name", value="Jiří\ud800\x00")
@example(path="condition", value="a" * 10_000)
def test_random_text_in_any_intake_field_is_taken_in_or_refused_and_the_messages_are_written(
    db: Database, path: str, value: str
) -> None:
    before = counts(db)
    try:
        with db.unit_of_work() as uow:
            code = intake(uow, request_with(path, value), "admin").code
            uow.commit()
    except RepairShopError as refusal:
        refused: RepairShopError | None = refusal
    else:
        refused = None
    if refused is not None:
        assert refused.message.strip()
        assert counts(db) == before
        return
    assert counts(db)["jobs"] == before["jobs"] + 1
    with db.unit_of_work() as uow:  # the shop's own name and address, as badly typed
        shop = replace(get_settings(uow), name=value, address=value)
        with contextlib.suppress(RepairShopError):  # or refused: the shop keeps its own
            save_settings(uow, shop, "admin")
            uow.commit()
    with db.reader() as uow:
        job = show_job(uow, code, "admin")
        hostile_shop = get_settings(uow)
        assert [j.code for j in find_jobs(uow, code)][:1] == [code]
    for kind in MessageKind:
        message = customer_message(job, hostile_shop, kind)
        assert job.customer.name in message.body
        assert message.subject
        assert message.text
    for paper in ("a4", "80mm"):
        assert_inside_the_paper(receipt_pdf(job, hostile_shop, paper=paper), paper)


def assert_inside_the_paper(pdf: bytes, paper: str) -> None:
    """Every character pdfium finds lies within the page's margins (a point of slack)."""
    margin = (ROLL_MARGIN if paper == "80mm" else SHEET_MARGIN) - 1
    for page in pdf_pages(pdf):
        width, height = page.get_width(), page.get_height()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right - left <= 0 and top - bottom <= 0:
                continue  # a generated space or line break: no glyph
            if unicodedata.combining(text.get_text_range(index, 1)[:1] or " "):
                continue  # an accent drawn over the letter before it may overhang that letter
            assert margin <= left, (paper, index, left)
            assert right <= width - margin, (paper, index, right)
            assert margin <= bottom, (paper, index, bottom)
            assert top <= height - margin, (paper, index, top)


@pytest.mark.parametrize("paper", ["a4", "letter", "80mm"])
def test_a_receipt_keeps_a_long_fault_and_the_longest_name_on_the_paper(
    db: Database, paper: str
) -> None:
    words = " ".join(["Displej", "nereaguje", "na", "dotyk"] * 700)[:10_000]
    document = intake_document(
        fault=words,
        condition="Poškrábaný rám " * 700,
        accessories=["nabíječka " * 50, "pouzdro"],
    )
    document["customer"]["name"] = ("Řehoř Žluťoučký-Koníček " * 10)[:200]
    document["device"]["model"] = "Galaxy" * 33
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(document), "admin").code
        uow.commit()
    with db.reader() as uow:
        job = show_job(uow, code, "admin")
        shop = get_settings(uow)
    pdf = receipt_pdf(
        job, ShopSettings(name="X" * 10_000) if paper == "80mm" else shop, paper=paper
    )
    assert_inside_the_paper(pdf, paper)
    text = "".join(page.get_textpage().get_text_range() for page in pdf_pages(pdf))
    assert "dotyk" in text
    assert code in text
    if paper != "80mm":
        assert len(pdf_pages(pdf)) <= 4  # the fault goes on over the next pages, in the box
