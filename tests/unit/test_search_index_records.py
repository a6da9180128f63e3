"""The FTS5 records a big demo writes when it copies its ranges' search indexes in."""

from __future__ import annotations

import sqlite3

import pytest

from repairshop.demo.search_index import (
    NotCopyable,
    _Structure,
    _varint,
    _varints,
    build_in_range,
)

FTS = (
    "CREATE VIRTUAL TABLE jobs_fts USING fts5(search_text, search_device, content='jobs', "
    "content_rowid='id', tokenize='trigram')"
)


@pytest.mark.parametrize(
    "value", [0, 1, 127, 128, 16_383, 16_384, 2**32 + 5, 2**56 - 1, 2**56, 2**63, 2**64 - 1]
)
def test_a_number_reads_back_as_written(value: int) -> None:
    data = _varint(value)
    assert len(data) <= 9
    assert _varints(data + _varint(7)) == [value, 7]


def test_numbers_are_sqlites_varints() -> None:
    # SQLite's own encoding: seven bits a byte, big-endian, the high bit set on all but the last.
    assert _varint(300) == bytes([0x82, 0x2C])
    assert _varint(2**64 - 1) == b"\xff" * 9
    with pytest.raises(NotCopyable):
        _varints(bytes([0x82]))
    with pytest.raises(NotCopyable):
        _varint(-1)


def _range_index(rows: list[tuple[int, str, str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE jobs (id, search_text, search_device)")
    connection.executemany("INSERT INTO jobs VALUES (?, ?, ?)", rows)
    connection.execute("BEGIN")
    build_in_range(connection, FTS)
    connection.execute("COMMIT")
    return connection


def test_a_range_is_one_segment_and_its_structure_record_is_written_back_the_same() -> None:
    connection = _range_index(
        [(n, f"r{n:06d} jana novakova +420601{n:06d}", "apple iphone 12") for n in range(1, 500)]
    )
    (record,) = connection.execute("SELECT block FROM jobs_fts_data WHERE id = 10").fetchone()
    structure = _Structure.parse(record)
    assert len(structure.segments()) == 1
    assert structure.record() == record
    found = connection.execute(
        "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH '\"601000123\"'"
    ).fetchall()
    assert found == [(123,)]


@pytest.mark.parametrize(
    "record",
    [
        b"\x00\x00\x00\x01\xff\x00\x00\x01\x01\x01\x00",  # the second form (newer SQLite)
        b"\x00\x00\x00\x01\x01\x01\x00\x00\x02",  # a level cut short
        b"\x00\x00",
    ],
)
def test_a_structure_record_of_another_form_is_refused(record: bytes) -> None:
    with pytest.raises(NotCopyable):
        _Structure.parse(record)


def test_a_merge_in_progress_is_refused() -> None:
    structure = _Structure(b"\x00\x00\x00\x00", 3, [(1, [(1, 1, 4)]), (0, [(2, 1, 9)])])
    with pytest.raises(NotCopyable):
        structure.segments()
