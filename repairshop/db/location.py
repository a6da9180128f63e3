"""Where this computer's own database lives, and which one a start opens — without SQLAlchemy.

:func:`local_file` and :func:`server_conninfo` answer before the database layer is loaded
(the first look of a start); :func:`repairshop.db.engine.resolve_database_url` gives the
full URL the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

import platformdirs

DATABASE_URL_VARIABLE = "REPAIRSHOP_DATABASE_URL"

_SQLITE_PREFIX = "sqlite:///"


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir("RepairShop", appauthor=False)) / "repairshop.sqlite"


def local_file(explicit: str | None = None) -> Path | None:
    """The SQLite file a start opens (``--db``, else the environment, else the default), or
    ``None`` when it opens a server, or a URL with options only the database layer reads."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if not url:
        return default_database_path()
    if "://" not in url:
        return Path(url).expanduser().resolve()
    if not url.startswith(_SQLITE_PREFIX) or "?" in url:
        return None
    database = unquote(url[len(_SQLITE_PREFIX) :])
    return Path(database) if database and database != ":memory:" else None


def server_conninfo(explicit: str | None = None) -> str | None:
    """The PostgreSQL server a start opens by ``--db`` or the environment, as the driver's
    own connection URI, or ``None`` when that names a file (or nothing)."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if not url or "://" not in url:
        return None
    scheme, rest = url.split("://", 1)
    if scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        return None
    return f"postgresql://{rest}"
