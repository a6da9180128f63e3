"""The schema's newest revision, read from the migration scripts without SQLAlchemy or Alembic.

A start asks this before the database layer is loaded (:mod:`repairshop.services.first_look`),
so it needs neither: the scripts' headers name each revision and the one it follows.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_REVISION = re.compile(r'^(down_revision|revision)\b[^=]*=\s*(None|"[^"]*")', re.MULTILINE)


def alembic_config() -> Config:
    """Alembic's configuration for the scripts shipped in the package (Alembic is imported
    only when the schema has to change: it costs a start)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def head_revision() -> str:
    """The newest revision: read from the scripts' headers, with Alembic only as a fallback."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip('"'))
        if found.get("down_revision", "None") != "None":
            revised.add(found["down_revision"].strip('"'))
    heads = revisions - revised
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
