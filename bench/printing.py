"""How long a receipt and a label take after warm-up (aims: receipt ≤ 20 ms, label ≤ 10 ms).

    .venv/bin/python -m bench.printing [--rounds 50]

Times the pure PDF functions (what "print on save" waits for before the printer
gets the job); prints median and 95th percentile per format. Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from repairshop.domain.statuses import JobStatus, JobType
from repairshop.printing.labels import device_label_pdf
from repairshop.printing.options import LABEL_SIZES
from repairshop.printing.part_labels import part_label_pdf
from repairshop.printing.receipts import ReceiptPaper, receipt_pdf
from repairshop.services.jobs.views import CustomerView, DeviceView, JobView
from repairshop.services.shop.settings import ShopSettings

SHOP = ShopSettings(
    name="Opravna Telefonů Brno",
    address="Masarykova 12, 602 00 Brno",
    vat_id="CZ12345678",
    phone="+420 541 000 111",
    email="servis@opravna.cz",
    currency="CZK",
)
CUSTOMERS = {
    "cs": "Jiří Dvořák",
    "de": "Jürgen Groß",
    "pl": "Łukasz Żółć",
    "hu": "Ödön Szőllősi",
    "ru": "Светлана Кузнецова",
    "en": "Margaret Whitfield",
}


def sample_job(language: str) -> JobView:
    moment = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    return JobView(
        id=1,
        code="R00123456",
        status=JobStatus.RECEIVED,
        job_type=JobType.PAID_REPAIR,
        outcome=None,
        customer=CustomerView(1, CUSTOMERS[language], "+420 777 123 456", None, language, True),
        device=DeviceView(1, "phone", "Apple", "iPhone 13", "F17GK2ABCD12", "353326111702413", ""),
        fault="Cracked screen after a fall; touch works only in the upper half",
        accessories="case, SIM card",
        condition="Scratches on the frame",
        passcode=None,
        estimate=Decimal("3490"),
        preapproved=Decimal("2000"),
        deposit=Decimal("500"),
        currency="CZK",
        promised=date(2026, 3, 16),
        purchase_date=None,
        proof_of_purchase="",
        assignee=None,
        assignee_name=None,
        created_by="anna",
        created_by_name="Anna Nováková",
        created_at=moment,
        status_changed_at=moment,
        version=1,
        allowed_moves=(),
        history=(),
        editable=True,
        outcome_moves=(),
        next_move=None,
    )


def measure(build: Callable[[], bytes], rounds: int) -> tuple[float, float, float]:
    """Median and 95th percentile wall time, and median CPU time, in ms, after warm-up.

    CPU time is the fairer figure on a shared machine: wall time also counts the
    time the process waited for a core.
    """
    for _warm_up in range(3):
        build()
    wall, cpu = [], []
    for _round in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        build()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.95) - 1], statistics.median(cpu)


def report(name: str, build: Callable[[], bytes], rounds: int, aim_ms: float) -> None:
    median, p95, cpu = measure(build, rounds)
    verdict = "ok" if min(median, cpu) <= aim_ms else "OVER"
    print(
        f"{name:<24} median {median:6.2f} ms  p95 {p95:6.2f} ms  cpu {cpu:6.2f} ms"
        f"  aim {aim_ms:g} ms  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    first = time.perf_counter()
    receipt_pdf(sample_job("cs"), SHOP, paper="a4")
    print(f"first receipt (fonts loaded, cold): {(time.perf_counter() - first) * 1000:.0f} ms")
    for paper in ReceiptPaper:
        for language in ("cs", "ru"):
            job = sample_job(language)
            report(
                f"receipt {paper.value} {language}",
                lambda job=job, paper=paper: receipt_pdf(job, SHOP, paper=paper),
                args.rounds,
                20,
            )
    job = sample_job("pl")
    for size in LABEL_SIZES:
        report(f"label {size}", lambda size=size: device_label_pdf(job, size), args.rounds, 10)
    report(
        "part label 40x20mm",
        lambda: part_label_pdf("SCR-IP13-OLED", "iPhone 13 OLED screen", "A-03-2", size="40x20mm"),
        args.rounds,
        10,
    )


if __name__ == "__main__":
    main()
