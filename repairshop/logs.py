"""The log file: in the platform's log folder, rotated, and never holding a secret.

The desktop app and the ``repairshop`` command each write their own file in
``platformdirs.user_log_dir("RepairShop")`` (``~/.local/state/RepairShop/log`` on Linux,
``%LOCALAPPDATA%\\RepairShop\\Logs`` on Windows, ``~/Library/Logs/RepairShop`` on macOS),
rolled over at :data:`MAX_BYTES` with :data:`BACKUP_COUNT` older files kept. Every record
passes :class:`SecretFilter` first, so a device's passcode or a password that reaches a
message, an object's repr or an error's traceback is written as ``***``.
"""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from repairshop import __version__

APP_LOG = "repairshop.log"
CLI_LOG = "repairshop-cli.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
HIDDEN = "***"

_SECRET_NAME = r"(?:\w*pass(?:code|word|wd|phrase)|pin(?:_?code)?|\w*secret)"
_VALUE = r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s,;:)}\]]+)"
_SECRETS = (
    # passcode='1234', "password": "x y", passcode=1234, Passcode: 1234, passcode 1234
    re.compile(
        rf"(?P<name>\b{_SECRET_NAME}\b[\"']?(?:\s*[:=]\s*|\s+))(?P<value>{_VALUE})",
        re.IGNORECASE,
    ),
    # postgresql://user:password@host/db
    re.compile(r"(?P<name>\b[a-z][\w+.-]*://[^\s:/@]+:)(?P<value>[^\s@/]+)(?=@)", re.IGNORECASE),
)


def scrub(text: str) -> str:
    """``text`` with every value that follows a passcode or password name replaced by ``***``."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda found: found["name"] + HIDDEN, text)
    return text


def loggable(text: str) -> str:
    """``text`` with half characters (lone surrogates, which a person can paste) written as
    ``\\udXXX``: every handler can then write it, the test runner's too."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class SecretFilter(logging.Filter):
    """Scrubs the message, the traceback and the stack of every record before it is written."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: keep the bare template
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def log_folder() -> Path:
    return Path(platformdirs.user_log_dir("RepairShop", appauthor=False))


def start_log(name: str = APP_LOG, level: int = logging.INFO) -> RotatingFileHandler:
    """Send the process's log records from ``level`` up to ``name`` in :func:`log_folder`."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(  # half a character typed in is logged as \udXXX
        folder / name,
        maxBytes=MAX_BYTES,
        backupCount=BACKUP_COUNT,
        encoding="utf-8",
        errors="backslashreplace",
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    handler.addFilter(SecretFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
    python = sys.version.split()[0]
    logging.getLogger(__name__).info("RepairShop %s, Python %s", __version__, python)
    return handler


def stop_log(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()
