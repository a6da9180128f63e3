"""Table models of the money views: a job's lines and the price list of services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from repairshop.domain.devices import device_type_label
from repairshop.i18n import N_, _, format_number
from repairshop.services.money.lines import InvoiceLine
from repairshop.services.money.price_list import ServiceView
from ui.qt import QObject
from ui.tables import Figure, RecordsModel


def amount_text(amount: Decimal) -> Figure:
    """An amount in a table: written as the table's currency writes it (see :class:`Figure`)."""
    return Figure(amount)


def rate_text(rate: Decimal | None) -> str:
    """A VAT rate as a person reads it: ``21 %``; no rate of its own: the shop's default."""
    return _("shop's rate") if rate is None else f"{format_number(rate)} %"


LINE_COLUMNS: list[tuple[str, Callable[[InvoiceLine], object]]] = [
    (N_("Description"), lambda line: line.description),
    (N_("Qty"), lambda line: line.quantity),
    (N_("Unit price"), lambda line: amount_text(line.unit_price)),
    (N_("VAT"), lambda line: rate_text(line.vat_rate)),
    (N_("Gross"), lambda line: amount_text(line.gross)),
]
LINE_WIDTHS = (200, 40, 80, 50, 80)
LINE_NUMERIC = frozenset({1, 2, 3, 4})
LINE_FIGURES = tuple(sorted(LINE_NUMERIC))
"""The figures of a line (quantity, unit price, VAT, gross): never narrowed to "899,…"."""


def line_model(parent: QObject | None = None) -> RecordsModel[InvoiceLine]:
    return RecordsModel(LINE_COLUMNS, LINE_NUMERIC, parent)


SERVICE_COLUMNS: list[tuple[str, Callable[[ServiceView], object]]] = [
    (N_("Code"), lambda s: s.code),
    (N_("Service"), lambda s: s.name),
    (N_("Price"), lambda s: amount_text(s.price)),
    (N_("VAT"), lambda s: rate_text(s.vat_rate)),
    (N_("Device type"), lambda s: device_type_label(s.device_type) if s.device_type else ""),
    (N_("Brand"), lambda s: s.brand or ""),
]
SERVICE_WIDTHS = (110, 300, 90, 90, 110)
SERVICE_NUMERIC = frozenset({2, 3})


def service_model(parent: QObject | None = None) -> RecordsModel[ServiceView]:
    return RecordsModel(SERVICE_COLUMNS, SERVICE_NUMERIC, parent)
