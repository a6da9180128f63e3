"""Who may change what on a job, beyond the workflow's own rules."""

from __future__ import annotations

from repairshop.domain.roles import Permission
from repairshop.services.jobs.workflow import load_job
from repairshop.services.shop.users import require_permission
from repairshop.services.uow import UnitOfWork


def require_price_change(uow: UnitOfWork, code: str, actor: str) -> None:
    """Once the customer approved a price, only a manager may change the job's price."""
    if load_job(uow, code).approved_minor is not None:
        require_permission(uow, actor, Permission.CHANGE_APPROVED_PRICE)
