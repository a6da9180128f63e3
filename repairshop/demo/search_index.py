"""The jobs' search index (SQLite's FTS5 table ``jobs_fts``) for a big demo run, built by the
processes that make the rows, each over its own range, and copied into the database whole.

The writer is the demo's longer chain of work, and the trigram postings were a third of it
(≈ 28 s of its CPU at a million jobs). Each range's file gets an FTS5 table declared exactly
as the database's (the same ``CREATE VIRTUAL TABLE`` text: the same columns, tokenizer and
format), filled and merged into one segment by the maker, on the other core. The writer
then copies the range's segment into the database's index under a new segment number, its
per-row sizes beside it, and at the end writes the index's two records that describe it:
the structure (every segment, by level) and the averages (the rows and tokens in all).
Segments whose row ids never overlap are what FTS5 itself leaves after separate inserts, so
the copy is an index FTS5 could have written; the tests run FTS5's own ``integrity-check``
against the jobs after a run in ranges.

FTS5 stores all of it in ordinary tables (``jobs_fts_data``, ``jobs_fts_idx``,
``jobs_fts_docsize``). Its record formats are those of FTS5's file format version 4; anything
else (another version, the second form of the structure record that newer SQLite writes for
contentless tables, an index that is not empty) is refused with :class:`NotCopyable`, and
the writer then builds the index itself, as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

SEARCH_INDEX = "jobs_fts"
FORMAT_VERSION = 4
"""FTS5's ``version`` in ``jobs_fts_config`` whose records this module reads and writes."""
_STRUCTURE_ID = 10
_AVERAGES_ID = 1
_SEGMENT_SHIFT = 37
"""A page's row id in ``jobs_fts_data`` is its segment number shifted left this far, plus
the page's height and number (FTS5's ``FTS5_SEGMENT_ROWID``)."""
_STRUCTURE_V2 = b"\xff\x00\x00\x01"


class NotCopyable(Exception):
    """The index is not in the form this module copies."""


def declaration(connection: sqlite3.Connection) -> str | None:
    """The ``CREATE VIRTUAL TABLE`` of the database's search index, when it can be filled by
    copying: its format is the one known here and it holds nothing yet; else None."""
    row = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_INDEX,)
    ).fetchone()
    if row is None:
        return None
    try:
        structure = _structure_of(connection, "main")
        if structure.segments() or _version(connection, "main") != FORMAT_VERSION:
            return None
    except NotCopyable:
        return None
    return str(row[0])


def build_in_range(connection: sqlite3.Connection, create: str) -> None:
    """In a range's file (its ``jobs`` table filled, inside its transaction): the search index
    declared by ``create``, filled from the jobs and merged into one segment. Merging only at
    the end (no automatic merges while the postings go in) takes about a third less CPU."""
    connection.execute(create)
    for option, value in (("automerge", 0), ("crisismerge", 2000)):
        connection.execute(
            f"INSERT INTO {SEARCH_INDEX}({SEARCH_INDEX}, rank) VALUES (?, ?)", (option, value)
        )
    connection.execute(
        f"INSERT INTO {SEARCH_INDEX}(rowid, search_text, search_device) "
        "SELECT id, search_text, search_device FROM jobs"
    )
    connection.execute(f"INSERT INTO {SEARCH_INDEX}({SEARCH_INDEX}) VALUES ('optimize')")


@dataclass
class IndexCopy:
    """Copies ranges' search indexes into the database's (through ``connection``, inside the
    load's transaction) and, with :meth:`finish`, describes what it copied."""

    connection: sqlite3.Connection
    cookie: bytes = b""
    levels: int = 1
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    writes: int = 0
    totals: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cookie = _structure_of(self.connection, "main").cookie

    def add(self, schema: str) -> None:
        """The search index of the range attached as ``schema``."""
        if _version(self.connection, schema) != FORMAT_VERSION:
            raise NotCopyable("another FTS5 format version")
        structure = _structure_of(self.connection, schema)
        averages = _varints(_record(self.connection, schema, _AVERAGES_ID))
        if self.totals and len(averages) != len(self.totals):
            raise NotCopyable("another number of columns")
        execute = self.connection.execute
        for old, first, last in structure.segments():
            new = len(self.segments) + 1
            execute(
                f"INSERT INTO main.{SEARCH_INDEX}_data (id, block) "
                f"SELECT id + ?, block FROM {schema}.{SEARCH_INDEX}_data WHERE id >= ? AND id < ?",
                ((new - old) << _SEGMENT_SHIFT, old << _SEGMENT_SHIFT, (old + 1) << _SEGMENT_SHIFT),
            )
            execute(
                f"INSERT INTO main.{SEARCH_INDEX}_idx (segid, term, pgno) "
                f"SELECT ?, term, pgno FROM {schema}.{SEARCH_INDEX}_idx WHERE segid = ?",
                (new, old),
            )
            self.segments.append((new, first, last))
        execute(
            f"INSERT INTO main.{SEARCH_INDEX}_docsize (id, sz) "
            f"SELECT id, sz FROM {schema}.{SEARCH_INDEX}_docsize"
        )
        self.levels = max(self.levels, len(structure.levels))
        self.writes += structure.writes
        self.totals = [
            a + b for a, b in zip(self.totals or [0] * len(averages), averages, strict=True)
        ]

    def finish(self) -> None:
        """The structure (every copied segment on the top level) and the averages."""
        levels: list[tuple[int, list[Segment]]] = [(0, []) for _level in range(self.levels - 1)]
        levels.append((0, self.segments))
        structure = _Structure(self.cookie, self.writes, levels)
        for row_id, block in (
            (_STRUCTURE_ID, structure.record()),
            (_AVERAGES_ID, b"".join(map(_varint, self.totals))),
        ):
            self.connection.execute(
                f"INSERT OR REPLACE INTO main.{SEARCH_INDEX}_data (id, block) VALUES (?, ?)",
                (row_id, block),
            )


Segment = tuple[int, int, int]
"""A segment's number, its first and its last leaf page."""


@dataclass(frozen=True)
class _Structure:
    """FTS5's structure record: a cookie (4 bytes), then varints: the levels, the segments,
    the write counter, and for each level the segments being merged into the next and its
    segments (number, first and last leaf page)."""

    cookie: bytes
    writes: int
    levels: list[tuple[int, list[Segment]]]

    def segments(self) -> list[Segment]:
        for merging, _segments in self.levels:
            if merging:
                raise NotCopyable("a merge in progress")
        return [segment for _merging, segments in self.levels for segment in segments]

    def record(self) -> bytes:
        numbers = [len(self.levels), len(self.segments()), self.writes]
        for merging, segments in self.levels:
            numbers += [merging, len(segments)]
            numbers += [number for segment in segments for number in segment]
        return self.cookie + b"".join(map(_varint, numbers))

    @classmethod
    def parse(cls, record: bytes) -> _Structure:
        if len(record) < 4 or record[4:8] == _STRUCTURE_V2:
            raise NotCopyable("another structure record")
        numbers = iter(_varints(record[4:]))
        try:
            level_count, _segment_count, writes = next(numbers), next(numbers), next(numbers)
            levels = []
            for _level in range(level_count):
                merging, count = next(numbers), next(numbers)
                segments = [(next(numbers), next(numbers), next(numbers)) for _n in range(count)]
                levels.append((merging, segments))
        except StopIteration:
            raise NotCopyable("a short structure record") from None
        if next(numbers, None) is not None:
            raise NotCopyable("a long structure record")
        return cls(record[:4], writes, levels)


def _structure_of(connection: sqlite3.Connection, schema: str) -> _Structure:
    return _Structure.parse(_record(connection, schema, _STRUCTURE_ID))


def _record(connection: sqlite3.Connection, schema: str, row_id: int) -> bytes:
    row = connection.execute(
        f"SELECT block FROM {schema}.{SEARCH_INDEX}_data WHERE id = ?", (row_id,)
    ).fetchone()
    if row is None or not isinstance(row[0], bytes):
        raise NotCopyable(f"no record {row_id}")
    return row[0]


def _version(connection: sqlite3.Connection, schema: str) -> int | None:
    row = connection.execute(
        f"SELECT v FROM {schema}.{SEARCH_INDEX}_config WHERE k = 'version'"
    ).fetchone()
    return int(row[0]) if row is not None else None


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers (big-endian 7-bit groups, the ninth byte whole)."""
    values: list[int] = []
    position = 0
    while position < len(data):
        value = 0
        for index in range(9):
            if position + index >= len(data):
                raise NotCopyable("a cut variable-length integer")
            byte = data[position + index]
            if index == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
        position += index + 1
    return values


def _varint(value: int) -> bytes:
    if value < 0 or value >= 1 << 64:
        raise NotCopyable("a number out of range")
    if value >= 1 << 56:
        tail = [value & 0xFF]
        value >>= 8
        groups = [(value >> (7 * n)) & 0x7F | 0x80 for n in range(8)]
        return bytes(reversed(groups)) + bytes(tail)
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))
