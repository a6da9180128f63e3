"""The turnaround and workload report as an A4 PDF (ReportLab, fonts embedded).

It shows the same tables as the command line and the Reports view (one list
of columns in :mod:`repairshop.services.reports.export`) with two bar charts:
how long jobs took, and jobs in and out per day.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus import (
    TableStyle as PdfTableStyle,
)

from repairshop.i18n import _, format_day, format_moment
from repairshop.printing.fonts import BOLD, CONDENSED, REGULAR, register_fonts
from repairshop.services.reports.export import (
    ReportSet,
    Table,
    format_cell,
    report_set_tables,
)

PAGE_WIDTH = A4[0] - 30 * mm
ACCENT = colors.HexColor("#2f6690")
LIGHT = colors.HexColor("#e8eef4")


def report_pdf(reports: ReportSet, *, shop_name: str = "", generated: datetime) -> bytes:
    """The whole report set as PDF bytes."""
    register_fonts()
    title_style = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=6)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Turnaround and workload"),
        author=shop_name or "RepairShop",
    )
    story: list[Flowable] = [
        Paragraph(_("Turnaround and workload"), title_style),
        Paragraph(_describe(reports, shop_name, generated), body),
        Spacer(1, 4 * mm),
    ]
    distribution = reports.by_technician.distribution
    story.append(
        KeepTogether(
            [
                Paragraph(_("How long jobs took from intake to ready"), heading),
                _bar_chart([label for label, _n in distribution], [[n for _l, n in distribution]]),
            ]
        )
    )
    days = reports.workload.days
    story.append(
        KeepTogether(
            [
                Paragraph(_("Jobs in and out per day"), heading),
                _bar_chart(
                    [format_day(flow.day, style="short") for flow in days],
                    [[flow.taken_in for flow in days], [flow.collected for flow in days]],
                    legend=(_("Taken in"), _("Collected")),
                ),
            ]
        )
    )
    for table in report_set_tables(reports):
        story.append(KeepTogether([Paragraph(table.title, heading), _table(table)]))
    document.build(story)
    return out.getvalue()


def _describe(reports: ReportSet, shop_name: str, generated: datetime) -> str:
    days = reports.workload.days
    start = reports.period.start or (days[0].day if days else None)
    end = reports.period.end or (days[-1].day if days else None)
    parts = [shop_name] if shop_name else []
    if start and end:
        parts.append(
            _("Period: {start} – {end}").format(start=format_day(start), end=format_day(end))
        )
    if reports.technician:
        parts.append(_("Technician: {login}").format(login=reports.technician))
    if reports.device_type:
        parts.append(_("Device type: {type}").format(type=reports.device_type))
    parts.append(_("Business hours") if reports.business_hours else _("Calendar hours"))
    parts.append(_("Made {moment}").format(moment=format_moment(generated)))
    return " · ".join(_escape(part) for part in parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bar_chart(
    labels: Sequence[str], series: Sequence[Sequence[int]], legend: Sequence[str] = ()
) -> Drawing:
    height = 55 * mm
    drawing = Drawing(PAGE_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = PAGE_WIDTH - 16 * mm, height - 20 * mm
    chart.data = [list(values) or [0] for values in series]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = CONDENSED
    chart.categoryAxis.labels.fontSize = 6 if len(labels) > 12 else 7
    if len(labels) > 12:
        chart.categoryAxis.labels.angle = 60
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = CONDENSED
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    palette = (ACCENT, colors.HexColor("#f29e4c"), colors.HexColor("#81c3d7"))
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index % len(palette)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    x = 14 * mm
    for index, name in enumerate(legend):
        drawing.add(
            String(
                x,
                height - 4 * mm,
                "■ " + name,
                fontName=REGULAR,
                fontSize=8,
                fillColor=palette[index % len(palette)],
            )
        )
        x += 40 * mm
    return drawing


def _table(table: Table) -> PdfTable:
    table = table.for_people()
    numeric = [
        bool(table.rows)
        and all(isinstance(row[n], int | float) or row[n] is None for row in table.rows)
        for n in range(len(table.headers))
    ]
    data: list[list[str]] = [list(table.headers)]
    data.extend([format_cell(table, n, cell) for n, cell in enumerate(row)] for row in table.rows)
    if not table.rows:
        data.append([_("(no jobs in this period)")] + [""] * (len(table.headers) - 1))
    pdf_table = PdfTable(data, repeatRows=1, hAlign="LEFT")
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), CONDENSED),
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    style.extend(("ALIGN", (n, 0), (n, -1), "RIGHT") for n, flag in enumerate(numeric) if flag)
    pdf_table.setStyle(PdfTableStyle(style))
    return pdf_table
