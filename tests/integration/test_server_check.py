"""The connection test says clearly what is wrong with a shared server, or that it is ready."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg

from repairshop.bootstrap import open_database
from repairshop.db.connection import ServerConnection
from repairshop.db.migrate import upgrade
from repairshop.db.server import Outcome, check_server
from repairshop.services.database import open_engine
from tests.helpers import POSTGRES_ADMIN_URL, postgres_schema

ADMIN = urlsplit(POSTGRES_ADMIN_URL)


def on_test_server(schema: str = "", database: str | None = None) -> ServerConnection:
    return ServerConnection(
        host=ADMIN.hostname or "127.0.0.1",
        port=ADMIN.port or 5432,
        database=database or ADMIN.path.lstrip("/"),
        user=ADMIN.username or "postgres",
        tls="disable",
        schema=schema,
    )


def schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1].split(",", maxsplit=1)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server_refusing_passwords() -> Iterator[int]:
    """A server that speaks just enough PostgreSQL to refuse every password."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        try:
            while True:
                client, _address = listener.accept()
                with client:
                    while True:
                        head = client.recv(4)
                        if len(head) < 4:
                            break  # the reachability probe: connected and gone
                        length = struct.unpack("!I", head)[0]
                        body = client.recv(length - 4)
                        code = struct.unpack("!I", body[:4])[0]
                        if code in (80877103, 80877104):  # SSL or GSS encryption request
                            client.sendall(b"N")
                            continue
                        break
                    if len(head) < 4:
                        continue
                    client.sendall(b"R" + struct.pack("!II", 8, 3))  # cleartext password
                    client.recv(1024)
                    fields = b"SFATAL\x00VFATAL\x00C28P01\x00M"
                    fields += b'password authentication failed for user "clerk"\x00\x00'
                    client.sendall(b"E" + struct.pack("!I", len(fields) + 4) + fields)
        except OSError:
            return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def test_a_server_nobody_answers_at_is_unreachable() -> None:
    check = check_server(ServerConnection("127.0.0.1", free_port(), tls="disable"), "secret")
    assert check.outcome is Outcome.UNREACHABLE
    assert "cannot be reached" in check.message


def test_a_wrong_password_is_named_as_such() -> None:
    with server_refusing_passwords() as port:
        check = check_server(
            ServerConnection("127.0.0.1", port, "shop", "clerk", tls="disable"), "wrong"
        )
    assert check.outcome is Outcome.BAD_PASSWORD
    assert "password" in check.message


def test_a_database_that_is_not_there() -> None:
    check = check_server(on_test_server(database="no_such_shop_db"), None)
    assert check.outcome is Outcome.NO_DATABASE
    assert "no_such_shop_db" in check.message


def test_empty_ready_older_and_foreign_schemas() -> None:
    with postgres_schema() as url:
        server = on_test_server(schema_of(url))
        assert check_server(server, None).outcome is Outcome.NEW
        engine = open_engine(url, migrate=False)
        try:
            upgrade(engine, "0001")
        finally:
            engine.dispose()
        older = check_server(server, None)
        assert older.outcome is Outcome.NEEDS_UPGRADE
        assert "older RepairShop" in older.message
        open_database(url).dispose()
        ready = check_server(server, None)
        assert ready.outcome is Outcome.READY
        assert ready.outcome.usable

    with postgres_schema() as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute("CREATE TABLE invoices_from_another_program (id int)")
        foreign = check_server(on_test_server(schema_of(url)), None)
        assert foreign.outcome is Outcome.NOT_REPAIRSHOP
        assert not foreign.outcome.usable
