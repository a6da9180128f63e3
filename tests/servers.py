"""Real servers a test starts on 127.0.0.1 and stops after: a tiny SMTP server (just enough
SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and an HTTP SMS gateway.

Both can be stopped and started again on the same port, so a test can take a server down
and bring it back; each keeps what it received.
"""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class MailBox:
    received: list[Received] = field(default_factory=list)
    refuse_recipients: dict[str, str] = field(default_factory=dict)
    """Address → the SMTP reply to its RCPT (e.g. ``550 no such user``)."""
    logins: list[tuple[str, str]] = field(default_factory=list)
    """User and password of each AUTH PLAIN."""
    on_message: Callable[[], object] | None = None
    """Called when a message has come in, before the server says it took it."""


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _SmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        box = self.server.box
        self.reply("220 127.0.0.1 test SMTP ready")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-127.0.0.1")
                self.reply("250-8BITMIME")
                self.reply("250-AUTH PLAIN")
                self.reply("250 SMTPUTF8")
            elif verb == "AUTH":
                _authzid, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                box.logins.append((user, password))
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "HELO":
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                refusal = box.refuse_recipients.get(address)
                if refusal:
                    self.reply(refusal)
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b""):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                box.received.append(Received(sender, recipients, b"".join(lines)))
                if box.on_message is not None:
                    box.on_message()
                try:
                    self.reply("250 OK queued")
                except OSError:  # the client is gone
                    return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, box: MailBox) -> None:
        self.box = box
        super().__init__(("127.0.0.1", port), _SmtpHandler)


@dataclass
class GatewayLog:
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200

    def texts(self) -> list[str]:
        return [request["query"].get("text", [""])[0] for request in self.requests]


class _GatewayHandler(BaseHTTPRequestHandler):
    server: _GatewayServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        log = self.server.log
        log.requests.append(
            {
                "method": self.command,
                "path": urlsplit(self.path).path,
                "query": parse_qs(urlsplit(self.path).query),
                "headers": dict(self.headers.items()),
                "body": body,
            }
        )
        self.send_response(log.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}' if log.status < 300 else b'{"ok": false}')

    do_GET = _answer  # noqa: N815 - http.server's names
    do_POST = _answer  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _GatewayServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, log: GatewayLog) -> None:
        self.log = log
        super().__init__(("127.0.0.1", port), _GatewayHandler)


class Running:
    """A server in its own thread; ``stop()`` and ``start()`` again on the same port."""

    def __init__(self, make: Any, state: Any) -> None:
        self._make = make
        self.state = state
        self.port = 0
        self._server: socketserver.BaseServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        server = self._make(self.port, self.state)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join()
            self._server = None


@contextmanager
def smtp_server() -> Iterator[tuple[Running, MailBox]]:
    box = MailBox()
    running = Running(_SmtpServer, box)
    running.start()
    try:
        yield running, box
    finally:
        running.stop()


@contextmanager
def sms_gateway() -> Iterator[tuple[Running, GatewayLog]]:
    log = GatewayLog()
    running = Running(_GatewayServer, log)
    running.start()
    try:
        yield running, log
    finally:
        running.stop()
