"""The day's takings for a manager: per desk and payment method, the payments, the cash-up.

Pick a day; the view shows what each desk took in each method with the documents behind it,
every payment of the day, and the cash-ups recorded. A manager counts a desk's cash and
records it against what the payments say should be there; the CSV is for the accountant.
Reads and writes take the one operation path; the core refuses a cash-up from anyone but
a manager, and the view only disables what the person may not use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from repairshop.domain.money import read_amount
from repairshop.domain.roles import Permission, may
from repairshop.errors import RepairShopError, ValidationError
from repairshop.i18n import N_, _, format_moment, format_money
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.money.payments import default_desk
from repairshop.services.money.takings import (
    CashedUp,
    CashUpView,
    Takings,
    TakingsEntry,
    TakingsRow,
    cash_up,
    takings,
    takings_csv,
)
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.date_field import DateField
from ui.money.models import amount_text
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QComboBox,
    QDate,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.roles import mark
from ui.tables import RecordsModel, make_table

ROW_COLUMNS: list[tuple[str, Callable[[TakingsRow], object]]] = [
    (N_("Desk"), lambda row: row.desk),
    (N_("Method"), lambda row: row.method.label),
    (N_("Payments"), lambda row: row.count),
    (N_("Total"), lambda row: amount_text(row.total)),
    (N_("Documents"), lambda row: ", ".join(row.documents)),
]
ENTRY_COLUMNS: list[tuple[str, Callable[[TakingsEntry], object]]] = [
    (N_("Time"), lambda entry: format_moment(entry.at)),
    (N_("Desk"), lambda entry: entry.desk),
    (N_("Method"), lambda entry: entry.method.label),
    (N_("Kind"), lambda entry: entry.kind.label),
    (N_("Amount"), lambda entry: amount_text(entry.amount)),
    (N_("Job"), lambda entry: entry.job),
    (N_("Document"), lambda entry: entry.document or ""),
    (N_("User"), lambda entry: entry.user),
]
CASH_UP_COLUMNS: list[tuple[str, Callable[[CashUpView], object]]] = [
    (N_("Desk"), lambda cash: cash.desk),
    (N_("Expected"), lambda cash: amount_text(cash.expected)),
    (N_("Counted"), lambda cash: amount_text(cash.counted)),
    (N_("Difference"), lambda cash: amount_text(cash.difference)),
    (N_("User"), lambda cash: cash.user),
    (N_("Note"), lambda cash: cash.note),
]


@dataclass(frozen=True)
class _Read:
    takings: Takings
    may_close: bool


class TakingsView(QWidget):
    """One day's money at every desk; a manager's cash-up and the accountant's CSV."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.shown: Takings | None = None
        self.day = DateField(self)
        self.day.dateChanged.connect(lambda _day: self.reload())
        day_label = QLabel(_("&Day:"), self)
        day_label.setBuddy(self.day)
        self.today_button = QPushButton(_("&Today"), self)
        self.today_button.clicked.connect(self.show_today)
        self.csv_button = QPushButton(_("Export C&SV…"), self)
        self.csv_button.clicked.connect(self.export_csv)
        bar = QHBoxLayout()
        bar.addWidget(day_label)
        bar.addWidget(self.day)
        bar.addWidget(self.today_button)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)

        self.rows = RecordsModel(ROW_COLUMNS, frozenset({2, 3}), self)
        self.rows_table = make_table(self, self.rows, (140, 120, 80, 110, 300))
        self.rows_table.setAccessibleName(_("Takings per desk and method"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.entries = RecordsModel(ENTRY_COLUMNS, frozenset({4}), self)
        self.entries_table = make_table(self, self.entries, (130, 110, 100, 100, 100, 90, 110))
        self.entries_table.setAccessibleName(_("Payments of the day"))

        self.close_box = QGroupBox(_("Cash-up"), self)
        form = QFormLayout(self.close_box)
        self.desk = QComboBox(self.close_box)
        self.desk.setEditable(True)
        self.desk.currentTextChanged.connect(lambda _text: self._show_expected())
        self.expected = QLabel(self.close_box)
        self.counted = QLineEdit(self.close_box)
        self.note = QLineEdit(self.close_box)
        self.cash_up_button = QPushButton(_("&Record cash-up"), self.close_box)
        self.cash_up_button.clicked.connect(self.record_cash_up)
        mark(self.cash_up_button, Permission.CLOSE_DAY)
        form.addRow(_("D&esk:"), self.desk)
        form.addRow(_("Expected in cash:"), self.expected)
        form.addRow(_("&Counted:"), self.counted)
        form.addRow(_("&Note:"), self.note)
        form.addRow(self.cash_up_button)
        self.cash_ups = RecordsModel(CASH_UP_COLUMNS, frozenset({1, 2, 3}), self)
        self.cash_ups_table = make_table(self, self.cash_ups, (110, 100, 100, 100, 90))
        self.cash_ups_table.setAccessibleName(_("Cash-ups"))

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.rows_table, 1)
        top_layout.addWidget(self.summary)
        bottom = QWidget(self)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.close_box, 1)
        bottom_layout.addWidget(self.cash_ups_table, 2)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.entries_table)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        context.changed.connect(self._on_changed)
        self._started = False

    def showEvent(self, event: object) -> None:  # noqa: N802
        """Today's takings the first time the view comes to the front; afresh each time."""
        if not self._started:
            self._started = True
            self.show_today()
        else:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def show_today(self) -> None:
        def shown(today: date) -> None:
            qdate = QDate(today.year, today.month, today.day)
            if self.day.date() == qdate:
                self.reload()
            else:
                self.day.setDate(qdate)

        ReadOp(self.context, self, shop_today, shown).run()

    def chosen_day(self) -> date:
        qdate = self.day.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def reload(self) -> None:
        day, login = self.chosen_day(), self.context.user

        def read(uow: UnitOfWork) -> _Read:
            user = get_user(uow, login)
            return _Read(takings(uow, day), may(user.role, Permission.CLOSE_DAY))

        ReadOp(self.context, self, read, self._show).run()

    def _show(self, read: _Read) -> None:
        day = read.takings
        self.shown = day
        for model in (self.rows, self.entries, self.cash_ups):
            model.currency = day.currency
        self.rows.set_rows(day.rows)
        self.entries.set_rows(day.entries)
        self.cash_ups.set_rows(day.cash_ups)
        money = day.currency
        parts = [
            f"{method.label}: {format_money(amount, money)}"
            for method, amount in day.by_method.items()
        ]
        parts.append(_("Total: {total}").format(total=format_money(day.total, money)))
        self.summary.setText(" · ".join(parts))
        desk = self.desk.currentText() or default_desk()
        self.desk.blockSignals(True)
        self.desk.clear()
        self.desk.addItems(sorted({*day.desks, default_desk()}))
        self.desk.setCurrentText(desk)
        self.desk.blockSignals(False)
        self._show_expected()
        self.close_box.setEnabled(read.may_close)
        self.close_box.setToolTip("" if read.may_close else _("Only a manager records a cash-up."))

    def _show_expected(self) -> None:
        day = self.shown
        if day is None:
            return
        expected = day.expected_cash(self.desk.currentText())
        self.expected.setText(format_money(expected, day.currency))

    def _on_changed(self, changes: Changes) -> None:
        """Follow money taken at any desk while shown (coming to the front reads afresh)."""
        if (
            self._started
            and self.isVisible()
            and (changes.touches(ChangeKind.TAKINGS) or changes.job_ids)
        ):
            self.reload()

    def record_cash_up(self) -> None:
        try:
            currency = self.shown.currency if self.shown is not None else ""
            counted = read_amount(self.counted.text(), "counted", currency=currency)
            if counted is None:
                raise ValidationError(_("Give the cash counted."), "counted")
        except RepairShopError as error:
            self.context.show_error(self, error)
            return
        day, desk, note, user = (
            self.chosen_day(),
            self.desk.currentText(),
            self.note.text(),
            self.context.user,
        )
        WriteOp(
            self.context,
            self,
            lambda uow: cash_up(uow, day, desk, counted, user, note=note),
            lambda done: done.changes,
        ).success(self._cashed_up).run(initiator=self)

    def _cashed_up(self, done: CashedUp) -> None:
        self.counted.clear()
        self.note.clear()
        self.reload()

    def export_csv(self, path: str | None = None) -> None:
        """Write the shown day's payments as CSV (asks where, unless ``path`` is given)."""
        day = self.shown
        if day is None:
            return
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self,
                _("Export CSV"),
                f"takings-{day.day.isoformat()}.csv",
                _("CSV files (*.csv)"),
            )
        if not path:
            return
        try:
            Path(path).write_text(takings_csv(day), encoding="utf-8")
        except OSError as error:
            self.context.show_error(
                self,
                RepairShopError(
                    _("Cannot write {file}: {reason}").format(file=path, reason=error.strerror)
                ),
            )
