"""``repairshop complaint …`` as a script calls it, with the shop's clock fixed, on SQLite and
PostgreSQL; and the complaint protocol read back from its PDF in each language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from repairshop import cli
from repairshop.bootstrap import open_database
from repairshop.domain.statuses import Outcome
from repairshop.services.database import Database
from tests.helpers import SettableClock, intake_document, shop_url
from tests.integration.test_warranty import collect, setting, take_in
from tests.printouts import pdf_text


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        assert self.code == 0, self.err
        return json.loads(self.out)


class Desk:
    """Runs ``repairshop`` in this process, its database on the test's clock."""

    def __init__(
        self, url: str, clock: SettableClock, monkeypatch: pytest.MonkeyPatch, capsys: Any
    ) -> None:
        self.url, self.clock, self.capsys = url, clock, capsys
        for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "REPAIRSHOP_USER"):
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("LANG", "C.UTF-8")
        monkeypatch.setattr(
            cli, "open_database", lambda url, **_: open_database(url or self.url, clock=clock)
        )

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        try:
            code = cli.main(["--db", self.url, *args])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def db(self) -> Database:
        return open_database(self.url, clock=self.clock)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    clock: SettableClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> Iterator[Desk]:
    with shop_url(request.param, tmp_path, "cli.sqlite") as url:
        yield Desk(url, clock, monkeypatch, capsys)


def repaired(desk: Desk, **document: Any) -> str:
    db = desk.db()
    try:
        code = take_in(db, job_type="paid_repair", **document)
        collect(db, code, desk.clock, Outcome.REPAIRED)
    finally:
        db.dispose()
    return code


def test_open_decide_and_list_overdue_through_the_command(desk: Desk) -> None:
    original = repaired(desk)
    opened = desk.run("complaint", "open", original, "--fault", "Screen flickers again")
    assert opened.code == 0, opened.err
    code = opened.out.strip()
    job = desk.run("job", "show", code, "--json").json()
    assert job["job_type"] == "complaint"
    assert job["complaint"]["of"] == original
    assert job["complaint"]["received"] == "2026-03-10"
    assert job["complaint"]["decide_by"] == "2026-04-09"
    assert job["complaint"]["decided"] is None
    assert job["complaint"]["days_left"] == 30
    shown = desk.run("job", "show", code).out
    assert f"Complaint about {original}, received 10/03/2026" in shown
    assert "decide by 09/04/2026 (30 days left)" in shown

    assert desk.run("complaint", "list", "--overdue", "--json").json() == []
    desk.clock.advance(days=31)
    overdue = desk.run("complaint", "list", "--overdue", "--json").json()
    assert [(row["code"], row["of"], row["days_left"]) for row in overdue] == [(code, original, -1)]
    text = desk.run("complaint", "list", "--overdue")
    assert code in text.out
    assert "1 day overdue" in text.out

    refused = desk.run("complaint", "decide", code, "accepted", "--reason", "Confirmed")
    assert refused.code == 1
    assert "Say how the accepted complaint is settled" in refused.err
    assert desk.run("job", "show", code, "--json").json() == job | {
        "complaint": job["complaint"] | {"days_left": -1, "overdue": True}
    }
    decided = desk.run(
        "complaint", "decide", code, "accepted", "--remedy", "repair", "--reason", "Confirmed"
    )
    assert decided.code == 0, decided.err
    after = desk.run("job", "show", code, "--json").json()["complaint"]
    assert after["decided"]["outcome"] == "accepted"
    assert after["decided"]["remedy"] == "repair"
    assert after["decided"]["reason"] == "Confirmed"
    assert after["decided"]["at"].startswith("2026-04-10")
    assert after["decided"]["in_time"] is False
    assert desk.run("complaint", "list", "--overdue", "--json").json() == []
    assert desk.run("complaint", "decide", code, "rejected", "--reason", "No").code == 1

    report = desk.run("report", "complaints", "--json").json()
    assert (report["received"], report["decided"], report["late"]) == (1, 1, 1)
    assert report["share_in_time"] == 0


def test_bad_usage_exits_2_and_an_unknown_job_exits_1(desk: Desk) -> None:
    assert desk.run("complaint", "open", "R000001", "--remedy", "money").code == 2
    assert desk.run("complaint", "decide", "R000001", "maybe", "--reason", "x").code == 2
    assert desk.run("complaint", "decide", "R000001", "rejected").code == 2
    missing = desk.run("complaint", "open", "R000001")
    assert missing.code == 1
    assert "no job with ticket code" in missing.err


def test_intake_document_with_complaint_of(desk: Desk, tmp_path: Path) -> None:
    original = repaired(desk)
    document = intake_document(complaint_of=original, remedy="refund")
    del document["job_type"]
    path = tmp_path / "complaint.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    job = desk.run("intake", str(path), "--json").json()
    assert job["job_type"] == "complaint"
    assert job["complaint"]["of"] == original
    assert job["complaint"]["remedy"] == "refund"


PROTOCOL_TEXTS: dict[str, tuple[str, ...]] = {
    "cs": ("Reklamační protokol", "Reklamace uplatněna dne", "Požadovaný způsob vyřízení"),
    "pl": ("Protokół reklamacyjny", "Reklamację złożono dnia", "Żądanie klienta"),
    "de": ("Reklamationsprotokoll", "Reklamation eingegangen am", "Gewünschte Abhilfe"),
    "hu": ("Jegyzőkönyv a reklamációról", "A bejelentés napja", "Kért megoldás"),
    "ru": ("Акт приёма претензии", "Претензия получена", "Требование покупателя"),
}
DECISION_TEXTS: dict[str, tuple[str, ...]] = {
    "cs": ("Rozhodnuto dne", "Zamítnuta", "Důvod zamítnutí", "Doba vyřízení", "6 dní"),
    "pl": ("Data decyzji", "Odrzucona", "Przyczyna odrzucenia", "Czas rozpatrzenia", "6 dni"),
    "de": ("Entschieden am", "Abgelehnt", "Grund der Ablehnung", "Bearbeitungsdauer", "6 Tage"),
}


@pytest.mark.parametrize("language", sorted(PROTOCOL_TEXTS))
def test_the_protocol_in_the_customers_language(desk: Desk, tmp_path: Path, language: str) -> None:
    original = repaired(desk)
    setting_db = desk.db()
    try:
        setting(setting_db, "name", "Opravna Dvořák")
    finally:
        setting_db.dispose()
    code = desk.run("complaint", "open", original, "--remedy", "repair").out.strip()
    out = tmp_path / "protocol.pdf"
    printed = desk.run("complaint", "protocol", code, "--out", str(out), "--lang", language)
    assert printed.code == 0, printed.err
    text = pdf_text(out.read_bytes())
    for expected in (*PROTOCOL_TEXTS[language], code, original, "Jiří Dvořák", "R5CW12ABCDE"):
        assert expected in text, (expected, text)
    assert "Cracked screen after a fall" in text
    if language in DECISION_TEXTS:
        desk.clock.advance(days=6)
        assert (
            desk.run("complaint", "decide", code, "rejected", "--reason", "Poškození vodou").code
            == 0
        )
        desk.run("complaint", "protocol", code, "--out", str(out), "--lang", language)
        decided = pdf_text(out.read_bytes())
        for expected in (*DECISION_TEXTS[language], "Poškození vodou"):
            assert expected in decided, (expected, decided)
