"""Returns: to suppliers (RMA) — the list with a state filter, the chosen RMA's history, and a
button for each move its state allows — and from customers (:mod:`ui.customer_returns`).
The rules and the stock they move are in the core."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from repairshop.domain.rma import RmaAction, RmaState
from repairshop.i18n import N_, _, format_moment
from repairshop.services.aftersales.rma import (
    RmaEventView,
    RmaView,
    list_rmas,
    move_rma,
    open_rma,
    rma_details,
)
from repairshop.services.changes import Changes
from repairshop.services.parts.purchasing import list_suppliers
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.customer_returns import CustomerReturnsPanel
from ui.forms import labelled, ok_cancel
from ui.moves_panel import MovesPanel
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.scan_input import read_scans

RMA_COLUMNS: list[tuple[str, Callable[[RmaView], object]]] = [
    (N_("RMA"), lambda r: r.number),
    (N_("State"), lambda r: r.state.label),
    (N_("Supplier"), lambda r: r.supplier),
    (N_("SKU"), lambda r: r.sku),
    (N_("Part"), lambda r: r.part_name),
    (N_("Serial"), lambda r: r.serial or ""),
    (N_("Job"), lambda r: r.job or ""),
    (N_("Created"), lambda r: format_moment(r.created_at)),
]
RMA_WIDTHS = (90, 100, 160, 110, 220, 130, 90)
HISTORY_COLUMNS: list[tuple[str, Callable[[RmaEventView], object]]] = [
    (N_("When"), lambda e: format_moment(e.at)),
    (N_("Who"), lambda e: e.user),
    (N_("State"), lambda e: e.to_state.label),
    (N_("Note"), lambda e: e.note),
]
HISTORY_WIDTHS = (140, 100, 100)

MOVE_BUTTONS: list[tuple[RmaAction, RmaState, str]] = [
    (RmaAction.SEND, RmaState.SENT, N_("&Mark as sent")),
    (RmaAction.RECEIVE, RmaState.REPLACED, N_("Replacement &received")),
    (RmaAction.RECEIVE, RmaState.REJECTED, N_("Rejected part came &back")),
    (RmaAction.CLOSE, RmaState.CREDITED, N_("&Credited")),
    (RmaAction.CLOSE, RmaState.REJECTED, N_("Re&jected")),
]
"""Every move the core allows, as a button; only those the chosen RMA's state allows show."""

OPEN_FILTER = "open"


def _changes(view: RmaView) -> Changes:
    return view.changes


class NewRmaDialog(QDialog):
    """Request an RMA: supplier, part, its serial, the job it came from, why."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.created: RmaView | None = None
        self.setWindowTitle(_("New return to a supplier"))
        form = QFormLayout(self)
        self.supplier = QComboBox(self)
        ReadOp(context, self, list_suppliers).success(self.supplier.addItems).run()
        self.sku = QLineEdit(self)
        read_scans(self.sku)
        self.serial = QLineEdit(self)
        read_scans(self.serial)
        self.job = QLineEdit(self)
        read_scans(self.job)
        self.reason = QLineEdit(self)
        for text, widget in (
            (_("&Supplier:"), self.supplier),
            (_("S&KU:"), self.sku),
            (_("Se&rial:"), self.serial),
            (_("&Job:"), self.job),
            (_("Re&ason:"), self.reason),
        ):
            form.addRow(labelled(text, widget, self), widget)
        form.addRow(ok_cancel(self, _("Request RMA"), self.request))

    def request(self) -> None:
        supplier, sku, user = self.supplier.currentText(), self.sku.text(), self.context.user
        reason, serial, job = self.reason.text(), self.serial.text(), self.job.text()
        WriteOp(
            self.context,
            self,
            lambda uow: open_rma(
                uow,
                supplier,
                sku,
                user,
                reason=reason,
                serial=serial or None,
                job_code=job or None,
            ),
            _changes,
        ).success(self._created).run(initiator=self)

    def _created(self, created: RmaView) -> None:
        self.created = created
        self.accept()


class RmaPanel(MovesPanel[RmaView, RmaEventView]):
    """The Returns tab's "To suppliers" part."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context,
            parent,
            new_title=_("&New RMA…"),
            filters=[
                (_("Open (requested or sent)"), OPEN_FILTER),
                (_("All"), ""),
                *((state.label, state.value) for state in RmaState),
            ],
            columns=RMA_COLUMNS,
            widths=RMA_WIDTHS,
            name=_("Returns to suppliers"),
            history_columns=HISTORY_COLUMNS,
            history_widths=HISTORY_WIDTHS,
            history_name=_("RMA history"),
        )
        self.note = QLineEdit(self.detail)
        self.note.setPlaceholderText(_("parcel number, credit note, supplier's answer"))
        self.serial = QLineEdit(self.detail)
        read_scans(self.serial)
        self.add_fields([(_("N&ote:"), self.note, 1), (_("Replacement s&erial:"), self.serial, 1)])
        self.cleared = [self.note, self.serial]
        moves: list[tuple[str, Callable[[], None]]] = [
            (_(title), partial(self.make_move, action, target))
            for action, target, title in MOVE_BUTTONS
        ]
        self.move_buttons: dict[tuple[RmaAction, RmaState], QPushButton] = dict(
            zip(
                ((action, target) for action, target, _title in MOVE_BUTTONS),
                self.add_moves([moves]),
                strict=True,
            )
        )
        self._show(None)

    def query(self, chosen: str) -> Callable[[UnitOfWork], list[RmaView]]:
        state = RmaState(chosen) if chosen and chosen != OPEN_FILTER else None
        return lambda uow: list_rmas(uow, open_only=chosen == OPEN_FILTER, state=state)

    def show_moves(self, row: RmaView | None) -> None:
        allowed = set(row.moves) if row else set()
        for key, button in self.move_buttons.items():
            button.setVisible(key in allowed)
        self.note.setEnabled(bool(allowed))
        self.serial.setEnabled((RmaAction.RECEIVE, RmaState.REPLACED) in allowed)

    def nothing_chosen(self) -> str:
        return _("Choose an RMA to see its history and what can be done next.")

    def describe(self, row: RmaView) -> tuple[str, list[str]]:
        return f"{row.number} — {row.state.label}", rma_details(row)

    def make_move(self, action: RmaAction, target: RmaState) -> None:
        rma = self.current()
        if rma is None:
            return
        note, serial, user = self.note.text(), self.serial.text(), self.context.user
        self.write(
            lambda uow: move_rma(
                uow,
                rma.number,
                action,
                target,
                user,
                note=note,
                replacement_serial=(serial or None if target is RmaState.REPLACED else None),
            )
        )

    def new_dialog(self) -> tuple[QDialog, Callable[[], RmaView | None]]:
        dialog = NewRmaDialog(self.context, self)
        return dialog, lambda: dialog.created


class ReturnsView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.parts = QTabWidget(self)
        self.parts.setAccessibleName(_("Returns"))
        QVBoxLayout(self).addWidget(self.parts)
        self.suppliers = RmaPanel(context, self.parts)
        self.customers = CustomerReturnsPanel(context, self.parts)
        self.parts.addTab(self.suppliers, _("To suppliers"))
        self.parts.addTab(self.customers, _("From customers"))
