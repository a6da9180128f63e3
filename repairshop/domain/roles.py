"""Who may do what."""

from __future__ import annotations

from enum import StrEnum

from repairshop.errors import PermissionDenied, ValidationError
from repairshop.i18n import N_, _


class Role(StrEnum):
    CLERK = "clerk"
    TECHNICIAN = "technician"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: N_("Counter clerk"),
    Role.TECHNICIAN: N_("Technician"),
    Role.MANAGER: N_("Manager"),
    Role.ADMIN: N_("Administrator"),
}


class Permission(StrEnum):
    SEE_PASSCODE = "see_passcode"
    EDIT_SETTINGS = "edit_settings"
    MANAGE_USERS = "manage_users"
    BE_ASSIGNED = "be_assigned"
    OVERRIDE_WARRANTY = "override_warranty"
    DECIDE_COMPLAINT = "decide_complaint"
    CREDIT_INVOICE = "credit_invoice"
    CLOSE_DAY = "close_day"
    CHANGE_APPROVED_PRICE = "change_approved_price"
    WRITE_OFF_STOCK = "write_off_stock"
    APPLY_STOCK_TAKE = "apply_stock_take"
    SEE_REPORTS = "see_reports"
    SEE_AUDIT = "see_audit"
    BACKUP_RESTORE = "backup_restore"
    MANAGE_CUSTOMERS = "manage_customers"
    """Merge duplicates; export or anonymise a customer's personal data (GDPR requests)."""
    EDIT_PRICES = "edit_prices"
    """The services price list, and a catalogue part's sale price, cost and supplier's cost
    once they are set (a new part comes in with its first prices, whoever adds it)."""


_ADMIN_ONLY = frozenset(
    {Permission.EDIT_SETTINGS, Permission.MANAGE_USERS, Permission.BACKUP_RESTORE}
)
_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(),
    Role.TECHNICIAN: frozenset({Permission.SEE_PASSCODE, Permission.BE_ASSIGNED}),
    Role.MANAGER: frozenset(Permission) - _ADMIN_ONLY,
    Role.ADMIN: frozenset(Permission),
}
"""An administrator may do all a manager may, and keeps the shop itself: its settings, its
people, its backups. A role not here (a typo in an old row) may do nothing."""


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        keys = ", ".join(role.value for role in Role)
        raise ValidationError(
            _("Unknown role “{value}”. Roles are: {keys}.").format(value=value, keys=keys),
            field="role",
        ) from None


def may(role: str, permission: Permission) -> bool:
    return permission in _GRANTS.get(Role(role), frozenset())


def role_names(permission: Permission) -> str:
    """The roles that may, by name: "Manager, Administrator"."""
    return ", ".join(role.label for role in Role if may(role, permission))


def require(role: str, permission: Permission, who: str) -> None:
    if not may(role, permission):
        raise PermissionDenied(
            _("{who} ({role}) may not do this.").format(who=who, role=Role(role).label)
        )
