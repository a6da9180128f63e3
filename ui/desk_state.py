"""This desk's own saved state (``QSettings``): the keys a start reads before the database
layer is loaded — who works at this desk, and whether it works on a shared server."""

from __future__ import annotations

from repairshop.db.connection import DEFAULT_PORT, TLS_MODES, ServerConnection
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


def asks_for_password(state: QSettings) -> bool:
    """Whether the desk asks for the server's password at every start (none is kept)."""
    return str(state.value(f"{SERVER_KEY}/ask_password", "false")).lower() == "true"


def saved_connection(state: QSettings) -> ServerConnection | None:
    """The server this desk works on, or ``None`` for this computer's own database."""
    if not works_on_server(state):
        return None
    host = str(state.value(f"{SERVER_KEY}/host", "") or "")
    if not host:
        return None
    tls = str(state.value(f"{SERVER_KEY}/tls", "prefer"))
    try:
        port = int(str(state.value(f"{SERVER_KEY}/port", DEFAULT_PORT)))
    except ValueError:
        port = DEFAULT_PORT
    return ServerConnection(
        host=host,
        port=port,
        database=str(state.value(f"{SERVER_KEY}/database", "repairshop")),
        user=str(state.value(f"{SERVER_KEY}/user", "repairshop")),
        tls=tls if tls in TLS_MODES else "prefer",
    )
