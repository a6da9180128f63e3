"""The job card's "Earlier visits": the same device's other jobs, each opening its own card.

A device is found again by its serial or IMEI (:mod:`repairshop.services.aftersales.devices`);
the list gives each visit's date, type, how it ended, and the parts fitted with their serials.
Enter or a double click opens that job's card.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from repairshop.domain.statuses import JobType
from repairshop.errors import NotFound
from repairshop.i18n import _, format_day
from repairshop.services.aftersales.devices import Visit, device_history
from repairshop.services.jobs.views import JobView
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import ReadOp
from ui.qt import QGroupBox, QListWidget, QListWidgetItem, Qt, QVBoxLayout, QWidget, Signal


def visit_text(visit: Visit, zone: tzinfo) -> str:
    """Two lines: code, day, type and how it stands; then the fault and the parts fitted."""
    state = visit.outcome.label if visit.outcome is not None else visit.status.label
    if visit.job_type is JobType.COMPLAINT and visit.complaint_of:
        kind = _("Complaint about {code}").format(code=visit.complaint_of)
    else:
        kind = visit.job_type.label
    day = format_day(visit.received.astimezone(zone).date())
    first = f"{visit.code} · {day} · {kind} · {state}"
    details = [visit.fault.splitlines()[0] if visit.fault else ""]
    for part in visit.parts:
        serials = f" [{', '.join(part.serials)}]" if part.serials else ""
        details.append(f"{part.quantity} × {part.name}{serials}")
    return first + "\n" + "; ".join(text for text in details if text)


class DeviceHistoryBox(QGroupBox):
    """The device's other visits, newest first; shown when a device with a serial or IMEI
    has been here before."""

    found = Signal(int)
    """How many earlier visits were found (a tab showing the box says so in its title)."""

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, shows_itself: bool = True
    ) -> None:
        super().__init__(_("Earlier visits"), parent)
        self.shows_itself = shows_itself
        """False inside a tab widget: the tab, not the box, appears and hides."""
        self.context = context
        self.code = ""
        self.key: str | None = None
        self.visits: tuple[Visit, ...] = ()
        self.zone: tzinfo = UTC
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Earlier visits"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMaximumHeight(6 * self.list.fontMetrics().lineSpacing() + 8)
        self.list.setToolTip(_("Enter or a double click opens the job's card"))
        self.list.itemActivated.connect(self._open)
        layout.addWidget(self.list)
        self.list.hide()
        self.hide()

    def show_job(self, view: JobView) -> None:
        """Read the device's history on the worker and list its other visits."""
        self.code, self.zone = view.code, view.zone
        self.key = view.device.serial or view.device.imei
        if not self.key:
            if self.shows_itself:
                self.hide()
            self.found.emit(0)
            return
        key, code = self.key, view.code

        def query(uow: UnitOfWork) -> tuple[Visit, ...]:
            try:
                history = device_history(uow, key)
            except NotFound:
                return ()
            return tuple(visit for visit in reversed(history.visits) if visit.code != code)

        ReadOp(self.context, self, query, self._show).run()

    def _show(self, visits: tuple[Visit, ...]) -> None:
        self.visits = visits
        self.list.clear()
        for visit in visits:
            item = QListWidgetItem(visit_text(visit, self.zone), self.list)
            item.setData(Qt.ItemDataRole.UserRole, visit.code)
        self.setTitle(
            _("Earlier visits ({count})").format(count=len(visits))
            if visits
            else _("Earlier visits")
        )
        # A first visit shows nothing: the card keeps its height for what the job needs.
        self.list.setVisible(bool(visits))
        if self.shows_itself:
            self.setVisible(bool(visits))
        self.found.emit(len(visits))

    def _open(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.context.open_job(str(code))
