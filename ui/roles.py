"""What the person at the desk is offered: a control their role may not use is hidden, or
shown disabled with who may use it, and follows the person (a PIN switch, a new role).

The core services refuse whatever a role may not do (:class:`~repairshop.errors.PermissionDenied`);
this only spares the person a refusal. Every gated control carries its permission in the
``permission`` property, so a test can check each visible, enabled control against the core.
"""

from __future__ import annotations

from repairshop.domain.roles import Permission, role_names
from repairshop.i18n import _
from ui.context import AppContext
from ui.qt import QAction, QObject, QWidget

PERMISSION_PROPERTY = "permission"


def who_may(permission: Permission) -> str:
    """What the tooltip of a control shown disabled says."""
    return _("Only for: {roles}.").format(roles=role_names(permission))


def mark(control: QWidget | QAction, permission: Permission) -> None:
    """Note the permission a control needs (views that enable it themselves call this)."""
    control.setProperty(PERMISSION_PROPERTY, permission.value)


class _Gate(QObject):
    """Follows the desk's role for one control; goes with the control."""

    def __init__(
        self,
        context: AppContext,
        control: QWidget | QAction,
        permission: Permission,
        hide: bool,
    ) -> None:
        super().__init__(control)
        self.context = context
        self.control = control
        self.permission = permission
        self.hide = hide
        self.tip = control.toolTip()
        context.role_changed.connect(self.show_role)
        self.show_role()

    def show_role(self, _role: str = "") -> None:
        allowed = self.context.may(self.permission)
        if self.hide:
            self.control.setVisible(allowed)
            return
        self.control.setEnabled(allowed)
        self.control.setToolTip(self.tip if allowed else who_may(self.permission))


def gate(
    context: AppContext,
    control: QWidget | QAction,
    permission: Permission,
    *,
    hide: bool = True,
) -> None:
    """Offer ``control`` only to a role with ``permission``: hidden from others (a whole
    feature), or with ``hide=False`` shown disabled with who may use it (so the person knows
    whom to ask). The control follows :attr:`AppContext.role_changed`."""
    mark(control, permission)
    _Gate(context, control, permission, hide)
