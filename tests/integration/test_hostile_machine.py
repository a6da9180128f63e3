"""A hostile machine: a full disk, a write-protected medium, a database server that goes away
mid-session and comes back. Each gets one clear message, the desk keeps working where it
can, and nothing half-written lands.

The small and the read-only filesystems are real ones (tmpfs mounted by the test), so SQLite
meets the errors a shop's machine would give it; mounting needs root, which CI has.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from repairshop.bootstrap import open_database
from repairshop.db.tables import Job
from repairshop.errors import DatabaseUnavailable
from repairshop.services.database import Database
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import find_jobs
from tests.helpers import intake_document, postgres_schema


@contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def take_in(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def codes(db: Database) -> list[str]:
    with db.reader() as uow:
        return sorted(uow.session.scalars(select(Job.code)))


def fill(folder: Path, leave_kib: int) -> Path:
    filler = folder / "filler"
    free_kib = shutil.disk_usage(folder).free // 1024
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free_kib - leave_kib) * 1024)
    return filler


def test_a_full_disk_saves_nothing_says_so_and_the_desk_goes_on_when_there_is_room(
    tmp_path: Path,
) -> None:
    with small_filesystem(tmp_path / "disk", "3m") as disk:
        db = open_database(f"sqlite:///{disk / 'shop.sqlite'}", create=True)
        try:
            assert take_in(db) == "R000001"
            filler = fill(disk, leave_kib=4)
            refusal = None
            for _attempt in range(50):  # the last free pages go first
                try:
                    take_in(db)
                except DatabaseUnavailable as error:
                    refusal = error
                    break
            assert refusal is not None
            assert "disk holding the database is full" in refusal.message
            saved = codes(db)
            assert saved == [f"R{n:06d}" for n in range(1, len(saved) + 1)]
            with db.reader() as uow:  # looking things up still works
                assert find_jobs(uow, "R000001")[0].code == "R000001"
            filler.unlink()
            assert take_in(db) == f"R{len(saved) + 1:06d}"
            with db.reader() as uow:
                assert uow.session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        finally:
            db.dispose()


def test_a_database_on_a_write_protected_medium_can_be_read_but_not_changed(
    tmp_path: Path,
) -> None:
    with small_filesystem(tmp_path / "stick", "8m") as stick:
        url = f"sqlite:///{stick / 'shop.sqlite'}"
        db = open_database(url, create=True)
        take_in(db)
        db.dispose()
        subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
        db = open_database(url)
        try:
            with db.reader() as uow:
                assert [job.code for job in find_jobs(uow, "")] == ["R000001"]
            with pytest.raises(DatabaseUnavailable, match="write-protected medium"):
                take_in(db)
        finally:
            db.dispose()


class Cable:
    """A TCP relay between the desk and the database server that can be pulled out."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.plugged = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.plugged:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def pull(self) -> None:
        self.plugged = False
        with self.lock:
            for end in self.sockets:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()

    def plug(self) -> None:
        self.plugged = True

    def close(self) -> None:
        self.pull()
        self.listener.close()


@pytest.mark.postgres
def test_a_server_that_goes_away_mid_session_and_comes_back() -> None:
    with postgres_schema() as url:
        parsed = make_url(url)
        cable = Cable(parsed.host or "127.0.0.1", parsed.port or 5432)
        relayed = parsed.set(host="127.0.0.1", port=cable.port)
        db = open_database(relayed.render_as_string(hide_password=False))
        try:
            assert take_in(db) == "R000001"
            cable.pull()
            with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
                take_in(db)
            with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
                codes(db)
            cable.plug()
            assert take_in(db) == "R000002"  # the desk goes on, and R000002 was not used up
            assert codes(db) == ["R000001", "R000002"]
        finally:
            db.dispose()
            cable.close()
