"""the job's search text in two parts: the device's brand and model apart

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05

A search word that a fifth of the jobs hold ("apple") is their brand. In the list's order
by device its jobs are bunched at one end, and the list read every job of the other brands
before them (0.17 s on SQLite, 2.2 s on PostgreSQL at a million). With the brand and model
apart (``jobs.search_device``, folded, kept with ``device_brand`` and ``device_model``) the
list reads the brands and models that hold the word as ranges of the order's index, and
searches only the rest of the text (``jobs.search_text``, now without them) for the jobs
that hold it elsewhere: a few (``repairshop/services/jobs/listing.py``).

SQLite's search index becomes two columns of one FTS5 table (``{search_text}:`` asks the
first alone); PostgreSQL gets a trigram index of the new column beside the other's.

The fill: the brand and model of each pair met among the jobs folded once, then one
``UPDATE … FROM`` sets the new column and cuts the same text off the end of the old one
(the search text ended with it); a job whose text did not end with its brand and model
(a device renamed at an intake that found it again, before 0027) is written again from
its customer and device. The search indexes are dropped before and made after.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from repairshop.domain.folding import fold
from repairshop.services.jobs.search import customer_search_text, search_text_of

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000

_TRIGGERS = ("jobs_fts_insert", "jobs_fts_delete", "jobs_fts_update")


def _device(brand: str | None, model: str | None) -> str:
    """``search.device_search_text`` as of this revision."""
    return fold(" ".join(part for part in (brand, model) if part))


def _fts(columns: tuple[str, ...]) -> list[str]:
    """SQLite's search index over ``columns`` of ``jobs``, and the triggers that keep it."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        f"CREATE VIRTUAL TABLE jobs_fts USING fts5({listed}, content='jobs', "
        "content_rowid='id', tokenize='trigram')",
        "CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN "
        f"INSERT INTO jobs_fts(rowid, {listed}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN "
        f"INSERT INTO jobs_fts(jobs_fts, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER jobs_fts_update AFTER UPDATE OF {listed} ON jobs BEGIN "
        f"INSERT INTO jobs_fts(jobs_fts, rowid, {listed}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO jobs_fts(rowid, {listed}) VALUES (new.id, {new}); END",
        "INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')",
    ]


def _drop_search_index(sqlite: bool) -> None:
    if sqlite:
        for trigger in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS jobs_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_jobs_search_trgm")
        op.execute("DROP INDEX IF EXISTS ix_jobs_search_device_trgm")


_ENDS_WITH = (
    "(jobs.search_text = d.text OR substr(jobs.search_text, "
    "length(jobs.search_text) - length(d.text)) = ' ' || d.text)"
)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("jobs", sa.Column("search_device", sa.Text(), nullable=False, server_default=""))
    _drop_search_index(sqlite)
    pairs = bind.execute(sa.text("SELECT DISTINCT device_brand, device_model FROM jobs")).all()
    op.execute(
        "CREATE TEMPORARY TABLE search_devices (brand VARCHAR(100), model VARCHAR(200), text TEXT)"
    )
    if pairs:
        bind.execute(
            sa.text("INSERT INTO search_devices (brand, model, text) VALUES (:b, :m, :t)"),
            [{"b": brand, "m": model, "t": _device(brand, model)} for brand, model in pairs],
        )
    # The jobs whose text does not end with their brand and model, written again below.
    stale = [
        row[0]
        for row in bind.execute(
            sa.text(
                "SELECT jobs.id FROM jobs JOIN search_devices d ON d.brand = jobs.device_brand "
                f"AND d.model = jobs.device_model WHERE d.text <> '' AND NOT {_ENDS_WITH}"
            )
        )
    ]
    op.execute(
        "UPDATE jobs SET search_device = d.text, search_text = CASE "
        "WHEN d.text = '' THEN jobs.search_text "
        "WHEN jobs.search_text = d.text THEN '' "
        f"WHEN {_ENDS_WITH} THEN "
        "substr(jobs.search_text, 1, length(jobs.search_text) - length(d.text) - 1) "
        "ELSE jobs.search_text END "
        "FROM search_devices d "
        "WHERE d.brand = jobs.device_brand AND d.model = jobs.device_model"
    )
    op.execute("DROP TABLE search_devices")
    _write_again(bind, stale)
    if sqlite:
        for statement in _fts(("search_text", "search_device")):
            op.execute(statement)
    else:
        op.execute("CREATE INDEX ix_jobs_search_trgm ON jobs USING gin (search_text gin_trgm_ops)")
        op.execute(
            "CREATE INDEX ix_jobs_search_device_trgm ON jobs USING gin (search_device gin_trgm_ops)"
        )


_SOURCES = sa.text(
    "SELECT jobs.id, jobs.code, customers.name, customers.phone, customers.email, "
    "devices.serial, devices.imei FROM jobs "
    "JOIN customers ON customers.id = jobs.customer_id "
    "JOIN devices ON devices.id = jobs.device_id WHERE jobs.id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))


def _write_again(bind: Any, ids: list[int]) -> None:
    """The search text of ``ids`` from their customers and devices."""
    for start in range(0, len(ids), BATCH):
        rows = bind.execute(_SOURCES, {"ids": ids[start : start + BATCH]}).all()
        bind.execute(
            sa.text("UPDATE jobs SET search_text = :text WHERE id = :id"),
            [
                {
                    "id": job_id,
                    "text": search_text_of(
                        code,
                        customer_search_text(name, phone, email),
                        serial=serial,
                        imei=imei,
                    ),
                }
                for job_id, code, name, phone, email, serial, imei in rows
            ],
        )


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _drop_search_index(sqlite)
    op.execute(
        "UPDATE jobs SET search_text = CASE WHEN search_text = '' THEN search_device "
        "WHEN search_device = '' THEN search_text "
        "ELSE search_text || ' ' || search_device END"
    )
    op.drop_column("jobs", "search_device")
    if sqlite:
        for statement in _fts(("search_text",)):
            op.execute(statement)
    else:
        op.execute("CREATE INDEX ix_jobs_search_trgm ON jobs USING gin (search_text gin_trgm_ops)")
