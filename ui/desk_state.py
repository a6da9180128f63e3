"""This desk's own saved state (``QSettings``): the keys a start reads before the database
layer is loaded — who works at this desk, and whether it works on a shared server."""

from __future__ import annotations

from ui.qt import QSettings

USER_KEY = "workstation/user"
"""The login this desk works as (chosen in Settings, or by the last sign-in)."""

SERVER_KEY = "server"
"""The group of this desk's server connection (:mod:`ui.connection_dialog`)."""


def works_on_server(state: QSettings) -> bool:
    """Whether this desk opens a shared server rather than this computer's own database."""
    return str(state.value(f"{SERVER_KEY}/use", "false")).lower() == "true"


def saved_user(state: QSettings) -> str | None:
    saved = state.value(USER_KEY)
    return saved if isinstance(saved, str) and saved else None
