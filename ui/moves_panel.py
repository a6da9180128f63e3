"""The Returns tabs' one shape: a button for a new one and a filter above the list, the chosen
row's summary and history below it, the fields a move needs and a button for each move the core
still allows. The moves themselves (which, and what they do) are in the core."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.forms import labelled
from ui.operations import ReadOp, WriteOp
from ui.parts.models import ListTableModel
from ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ui.tables import list_and_history

EventT = TypeVar("EventT")
EventT_co = TypeVar("EventT_co", covariant=True)


class Moved(Protocol[EventT_co]):
    """A row of the list: its number, its history and what the move changed."""

    @property
    def number(self) -> str: ...

    @property
    def history(self) -> Sequence[EventT_co]: ...

    @property
    def changes(self) -> Changes: ...


RowT = TypeVar("RowT", bound="Moved[Any]")


def summary_html(headline: str, details: Sequence[str]) -> str:
    """The headline in bold over the detail lines, all escaped."""
    return "<br>".join([f"<b>{html.escape(headline)}</b>", *(html.escape(d) for d in details)])


class MovesPanel(QWidget, Generic[RowT, EventT]):
    """The list with its filter, the chosen row's summary and history, and its moves.

    A subclass fills the pane under the history (:meth:`add_fields`, :meth:`add_moves`), says
    what the filter finds (:meth:`query`), which moves and fields the chosen row allows and how
    it is summed up (:meth:`show_moves`, :meth:`describe`), and which dialog makes a new one
    (:meth:`new_dialog`); every move goes through :meth:`write`.
    """

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None,
        *,
        new_title: str,
        filters: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, Callable[[RowT], object]]],
        widths: Sequence[int],
        name: str,
        history_columns: Sequence[tuple[str, Callable[[EventT], object]]],
        history_widths: Sequence[int],
        history_name: str,
    ) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(new_title, self)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        self.filter = QComboBox(self)
        for text, data in filters:
            self.filter.addItem(text, data)
        bar.addWidget(labelled(_("S&how:"), self.filter, self))
        bar.addWidget(self.filter)
        layout.addLayout(bar)

        self.model: ListTableModel[RowT] = ListTableModel(columns, self)
        self.history_model: ListTableModel[EventT] = ListTableModel(history_columns, self)
        parts = list_and_history(
            self,
            self.model,
            widths,
            name,
            history_model=self.history_model,
            history_widths=history_widths,
            history_name=history_name,
        )
        self.detail, self.pane = parts.detail, parts.pane
        self.table, self.summary, self.history = parts.table, parts.summary, parts.history
        layout.addWidget(parts.splitter, 1)
        self.cleared: list[QLineEdit] = []
        """The fields emptied once a move is done."""

        self.new_button.clicked.connect(self.new_one)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        context.changed.connect(self._on_changed)
        self._loaded = False
        self._select_next: str | None = None

    def add_fields(self, fields: Sequence[tuple[str, QWidget, int]]) -> None:
        """A row of labelled fields under the history: ``(label, widget, stretch)``."""
        row = QHBoxLayout()
        for text, widget, stretch in fields:
            row.addWidget(labelled(text, widget, self.detail))
            row.addWidget(widget, stretch)
        self.pane.addLayout(row)

    def add_moves(
        self, groups: Sequence[Sequence[tuple[str, Callable[[], None]]]]
    ) -> list[QPushButton]:
        """A row of buttons under the fields, ``(title, action)`` in groups set apart."""
        row = QHBoxLayout()
        buttons: list[QPushButton] = []
        for number, group in enumerate(groups):
            if number:
                row.addSpacing(24)
            for title, action in group:
                button = QPushButton(title, self.detail)
                button.clicked.connect(lambda _checked=False, action=action: action())
                buttons.append(button)
                row.addWidget(button)
        row.addStretch(1)
        self.pane.addLayout(row)
        return buttons

    def query(self, chosen: str) -> Callable[[UnitOfWork], list[RowT]]:
        """What the list shows with the filter's ``chosen`` data."""
        raise NotImplementedError

    def show_moves(self, row: RowT | None) -> None:
        """Show the moves ``row`` allows, enable the fields they take."""
        raise NotImplementedError

    def describe(self, row: RowT) -> tuple[str, list[str]]:
        """``row``'s headline and detail lines."""
        raise NotImplementedError

    def new_dialog(self) -> tuple[QDialog, Callable[[], RowT | None]]:
        """The dialog that makes a new row, and what it made once accepted."""
        raise NotImplementedError

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self._loaded:
            self.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def current(self) -> RowT | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def reload(self) -> None:
        self._loaded = True
        shown = self.current()
        number = shown.number if shown else None
        query = self.query(str(self.filter.currentData() or ""))
        ReadOp(self.context, self, query).success(lambda found: self._fill(found, number)).run()

    def _fill(self, found: list[RowT], number: str | None) -> None:
        """Show ``found``, keeping ``number`` (or the one just made) chosen."""
        number = self._select_next or number
        self._select_next = None
        self.model.set_rows(found)
        for row, item in enumerate(found):
            if item.number == number:
                self.table.selectRow(row)
                self._show(item)
                break
        else:
            self._show(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.row(current.row()) if current.isValid() else None)

    def _show(self, row: RowT | None) -> None:
        self.history_model.set_rows(row.history if row else [])
        self.show_moves(row)
        if row is None:
            self.summary.setText(self.nothing_chosen())
            return
        self.summary.setText(summary_html(*self.describe(row)))

    def nothing_chosen(self) -> str:
        """The summary while no row is chosen."""
        raise NotImplementedError

    def _on_changed(self, changes: Changes, initiator: object = None) -> None:
        if initiator is self:
            return  # its own move: it reloads when the move is done
        if self._loaded and changes.touches(ChangeKind.PART):
            self.reload()

    def write(self, action: Callable[[UnitOfWork], RowT]) -> None:
        """Make a move; once done, the fields are emptied and the list reloaded."""
        WriteOp(self.context, self, action, lambda row: row.changes).success(
            lambda _done: self._moved()
        ).run(initiator=self)

    def _moved(self) -> None:
        for field in self.cleared:
            field.clear()
        self.reload()

    def new_one(self) -> None:
        dialog, created = self.new_dialog()
        if dialog.exec() and (made := created()) is not None:
            self._select_next = made.number
            self.reload()
