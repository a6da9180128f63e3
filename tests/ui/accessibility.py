"""What a screen reader hears for each control: Qt's accessible name, found by walking the tree."""

from __future__ import annotations

from ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QAccessible,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractButton,
    QAbstractItemView,
)
"""Controls a person reaches with Tab or the mouse and a screen reader must name."""
_COMPOSITE = (QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar, QLineEdit)
"""Controls made of other widgets (a spin box's line edit, a table's corner button): the
parts are the control's own and are named through it."""


def accessible_name(widget: QWidget) -> str:
    """The name Qt's accessibility layer gives ``widget`` (its own, or its label's).

    On Linux Qt reports a combo box's current value as its name and names it by the
    "labelled by" relation instead, so for a combo box that relation (a buddy label)
    or an explicit accessible name is what counts.
    """
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    if isinstance(widget, QComboBox):
        labels = interface.relations(QAccessible.RelationFlag.Label)
        named_by = [label.text(QAccessible.Text.Name) for label, _relation in labels]
        return widget.accessibleName() or " ".join(name for name in named_by if name)
    return interface.text(QAccessible.Text.Name).strip()


def _is_part_of_a_control(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, _COMPOSITE):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Every interactive control under ``root`` a screen reader could not name."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        if widget.isHidden() or _is_part_of_a_control(widget, root):
            continue
        if not accessible_name(widget):
            found.append(f"{type(widget).__name__} in {_path(widget, root)}")
    return found


def _path(widget: QWidget, root: QWidget) -> str:
    """Where the widget sits: its ancestors' object or class names, innermost first."""
    names = []
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        names.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    return " < ".join(names) or type(root).__name__
