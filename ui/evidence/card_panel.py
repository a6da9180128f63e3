"""The job card's Evidence box: the condition before and after side by side (changes marked),
photo thumbnails, the signatures, the pattern lock (for who may see passcodes), the loaner."""

from __future__ import annotations

from collections.abc import Callable

from repairshop.domain.evidence import PointAnswer, Stage, point_label
from repairshop.i18n import _, format_day, format_moment
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.evidence import (
    EvidenceView,
    add_photo,
    choose_photo_for_receipt,
    evidence_view,
    record_checklist,
    sign,
)
from repairshop.services.jobs.loaners import LoanerRow, lend, list_loaners, return_loaner
from repairshop.services.jobs.workflow import JobChanged
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.evidence.camera_button import CameraButton
from ui.evidence.dialogs import ChecklistDialog, SignatureDialog, choose_photos
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QAbstractItemView,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QIcon,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QScrollArea,
    QSize,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CHANGED = QColor(255, 236, 153)
EVIDENCE_EVENT_KINDS = frozenset({"checklist", "photo", "signed", "loaner"})


def describe_evidence_event(kind: str, value: str | None, note: str) -> str:
    """A history line of the evidence, in the desk's language."""
    if kind == "checklist":
        return (
            _("Condition checked after the repair")
            if note == Stage.FINAL.value
            else _("Condition checked at intake")
        )
    if kind == "photo":
        return _("Photo chosen for the receipt") if note == "receipt" else _("Photo added")
    if kind == "signed":
        return (
            _("Signed at collection by {name}") if value == "collection" else _(
                "Signed at intake by {name}")
        ).format(name=note)  # fmt: skip
    if note == "returned":
        return _("Loaner {label} came back").format(label=value)
    return _("Loaner {label} lent").format(label=value)


def _changes(result: JobChanged) -> Changes:
    return result.changes


class EvidencePanel(QGroupBox):
    def __init__(self, context: AppContext, code: str, customer: str, parent: QWidget) -> None:
        super().__init__(_("Evidence"), parent)
        self.context = context
        self.code = code
        self.customer = customer
        self.job_id: int | None = None
        self.evidence: EvidenceView | None = None
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("Point"), _("At intake"), _("After the repair")])
        self.table.setAccessibleName(_("Condition before and after the repair"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setFixedHeight(104)
        self.photos = QListWidget(self)
        self.photos.setViewMode(QListWidget.ViewMode.IconMode)
        self.photos.setIconSize(QSize(56, 56))
        self.photos.setFixedHeight(72)
        self.photos.setAccessibleName(_("Photos"))
        self.photos.setToolTip(_("Double-click a photo to print it on the receipt, or not"))
        self.photos.itemActivated.connect(self.toggle_on_receipt)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.photos.hide()  # each shows once read, when it has something (show_evidence)
        self.facts.hide()
        self.check_button = QPushButton(_("Check after repair…"), self)
        self.check_button.clicked.connect(self.check_after_repair)
        self.photo_button = QPushButton(_("Add photos…"), self)
        self.photo_button.clicked.connect(self.add_photos)
        self.camera_button = CameraButton(self)
        self.camera_button.taken.connect(self.store_photos)
        self.sign_button = QPushButton(_("Customer signs…"), self)
        self.sign_button.clicked.connect(self.collection_signature)
        self.loan_button = QPushButton(_("Lend a loaner…"), self)
        self.loan_button.clicked.connect(self.lend_or_return)
        buttons = QGridLayout()
        for index, button in enumerate(
            (self.check_button, self.photo_button, self.sign_button, self.loan_button)
        ):
            if button is self.photo_button:
                pair = QHBoxLayout()
                pair.addWidget(button)
                pair.addWidget(self.camera_button)
                buttons.addLayout(pair, index // 2, index % 2)
            else:
                buttons.addWidget(button, index // 2, index % 2)
        # On the card the box is one tab of the job's records, as tall as the History beside
        # it: a checklist, photos, signatures and the loaner scroll there rather than making
        # the card (and the window) taller than 1280×800.
        self.sheet = QScrollArea(self)
        self.sheet.setWidgetResizable(True)
        self.sheet.setFrameShape(QFrame.Shape.NoFrame)
        self.sheet.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inside = QWidget(self.sheet)
        self.sheet.setWidget(inside)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.sheet)
        layout = QVBoxLayout(inside)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.photos)
        layout.addWidget(self.facts)
        layout.addLayout(buttons)
        context.changed.connect(self._on_changed)
        self.loaded = False
        """Read once the panel is first shown (a card opens on its History tab)."""

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self.loaded:
            self.load()
        super().showEvent(event)  # type: ignore[arg-type]

    def load(self) -> None:
        self.loaded = True
        code, user = self.code, self.context.user
        ReadOp(self.context, self, lambda uow: evidence_view(uow, code, user)).success(
            self.show_evidence
        ).run()

    def _on_changed(self, changes: Changes, _initiator: object | None = None) -> None:
        if not self.loaded:
            return  # read when first shown
        if changes.touches(ChangeKind.ALL) or (
            self.job_id is not None and self.job_id in changes.job_ids
        ):
            self.load()

    def show_evidence(self, evidence: EvidenceView) -> None:
        self.evidence = evidence
        self.job_id = evidence.job_id
        language = None
        self.table.setRowCount(len(evidence.compared))
        for row, item in enumerate(evidence.compared):
            cells = [
                point_label(item.point),
                item.before.label if item.before else "–",
                item.after.label if item.after else "–",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if item.changed:
                    cell.setBackground(CHANGED)
                    cell.setToolTip(_("changed"))
                self.table.setItem(row, column, cell)
        self.photos.clear()
        self.photos.setVisible(bool(evidence.photos))
        for photo in evidence.photos:
            pixmap = QPixmap()
            pixmap.loadFromData(photo.thumbnail)
            entry = QListWidgetItem(QIcon(pixmap), _("on receipt") if photo.on_receipt else "")
            entry.setToolTip(f"{photo.file_name} · {format_moment(photo.at, language)}")
            entry.setData(Qt.ItemDataRole.UserRole, (photo.id, photo.on_receipt))
            self.photos.addItem(entry)
        facts = []
        if evidence.pattern_lock:
            facts.append(_("Pattern lock: {dots}").format(dots=evidence.pattern_lock))
        for occasion, text in (
            ("intake", _("Signed at intake by {name}, {moment}")),
            ("collection", _("Signed at collection by {name}, {moment}")),
        ):
            signature = evidence.signatures.get(occasion)
            if signature is not None:
                facts.append(text.format(name=signature.signer, moment=format_moment(signature.at)))
        loan = evidence.loan
        if loan is not None and loan.returned_at is None:
            facts.append(
                _("Loaner {label} ({name}) out until {day}").format(
                    label=loan.label, name=loan.name, day=format_day(loan.due)
                )
            )
            self.loan_button.setText(_("Loaner back…"))
        else:
            self.loan_button.setText(_("Lend a loaner…"))
        self.facts.setText("\n".join(facts))
        self.facts.setVisible(bool(facts))

    # --- actions ---------------------------------------------------------------------------

    def _write(self, action: Callable[[UnitOfWork], JobChanged]) -> None:
        WriteOp(self.context, self, action, _changes).success(self._written).run()

    def _written(self, result: JobChanged) -> None:
        ids = result.changes.job_ids
        self.job_id = ids[0] if ids else self.job_id
        self.load()

    def toggle_on_receipt(self, item: QListWidgetItem) -> None:
        photo_id, on_receipt = item.data(Qt.ItemDataRole.UserRole)
        code, user = self.code, self.context.user
        self._write(lambda uow: choose_photo_for_receipt(uow, code, photo_id, not on_receipt, user))

    def check_after_repair(self) -> None:
        evidence = self.evidence
        if evidence is None:
            return
        answers = {point: PointAnswer(point, state) for point, state in evidence.final.items()}
        dialog = ChecklistDialog(
            evidence.points,
            answers,
            self,
            title=_("Condition after the repair"),
            before=evidence.intake,
        )
        if dialog.exec():
            chosen = list(dialog.answers().values())
            code, user = self.code, self.context.user
            self._write(lambda uow: record_checklist(uow, code, Stage.FINAL, chosen, user))

    def add_photos(self) -> None:
        self.store_photos(choose_photos(self))

    def store_photos(self, chosen: list[tuple[str, bytes]]) -> None:
        """Photos from files or the camera, stored with the job (the core checks each)."""
        code, user = self.code, self.context.user

        def add(uow: UnitOfWork) -> JobChanged:
            result: JobChanged | None = None
            for name, data in chosen:
                result = add_photo(uow, code, data, user, file_name=name, stage=Stage.FINAL)
            assert result is not None
            return result

        if chosen:
            self._write(add)

    def collection_signature(self) -> None:
        dialog = SignatureDialog(self.customer, self, title=_("The customer's signature"))
        if dialog.exec():
            strokes = [list(stroke) for stroke in dialog.pad.strokes]
            aspect, signer = dialog.pad.aspect, dialog.signer.text()
            code, user = self.code, self.context.user
            self._write(
                lambda uow: sign(
                    uow, code, "collection", strokes, user, signer=signer, aspect=aspect
                )
            )

    def lend_or_return(self) -> None:
        loan = self.evidence.loan if self.evidence else None
        user = self.context.user
        if loan is not None and loan.returned_at is None:
            condition = LoanDialog.ask_condition(self, loan.label)
            if condition is not None:
                label = loan.label
                self._write(lambda uow: return_loaner(uow, label, user, condition=condition))
            return
        ReadOp(self.context, self, list_loaners).success(self._choose_loaner).run()

    def _choose_loaner(self, rows: list[LoanerRow]) -> None:
        free = [row for row in rows if row.job is None and row.active]
        dialog = LoanDialog(free, self)
        if dialog.exec():
            label, condition = dialog.loaner.currentData(), dialog.condition.text()
            code, user = self.code, self.context.user
            if label:
                self._write(lambda uow: lend(uow, code, label, user, condition=condition))


class LoanDialog(QDialog):
    def __init__(
        self, free: list[LoanerRow], parent: QWidget | None = None, *, returning: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _("Loaner {label} back").format(label=returning) if returning else _("Lend a loaner")
        )
        self.loaner = QComboBox(self)
        for row in free:
            self.loaner.addItem(f"{row.label} — {row.name}", row.label)
        self.condition = QLineEdit(self)
        form = QFormLayout(self)
        if not returning:
            form.addRow(_("&Loaner"), self.loaner)
            if not free:
                form.addRow(QLabel(_("Every loaner is out."), self))
        form.addRow(_("&Condition"), self.condition)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask_condition(cls, parent: QWidget, label: str) -> str | None:
        dialog = cls([], parent, returning=label)
        return dialog.condition.text() if dialog.exec() else None
