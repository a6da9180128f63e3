"""One way for the parts views to run a service: in one transaction, refusals shown in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from repairshop.services.changes import Changes
from repairshop.services.uow import UnitOfWork
from ui.context import AppContext
from ui.qt import QWidget

T = TypeVar("T")


def attempt(
    context: AppContext,
    parent: QWidget | None,
    action: Callable[[UnitOfWork], T],
    changes_of: Callable[[T], Changes],
) -> T | None:
    """Run ``action`` and announce its changes; on a refusal or a bug show it and return None."""
    try:
        return context.write(action, changes_of)
    except Exception as error:
        context.show_error(parent, error)
        return None
