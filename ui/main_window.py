"""The main window: the scan/search box, one tab per view, and job cards opened beside them.

It stays thin: each view owns its widget, model and actions. A view is added
with one :class:`ViewSpec` line in ``ui/app.py``; the window knows nothing of
what a view shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from repairshop.domain.codes import looks_like_ticket_code
from repairshop.domain.roles import Permission, may
from repairshop.errors import NotFound
from repairshop.i18n import _
from repairshop.services.jobs.filters import JobFilter
from ui.qt import (
    QByteArray,
    QCloseEvent,
    QEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QObject,
    QSettings,
    QShortcut,
    QStackedWidget,
    Qt,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.reports.tiles import DashboardTiles

if TYPE_CHECKING:  # a start shows this window before the database layer is loaded
    from repairshop.services.first_look import FirstLook
    from ui.context import AppContext
    from ui.job_card import CardData, JobCard

TITLE = "RepairShop"

VIEW_PERMISSIONS = {
    "reports": Permission.SEE_REPORTS,
    "audit": Permission.SEE_AUDIT,
    "takings": Permission.CLOSE_DAY,
}
"""Views shown only to a role that may use them (each control within a view is gated where
it is built, with :func:`ui.roles.gate`)."""


@dataclass(frozen=True)
class ViewSpec:
    """One view in the main window: a stable key, its tab title, and how to build it."""

    key: str
    title: str
    """Marked with ``N_``; translated when the tab is made."""
    factory: Callable[[AppContext], QWidget]


class LazyView(QWidget):
    """A tab's page standing in for a view until the view is first shown or asked for;
    the window then puts the built view in its place (the same tab, title and key)."""

    def __init__(self, factory: Callable[[AppContext], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self.factory = factory


class Views(Mapping[str, QWidget]):
    """The window's views by key, each built the first time it is asked for.

    ``views[key]`` (and ``values()``, ``items()``, ``get()``) give the real view, building it
    if it was not yet; ``key in views`` and iterating over the keys build nothing.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> QWidget:
        return self._window.view(key)

    def __contains__(self, key: object) -> bool:
        return key in self._window.pages

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._window.pages))

    def __len__(self) -> int:
        return len(self._window.pages)


def first_field(view: QWidget) -> QWidget | None:
    """The first control inside ``view`` that Tab reaches, if any."""
    widget = view.nextInFocusChain()
    while widget is not None and widget is not view:
        if (
            view.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


class MainWindow(QMainWindow):
    card_opened = Signal(object)
    """A job's card came to the front (after :meth:`open_job`)."""

    context: AppContext

    def __init__(
        self,
        context: AppContext | None,
        views: Sequence[ViewSpec],
        *,
        look: FirstLook | None = None,
        state: QSettings | None = None,
    ) -> None:
        """The window over ``context``, whole at once; or, with ``context`` None, a start's
        first window: its frame, the tiles' numbers and the person from ``look``, the tabs
        with their views still to be built, the geometry from this desk's ``state``. Nothing
        of the database layer is loaded for it; :meth:`attach` then wires the window to the
        desk's context and builds the view it opens on."""
        super().__init__()
        self._attached = False
        self._waiting: list[Callable[[], object]] = []
        """What was asked of the first window before it was attached (a scan, a tile)."""
        self.setWindowTitle(TITLE)
        self.setObjectName("main")

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            _("Scan a label or search: ticket code, name, phone, e-mail, serial, IMEI, model")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(520)
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
        self.tiles = DashboardTiles(None, central, counts=look.tiles if look else None)
        self.tiles.setObjectName("dashboard")
        self.tiles.filter_requested.connect(self.show_jobs)
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._update_title)
        self._pages = self.tabs.findChild(QStackedWidget)
        if self._pages is not None:
            self._pages.installEventFilter(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 0)
        self._tiles_row = QHBoxLayout()
        self._tiles_row.addWidget(self.tiles, 1)
        column.addLayout(self._tiles_row)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.pages: dict[str, QWidget] = {}
        """Each view's tab page by key: the view, or a :class:`LazyView` until it is built."""
        self.views = Views(self)
        self.tabs.currentChanged.connect(self._build_current)
        for number, spec in enumerate(views, start=1):
            self.add_view(spec, number)
        self.user_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.user_label)
        if look is not None:
            self.user_label.setText(_("Working as: {login}").format(login=look.user))
            self.show_tabs_for(look.role)
        if context is None:  # the view it opens on is built once the desk is attached
            opening = QLabel(_("Opening the shop's database…"), self.tabs.currentWidget())
            opening.setObjectName("opening")
            opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
            QVBoxLayout(self.tabs.currentWidget()).addWidget(opening)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+W"), self, lambda: self._close_tab(self.tabs.currentIndex()))
        self.resize(1280, 800)
        state = context.state if context is not None else state
        geometry = state.value("window/geometry") if state is not None else None
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        self.search.setFocus()
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext) -> None:
        """Wire the window to the desk: scans, the tiles' reading, the loaners' tile, the
        backup warning, the outbox and the retention rule; build the view it shows."""
        import ui.job_card  # noqa: F401  (with the window, so the first scan does not pay it)
        from ui.backups import BackupBanner, BackupKeeper
        from ui.evidence.loaner_tile import OverdueLoanersTile
        from ui.outbox_sender import OutboxSender
        from ui.privacy_keeper import PrivacyKeeper
        from ui.scan_input import read_scans

        self.context = context
        self._attached = True
        read_scans(self.search, looks_like_ticket_code)
        self.tiles.attach(context)
        self._tiles_row.addWidget(OverdueLoanersTile(context, self.centralWidget()))
        self._build_current(self.tabs.currentIndex())
        # A warning about backups shows in the status bar: it takes no height from the views.
        self.backup_banner = BackupBanner(context, BackupKeeper.of(context), self)
        self.statusBar().insertWidget(0, self.backup_banner, 1)
        context.job_requested.connect(self.open_job)
        self.outbox = OutboxSender(context, self)
        self.outbox.start()
        # The shop's retention rule, once a day without anyone asking (one desk of several).
        self.privacy_keeper = PrivacyKeeper.of(context)
        self.privacy_keeper.start()
        # Bound methods, not lambdas: Qt drops them with this window (the language switch).
        context.user_changed.connect(self._show_user)
        self._show_user()
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()

    def _later_if_not_attached(self, action: Callable[[], object]) -> bool:
        """True if the window is not attached yet: ``action`` then runs once it is."""
        if not self._attached:
            self._waiting.append(action)
        return not self._attached

    @property
    def is_attached(self) -> bool:
        """Whether the window works on the desk's context (:meth:`attach`)."""
        return self._attached

    def show_tabs_for(self, role: str | None) -> None:
        """The tabs of the views ``role`` may use (a view not built yet is not built for this)."""
        for key, permission in VIEW_PERMISSIONS.items():
            page = self.pages.get(key)
            if page is not None:
                allowed = role is not None and may(role, permission)
                self.tabs.setTabVisible(self.tabs.indexOf(page), allowed)

    def add_view(self, spec: ViewSpec, number: int | None = None) -> None:
        """A tab for the view, built on its tab's first show (the window's first view when
        the window is attached) or when :attr:`views` is asked for it."""
        widget = LazyView(spec.factory, self.tabs)
        widget.setObjectName(spec.key)
        index = self.tabs.addTab(widget, _(spec.title))
        self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.pages[spec.key] = widget
        if number is not None and number <= 10:
            key = f"Ctrl+{number % 10}"  # the tenth view is Ctrl+0, as the keys run
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda view_key=spec.key: self.go_to(view_key))
            self.tabs.setTabToolTip(index, key)

    def view(self, key: str) -> QWidget:
        """The view with ``key``, built now (in its tab's place) if it was not yet; a view is
        built only once the window is attached to the desk (:meth:`attach`)."""
        page = self.pages[key]
        if not isinstance(page, LazyView):
            return page
        if not self._attached:
            raise RuntimeError(f"the view {key!r} is built once the window is attached")
        built = page.factory(self.context)
        built.setObjectName(key)
        index = self.tabs.indexOf(page)
        current = self.tabs.currentIndex() == index
        # The view goes in before its stand-in and the stand-in then out: the current
        # tab never moves to a neighbour on the way, so no other view is shown or built.
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.insertTab(index, built, self.tabs.tabText(index))
            self.tabs.tabBar().setTabButton(
                index, self.tabs.tabBar().ButtonPosition.RightSide, None
            )
            self.tabs.setTabToolTip(index, self.tabs.tabToolTip(index + 1))
            self.tabs.setTabVisible(index, self.tabs.isTabVisible(index + 1))
            self.pages[key] = built
            if current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        finally:
            self.tabs.blockSignals(blocked)
        page.deleteLater()
        return built

    def _build_current(self, index: int) -> None:
        page = self.tabs.widget(index)
        if self._attached and isinstance(page, LazyView):
            self.view(page.objectName())

    def go_to(self, key: str) -> None:
        """Bring the view ``key`` to the front with the focus in its first field (Ctrl+1…9, 0).

        A view may say where that is with ``focus_first()`` (the Jobs view: its list);
        else the focus goes to the first control Tab reaches in it. A view whose tab the
        person's role does not show stays where it is: its key does nothing.
        """
        if self._later_if_not_attached(lambda: self.go_to(key)):
            return
        if not self.tabs.isTabVisible(self.tabs.indexOf(self.pages[key])):
            return
        view = self.show_view(key)
        focus = getattr(view, "focus_first", None)
        if callable(focus):
            focus()
            return
        field = first_field(view)
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_view(self, key: str) -> QWidget:
        """Bring the view ``key`` to the front (built if it was not yet) and return it."""
        view = self.view(key)
        self.tabs.setCurrentWidget(view)
        return view

    def show_jobs(self, where: JobFilter) -> None:
        """Show the Jobs view filtered to ``where`` (a dashboard tile was clicked)."""
        if self._later_if_not_attached(lambda: self.show_jobs(where)):
            return
        from ui.job_list import JobsView

        jobs = self.show_view("jobs") if "jobs" in self.views else None
        if isinstance(jobs, JobsView):
            jobs.show_filter(where)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def scan_or_search(self) -> None:
        """A ticket code opens its card at once (as a scanner types it); other text searches."""
        text = self.search.text().strip()
        if not text or self._later_if_not_attached(self.scan_or_search):
            return
        if looks_like_ticket_code(text):
            self.search.clear()
            self.open_job(text, on_not_found=lambda: self._search(text))
            return
        self._search(text)

    def _search(self, text: str) -> None:
        from ui.job_list import JobsView

        self.search.setText(text)
        jobs = self.show_view("jobs") if "jobs" in self.views else None
        if isinstance(jobs, JobsView):
            jobs.show_search(text)

    def open_job(self, code: str, *, on_not_found: Callable[[], object] | None = None) -> None:
        """Bring the job's card to the front (one card per job); :attr:`card_opened` says when.

        ``on_not_found``: what to do when there is no such job, instead of saying so.
        """
        from ui.job_card import JobCard, load_card
        from ui.operations import ReadOp

        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if isinstance(widget, JobCard) and widget.code == code.strip().upper():
                self.tabs.setCurrentIndex(index)
                widget.reload(then=widget.focus_next_move)
                self.card_opened.emit(widget)
                return

        def failed(error: Exception) -> None:
            if on_not_found is not None and isinstance(error, NotFound):
                on_not_found()
            else:
                self.context.show_error(self, error)

        user = self.context.user
        ReadOp(self.context, self, lambda uow: load_card(uow, code, user)).success(
            self._add_card
        ).failure(failed).run()

    def _add_card(self, data: CardData) -> None:
        from ui.job_card import JobCard

        for index in range(self.tabs.count()):  # asked for twice before the first came
            widget = self.tabs.widget(index)
            if isinstance(widget, JobCard) and widget.code == data.view.code:
                self.tabs.setCurrentIndex(index)
                return
        card = JobCard(self.context, data, self.tabs)
        index = self.tabs.addTab(card, card.code)
        self.tabs.setCurrentIndex(index)
        card.focus_next_move()
        self.card_opened.emit(card)

    def current_card(self) -> JobCard | None:
        from ui.job_card import JobCard

        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, JobCard) else None

    def _close_tab(self, index: int) -> None:
        from ui.job_card import JobCard

        widget = self.tabs.widget(index)
        if isinstance(widget, JobCard):
            self.tabs.removeTab(index)
            widget.deleteLater()

    def _update_title(self) -> None:
        card = self.current_card() if self._attached else None  # cards come once attached
        self.setWindowTitle(card.window_title() if card else TITLE)

    def _show_user(self, _login: str = "") -> None:
        self.user_label.setText(_("Working as: {login}").format(login=self.context.user))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A page (a card, a view) changed size: the tab widget's size is read again, else
        the window's minimum keeps an old, larger page's and no longer fits the screen."""
        if event.type() == QEvent.Type.LayoutRequest and watched is self._pages:
            self.tabs.updateGeometry()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._attached:  # a start's first window, closed before the desk was ready
            super().closeEvent(event)
            return
        self.outbox.timer.stop()  # a closed window starts no more runs
        self.context.state.setValue("window/geometry", self.saveGeometry())
        for widget in self.pages.values():  # the views built: a stand-in has nothing to save
            save = getattr(widget, "save_state", None)
            if callable(save):
                save()
        self.context.state.sync()
        super().closeEvent(event)
