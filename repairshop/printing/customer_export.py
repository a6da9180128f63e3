"""A customer's data export (a GDPR access request) as a readable A4 PDF.

It prints the same data as the JSON export
(:func:`repairshop.services.customers.privacy.export_customer`): contacts and consent,
devices, jobs with their history, invoices, messages and feedback.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle as PdfTableStyle

from repairshop.domain.money import from_minor
from repairshop.i18n import _, format_money
from repairshop.printing.fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH = A4[0] - 30 * mm
LIGHT = colors.HexColor("#e8eef4")


def _escape(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def customer_export_pdf(data: dict[str, Any], *, shop_name: str = "") -> bytes:
    register_fonts()
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Personal data held about {name}").format(name=data["name"]),
        author=shop_name or "RepairShop",
    )

    def table(header: list[str], rows: list[list[Any]]) -> Flowable:
        if not rows:
            return Paragraph(_escape(_("None.")), body)
        grid = [[Paragraph(_escape(text), cell) for text in row] for row in [header, *rows]]
        result = PdfTable(grid, repeatRows=1, colWidths=[PAGE_WIDTH / len(header)] * len(header))
        result.setStyle(
            PdfTableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        return result

    consent = data["consent"]
    yes_no = _("yes") if consent["to_contact"] else _("no")
    facts = [
        (_("Name"), data["name"]),
        (_("Phone"), data["phone"] or "—"),
        (_("E-mail"), data["email"] or "—"),
        (_("Language"), data["language"]),
        (_("Agreed to be contacted"), yes_no),
        (_("Consent last changed"), consent["changed_at"] or "—"),
        (_("Changed by"), consent["changed_by"] or "—"),
        (_("Notes"), data["notes"] or "—"),
        (_("Customer since"), data["created_at"]),
    ]
    story: list[Flowable] = [
        Paragraph(_escape(_("Personal data held about {name}").format(name=data["name"])), title),
        Paragraph(
            _escape(
                " · ".join(
                    part
                    for part in (
                        shop_name,
                        _("Made {moment} by {login}").format(
                            moment=data["exported_at"], login=data["exported_by"]
                        ),
                    )
                    if part
                )
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_escape(_("Contacts and consent")), heading),
        table([_("What"), _("Value")], [[label, value] for label, value in facts]),
        Paragraph(_escape(_("Devices")), heading),
        table(
            [_("Type"), _("Brand"), _("Model"), _("Serial number"), _("IMEI")],
            [[d["type"], d["brand"], d["model"], d["serial"], d["imei"]] for d in data["devices"]],
        ),
        Paragraph(_escape(_("Jobs")), heading),
    ]
    for job in data["jobs"]:
        device = job.get("device") or {}
        story.append(
            Paragraph(
                _escape(
                    f"{job['code']} · {job.get('status', '')} · "
                    f"{device.get('brand', '')} {device.get('model', '')}"
                ),
                body,
            )
        )
        story.append(
            Paragraph(_escape(_("Fault: {fault}").format(fault=job.get("fault", ""))), body)
        )
        story.append(
            table(
                [_("When"), _("What"), _("Who")],
                [[event["at"], event["kind"], event["user"]] for event in job.get("history", [])],
            )
        )
        feedback = job.get("feedback")
        if feedback and feedback.get("score") is not None:
            story.append(
                Paragraph(
                    _escape(
                        _("Feedback: {score}/10 {comment}").format(
                            score=feedback["score"], comment=feedback["comment"]
                        )
                    ),
                    body,
                )
            )
        story.append(Spacer(1, 2 * mm))
    story += [
        Paragraph(_escape(_("Invoices")), heading),
        table(
            [_("Number"), _("Job"), _("Issued"), _("Amount")],
            [
                [
                    i["number"],
                    i["job"],
                    i["issued"],
                    format_money(from_minor(i["gross_minor"], i["currency"]), i["currency"]),
                ]
                for i in data["invoices"]
            ],
        ),
        Paragraph(_escape(_("Messages")), heading),
        table(
            [_("When"), _("Job"), _("What"), _("To"), _("State")],
            [[m["at"], m["job"], m["kind"], m["to"], m["state"]] for m in data["messages"]],
        ),
    ]
    document.build(story)
    return out.getvalue()
