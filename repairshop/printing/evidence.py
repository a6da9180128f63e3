"""Intake evidence on paper: the checklist, photos, the loaner, the drawn signature, and the
A4 before/after comparison the customer signs at collection (in the customer's language).

Signatures are printed by :mod:`repairshop.printing.signatures`. The pattern lock is never
printed.
"""

from __future__ import annotations

import io
from datetime import tzinfo
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from repairshop import __version__
from repairshop.domain.evidence import POINT_LABELS, POINT_STATE_LABELS, PointState
from repairshop.i18n import N_, format_day, format_moment, gettext_in, normalise_language
from repairshop.printing.fonts import BOLD, REGULAR, register_fonts
from repairshop.printing.signatures import signature_line
from repairshop.services.jobs.evidence import EvidenceView, LoanView
from repairshop.services.jobs.views import JobView
from repairshop.services.shop.settings import ShopSettings

CHANGED_MARK = "≠"
HIGHLIGHT = Color(1, 0.93, 0.6)


def point_name(point: str, language: str) -> str:
    label = POINT_LABELS.get(point)
    return gettext_in(language, label) if label else point


def state_name(state: PointState | None, language: str) -> str:
    return gettext_in(language, POINT_STATE_LABELS[state]) if state is not None else "–"


def checklist_rows(evidence: EvidenceView, language: str) -> list[tuple[str, str]]:
    rows = []
    for point, state in evidence.intake.items():
        note = evidence.notes.get(("intake", point), "")
        text = state_name(state, language) + (f" ({note})" if note else "")
        rows.append((point_name(point, language), text))
    return rows


def loan_rows(loan: LoanView, language: str, zone: tzinfo) -> list[tuple[str, str]]:
    t = partial(gettext_in, language)
    return [
        (t(N_("Loaner")), f"{loan.label} {loan.name}"),
        (t(N_("Serial number")), loan.serial),
        (t(N_("Lent")), format_moment(loan.lent_at, language, tz=zone)),
        (t(N_("Due back")), format_day(loan.due, language)),
        (t(N_("Deposit")), loan.deposit if loan.deposit_minor else ""),
        (t(N_("Condition when lent")), loan.condition_out),
    ]


def photo_strip(evidence: EvidenceView, width: float) -> Table | None:
    """The photos chosen for the receipt, small, side by side."""
    chosen = [photo for photo in evidence.photos if photo.on_receipt][:4]
    if not chosen:
        return None
    size = min(20 * mm, width / 4 - 2 * mm)
    cells = []
    for photo in chosen:
        image = Image(io.BytesIO(photo.thumbnail))
        scale = size / max(image.imageWidth, image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        cells.append(image)
    table = Table([cells], colWidths=[size + 2 * mm] * len(cells), hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _a4_pdf(story: list[Flowable], title: str, shop: ShopSettings, language: str) -> bytes:
    """``story`` as A4 PDF bytes with 16 mm margins."""
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=shop.name or "RepairShop",
        creator=f"RepairShop {__version__}",
        lang=language,
    ).build(story)
    return buffer.getvalue()


def comparison_pdf(
    job: JobView,
    evidence: EvidenceView,
    shop: ShopSettings,
    *,
    language: str | None = None,
) -> bytes:
    """The condition at intake and after the repair side by side, changes marked, A4."""
    register_fonts()
    language = normalise_language(language or job.customer.language)
    t = partial(gettext_in, language)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    bold = ParagraphStyle("bold", parent=body, fontName=BOLD)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=14, leading=18)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10.5)
    story: list[Flowable] = [
        _para(shop.name or "", bold),
        _para(t(N_("Condition before and after the repair")), title),
        _para(
            f"{job.code} · {job.device.title} · {job.customer.name}"
            + (f" · {job.device.serial}" if job.device.serial else ""),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    header = [
        _para(t(N_("Point")), bold),
        _para(t(N_("At intake")), bold),
        _para(t(N_("After the repair")), bold),
        _para(t(N_("Changed")), bold),
    ]
    data = [header]
    marks = []
    for row, item in enumerate(evidence.compared, start=1):
        before_note = evidence.notes.get(("intake", item.point), "")
        after_note = evidence.notes.get(("final", item.point), "")
        before = state_name(item.before, language) + (f" ({before_note})" if before_note else "")
        after = state_name(item.after, language) + (f" ({after_note})" if after_note else "")
        data.append(
            [
                _para(point_name(item.point, language), body),
                _para(before, body),
                _para(after, body),
                _para(CHANGED_MARK + " " + t(N_("changed")) if item.changed else "", bold),
            ]
        )
        if item.changed:
            marks.append(("BACKGROUND", (0, row), (-1, row), HIGHLIGHT))
    width = A4[0] - 32 * mm
    table = Table(data, colWidths=[width * 0.3, width * 0.27, width * 0.27, width * 0.16])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), Color(0.9, 0.9, 0.9)),
                *marks,
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm)]
    changed = len(evidence.changed_points)
    story.append(
        _para(
            t(N_("Points changed: {count}")).format(count=changed)
            if changed
            else t(N_("Nothing changed.")),
            body,
        )
    )
    story += [
        Spacer(1, 6 * mm),
        _para(
            t(N_("I have received the device and seen its condition as described above.")),
            small,
        ),
    ]
    for occasion, caption in (
        ("intake", N_("Signature at intake")),
        ("collection", N_("Signature at collection")),
    ):
        signature = evidence.signatures.get(occasion)
        if signature is not None or occasion == "collection":
            story.append(Spacer(1, 3 * mm))
            story += signature_line(
                t(caption),
                body=body,
                small=small,
                language=language,
                zone=job.zone,
                drawn=signature,
                line="_" * 40,
                width=70 * mm,
                height=18 * mm,
                blank=12 * mm,
            )
    return _a4_pdf(
        story, t(N_("Condition before and after the repair")) + f" {job.code}", shop, language
    )


LOAN_TERMS = N_(
    "The customer borrows the device above for the time of the repair, returns it by the day "
    "it is due in the condition it was lent, and answers for damage beyond normal use. The "
    "deposit is paid back when the loaner comes back as lent. The repaired device is handed "
    "over only once the loaner is back."
)


def loan_agreement_pdf(
    job: JobView,
    evidence: EvidenceView,
    shop: ShopSettings,
    *,
    language: str | None = None,
) -> bytes:
    """The loan agreement for the job's loaner, A4, in the customer's language."""
    loan = evidence.loan
    if loan is None:
        raise ValueError("the job has no loaner")
    register_fonts()
    language = normalise_language(language or job.customer.language)
    t = partial(gettext_in, language)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13.5)
    bold = ParagraphStyle("bold", parent=body, fontName=BOLD)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=14, leading=18)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    rows = [
        (t(N_("Job")), job.code),
        (t(N_("Customer")), job.customer.name),
        *[(label, value) for label, value in loan_rows(loan, language, job.zone) if value],
    ]
    width = A4[0] - 32 * mm
    table = Table(
        [[_para(label, bold), _para(value, body)] for label, value in rows],
        colWidths=[width * 0.3, width * 0.7],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Flowable] = [
        _para(shop.name or "", bold),
        _para(t(N_("Loan agreement")), title),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 4 * mm),
        _para(t(LOAN_TERMS), small),
        *signature_line(
            t(N_("Customer's signature")),
            body=body,
            small=small,
            language=language,
            zone=job.zone,
            line="_" * 40,
            blank=14 * mm,
        ),
    ]
    return _a4_pdf(story, t(N_("Loan agreement")) + f" {job.code}", shop, language)
