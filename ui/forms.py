"""What the forms and dialogs share: a field's label, and OK/Cancel at a dialog's foot."""

from __future__ import annotations

from collections.abc import Callable

from repairshop.i18n import _
from ui.qt import QDialog, QDialogButtonBox, QLabel, QWidget


def labelled(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    """``text``'s label for ``widget``, whose accessible name it becomes (without "&" and ":")."""
    label = QLabel(text, parent)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    return label


def ok_cancel(
    dialog: QDialog, ok_text: str, accepted: Callable[[], object] | None = None
) -> QDialogButtonBox:
    """OK titled ``ok_text`` (running ``accepted``, when given) and Cancel, which closes
    ``dialog``; the caller places them."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    if accepted is not None:
        buttons.accepted.connect(accepted)
    buttons.rejected.connect(dialog.reject)
    return buttons
