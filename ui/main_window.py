"""The main window: the scan/search box, one tab per view, and job cards opened beside them.

It stays thin: each view owns its widget, model and actions. A view is added
with one :class:`ViewSpec` line in ``ui/app.py``; the window knows nothing of
what a view shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from repairshop.domain.codes import looks_like_ticket_code
from repairshop.errors import NotFound, RepairShopError
from repairshop.i18n import _
from repairshop.services.jobs.listing import JobFilter
from ui.context import AppContext
from ui.job_card import JobCard
from ui.job_list import JobsView
from ui.qt import (
    QByteArray,
    QCloseEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QShortcut,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from ui.reports.tiles import DashboardTiles
from ui.scan_input import read_scans

TITLE = "RepairShop"


@dataclass(frozen=True)
class ViewSpec:
    """One view in the main window: a stable key, its tab title, and how to build it."""

    key: str
    title: str
    """Marked with ``N_``; translated when the tab is made."""
    factory: Callable[[AppContext], QWidget]


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, views: Sequence[ViewSpec]) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(TITLE)
        self.setObjectName("main")

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            _("Scan a label or search: ticket code, name, phone, e-mail, serial, IMEI, model")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(520)
        read_scans(self.search, looks_like_ticket_code)
        self.search.returnPressed.connect(self.scan_or_search)
        toolbar = QToolBar(_("Search"), self)
        toolbar.setObjectName("search-bar")
        toolbar.setMovable(False)
        find_label = QLabel(" " + _("Find") + " ", self)
        find_label.setBuddy(self.search)  # what a screen reader calls the box
        toolbar.addWidget(find_label)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

        central = QWidget(self)
        self.tiles = DashboardTiles(context, central)
        self.tiles.setObjectName("dashboard")
        self.tiles.filter_requested.connect(self.show_jobs)
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._update_title)
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 0)
        column.addWidget(self.tiles)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.views: dict[str, QWidget] = {}
        for number, spec in enumerate(views, start=1):
            self.add_view(spec, number)
        self.user_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.user_label)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+W"), self, lambda: self._close_tab(self.tabs.currentIndex()))
        context.job_requested.connect(self.open_job)
        context.user_changed.connect(lambda _login: self._show_user())
        self._show_user()
        self.resize(1280, 800)
        geometry = context.state.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        self.search.setFocus()

    def add_view(self, spec: ViewSpec, number: int | None = None) -> QWidget:
        widget = spec.factory(self.context)
        widget.setObjectName(spec.key)
        index = self.tabs.addTab(widget, _(spec.title))
        self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.views[spec.key] = widget
        if number is not None and number <= 9:
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda widget=widget: self.tabs.setCurrentWidget(widget))
            self.tabs.setTabToolTip(index, f"Ctrl+{number}")
        return widget

    def show_view(self, key: str) -> QWidget:
        widget = self.views[key]
        self.tabs.setCurrentWidget(widget)
        return widget

    def show_jobs(self, where: JobFilter) -> None:
        """Show the Jobs view filtered to ``where`` (a dashboard tile was clicked)."""
        jobs = self.views.get("jobs")
        if isinstance(jobs, JobsView):
            self.tabs.setCurrentWidget(jobs)
            jobs.show_filter(where)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def scan_or_search(self) -> None:
        """A ticket code opens its card at once (as a scanner types it); other text searches."""
        text = self.search.text().strip()
        if not text:
            return
        if looks_like_ticket_code(text):
            try:
                self.open_job(text, quiet=True)
                self.search.clear()
                return
            except NotFound:
                pass
        jobs = self.views.get("jobs")
        if isinstance(jobs, JobsView):
            self.tabs.setCurrentWidget(jobs)
            jobs.show_search(text)

    def open_job(self, code: str, *, quiet: bool = False) -> JobCard | None:
        """Bring the job's card to the front (one card per job)."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if isinstance(widget, JobCard) and widget.code == code.strip().upper():
                widget.reload()
                self.tabs.setCurrentIndex(index)
                widget.focus_next_move()
                return widget
        try:
            card = JobCard(self.context, code, self.tabs)
        except RepairShopError as error:
            if quiet and isinstance(error, NotFound):
                raise
            self.context.show_error(self, error)
            return None
        index = self.tabs.addTab(card, card.code)
        self.tabs.setCurrentIndex(index)
        card.focus_next_move()
        return card

    def current_card(self) -> JobCard | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, JobCard) else None

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, JobCard):
            self.tabs.removeTab(index)
            widget.deleteLater()

    def _update_title(self) -> None:
        card = self.current_card()
        self.setWindowTitle(card.window_title() if card else TITLE)

    def _show_user(self) -> None:
        self.user_label.setText(_("Working as: {login}").format(login=self.context.user))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.context.state.setValue("window/geometry", self.saveGeometry())
        for widget in self.views.values():
            save = getattr(widget, "save_state", None)
            if callable(save):
                save()
            # Figures still being computed on a view's own thread finish before the database
            # closes (the Reports view); their result is dropped with the window.
            finish = getattr(widget, "wait_until_idle", None)
            if callable(finish):
                finish()
        self.context.state.sync()
        super().closeEvent(event)
