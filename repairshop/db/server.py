"""The shop's shared PostgreSQL server: what is wrong when a desk cannot connect (how it
connects and where the password is kept: :mod:`repairshop.db.connection`).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from enum import StrEnum

from repairshop.db.connection import ServerConnection
from repairshop.db.migrate import alembic_config, head_revision
from repairshop.i18n import _


class Outcome(StrEnum):
    READY = "ready"
    NEW = "new"
    """Reachable and empty: the first desk creates the tables."""
    NEEDS_UPGRADE = "needs_upgrade"
    UNREACHABLE = "unreachable"
    BAD_PASSWORD = "bad_password"
    NO_DATABASE = "no_database"
    TLS = "tls"
    NOT_REPAIRSHOP = "not_repairshop"
    NEWER = "newer"
    OTHER = "other"

    @property
    def usable(self) -> bool:
        return self in (Outcome.READY, Outcome.NEW, Outcome.NEEDS_UPGRADE)


@dataclass(frozen=True)
class ServerCheck:
    outcome: Outcome
    message: str
    """What the person reads: what is wrong and what to do, translated."""


def check_server(
    connection: ServerConnection, password: str | None, *, timeout: float = 5
) -> ServerCheck:
    """Connect to the server as a desk would and say what is wrong, if anything."""
    import psycopg

    where = f"{connection.host}:{connection.port}"
    try:
        socket.create_connection((connection.host, connection.port), timeout=timeout).close()
    except OSError as error:
        return ServerCheck(
            Outcome.UNREACHABLE,
            _(
                "The server {where} cannot be reached ({reason}). Check the host name and the "
                "port, that the server is running and that no firewall is in the way."
            ).format(where=where, reason=error.strerror or error),
        )
    url = connection.url(password).replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(url, connect_timeout=max(1, int(timeout))) as opened:
            return _check_schema(opened)
    except psycopg.OperationalError as error:
        return _connection_refused(connection, password, str(error), timeout)


def _connection_refused(
    connection: ServerConnection, password: str | None, detail: str, timeout: float
) -> ServerCheck:
    import psycopg

    text = detail.casefold()
    bad_password = ServerCheck(
        Outcome.BAD_PASSWORD,
        _(
            "The server refused the user “{user}” with this password. Check the user name "
            "and the password."
        ).format(user=connection.user),
    )
    no_database = ServerCheck(
        Outcome.NO_DATABASE,
        _(
            "The server has no database “{database}”. Check its name, or ask the server's "
            "administrator to create it (empty) for RepairShop."
        ).format(database=connection.database),
    )
    if "password" in text or "authentication" in text:
        return bad_password
    if "role" in text and "does not exist" in text:
        return bad_password
    if "database" in text and "does not exist" in text:
        return no_database
    if "ssl" in text or "certificate" in text:
        return ServerCheck(
            Outcome.TLS,
            _(
                "The secure connection (TLS) failed: {detail}. Check the TLS mode and the "
                "server's certificate."
            ).format(detail=detail),
        )
    # A server speaking another language: the same user on the maintenance database tells.
    other = ServerConnection(
        connection.host, connection.port, "postgres", connection.user, connection.tls
    )
    try:
        url = other.url(password).replace("postgresql+psycopg://", "postgresql://", 1)
        psycopg.connect(url, connect_timeout=max(1, int(timeout))).close()
    except psycopg.OperationalError:
        return ServerCheck(
            Outcome.OTHER, _("The server refused the connection: {detail}").format(detail=detail)
        )
    return no_database


def _check_schema(opened: object) -> ServerCheck:
    from psycopg import Connection

    assert isinstance(opened, Connection)
    tables = {
        row[0]
        for row in opened.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    }
    if not tables:
        return ServerCheck(
            Outcome.NEW,
            _("Connected. The database is empty: RepairShop sets up a new shop in it."),
        )
    revision = None
    if "alembic_version" in tables:
        row = opened.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row is not None else None
    from alembic.script import ScriptDirectory

    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if revision is None or ("jobs" not in tables and revision not in known):
        return ServerCheck(
            Outcome.NOT_REPAIRSHOP,
            _(
                "This database holds something other than a RepairShop shop. Choose the "
                "shop's database, or an empty one for a new shop."
            ),
        )
    if revision == head_revision():
        return ServerCheck(Outcome.READY, _("Connected. The shop's database is ready."))
    if revision in known:
        return ServerCheck(
            Outcome.NEEDS_UPGRADE,
            _(
                "Connected. The database was made by an older RepairShop: this desk upgrades "
                "it when it connects, so every desk must then run this version. Make a "
                "backup first."
            ),
        )
    return ServerCheck(
        Outcome.NEWER,
        _(
            "The database was made by a newer RepairShop. Install that version on this "
            "desk before connecting."
        ),
    )
