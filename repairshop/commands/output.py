"""What every command shares: ``--json``, printing JSON, reading a document."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.database import Database

Handler = Callable[[argparse.Namespace, Database], int]


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON on stdout"))


def print_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def read_json_document(path: str) -> Any:
    """A JSON document from a file or ``-`` (stdin); unreadable input is a ValidationError."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(
            _("Cannot read {file}: {reason}").format(file=path, reason=exc.strerror)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(_("{file} is not UTF-8 text.").format(file=path)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("{file} is not valid JSON: {reason} (line {line}, column {column}).").format(
                file="stdin" if path == "-" else path,
                reason=exc.msg,
                line=exc.lineno,
                column=exc.colno,
            )
        ) from exc
    except (ValueError, RecursionError) as exc:  # Python's limits: 4,300 digits, deep nesting
        raise ValidationError(
            _(
                "{file} is not a JSON document RepairShop can read: a number too long or "
                "lists nested too deep."
            ).format(file="stdin" if path == "-" else path)
        ) from exc
