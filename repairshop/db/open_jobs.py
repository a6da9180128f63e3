"""The condition of the job list's status-first indexes, as SQL, for the ORM's tables and for
the first look's plain queries (:mod:`repairshop.services.first_look`), which load no
SQLAlchemy.

The indexes hold only the jobs whose device is still in the shop (revision 0029). A
collected job never changes status again, and in a shop's history nearly every job is one
(96 % of a six-month demo), so an index over the others is a twentieth of the size and costs
a write of a job a twentieth as much. SQLite uses such an index only for a query that states
its condition as written here, with the literal, not a bound parameter
(:func:`repairshop.db.tables.status_among`).
"""

from __future__ import annotations

COLLECTED = "collected"
"""The status the indexes leave out (``JobStatus.COLLECTED``'s stored value)."""
OPEN_JOBS = f"status <> '{COLLECTED}'"
