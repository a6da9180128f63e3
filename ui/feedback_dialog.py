"""Feedback typed in at the counter: a collected job's 0–10 score and the customer's comment.

Opened from a collected job's card (its ticket code filled in) or from the Reports view's
Feedback tab with a reply code the customer reads out. The core finds the job by either code
(:func:`repairshop.services.customers.feedback.record_feedback`).
"""

from __future__ import annotations

from repairshop.i18n import _
from repairshop.services.customers.card import customer_changes
from repairshop.services.customers.feedback import FeedbackView, get_feedback, record_feedback
from ui.context import AppContext
from ui.operations import ReadOp, WriteOp
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)


class FeedbackDialog(QDialog):
    saved = Signal(object)
    """The stored :class:`FeedbackView`."""

    def __init__(self, context: AppContext, code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Customer feedback"))
        self.code = QLineEdit(code, self)
        self.code.setPlaceholderText(_("Ticket or reply code"))
        self.score = QSpinBox(self)
        self.score.setRange(0, 10)
        self.score.setValue(10)
        self.comment = QPlainTextEdit(self)
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(90)
        self.known = QLabel(self)
        self.known.setWordWrap(True)
        form = QFormLayout()
        code_label = QLabel(_("Ti&cket or reply code"), self)
        code_label.setBuddy(self.code)
        score_label = QLabel(_("Would recommend us (&0–10)"), self)
        score_label.setBuddy(self.score)
        comment_label = QLabel(_("Co&mment"), self)
        comment_label.setBuddy(self.comment)
        form.addRow(code_label, self.code)
        form.addRow(score_label, self.score)
        form.addRow(comment_label, self.comment)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.known)
        layout.addWidget(buttons)
        if code:
            self.score.setFocus()
            ReadOp(context, self, lambda uow: get_feedback(uow, code), self._show_known).run()

    def _show_known(self, view: FeedbackView | None) -> None:
        if view is None:
            return
        self.known.setText(_("Reply code: {code}").format(code=view.reply_code))
        if view.score is not None:
            self.score.setValue(view.score)
            self.comment.setPlainText(view.comment)

    def save(self) -> None:
        code, score = self.code.text().strip(), self.score.value()
        comment, user = self.comment.toPlainText(), self.context.user

        def stored(view: FeedbackView) -> None:
            self.saved.emit(view)
            self.accept()

        WriteOp(
            self.context,
            self,
            lambda uow: record_feedback(uow, code, score, comment, user),
            lambda _view: customer_changes(),
        ).success(stored).run(initiator=self)
