"""The write swap: atomic on success, untouched on failure, readers never see half."""

from __future__ import annotations

import pytest

from pipelines.db import connect_read, database_version, write_transaction


def test_write_creates_schema_and_replaces_file(config):
    assert database_version(config.db_path) is None
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into documents (doc_id, file_name, importer) values ('a', 'a.xlsx', 'x')"
        )
    first = database_version(config.db_path)
    assert first is not None
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into documents (doc_id, file_name, importer) values ('b', 'b.xlsx', 'x')"
        )
    assert database_version(config.db_path) != first
    rows = (
        connect_read(config.db_path).execute("select doc_id from documents order by 1").fetchall()
    )
    assert rows == [("a",), ("b",)]
    assert not list(config.db_path.parent.glob(".*.tmp"))


def test_failed_write_leaves_database_unchanged(config):
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into documents (doc_id, file_name, importer) values ('a', 'a.xlsx', 'x')"
        )
    before = config.db_path.read_bytes()
    with pytest.raises(RuntimeError):
        with write_transaction(config.db_path) as con:
            con.execute("delete from documents")
            raise RuntimeError("boom")
    assert config.db_path.read_bytes() == before
    assert not list(config.db_path.parent.glob(".*.tmp"))


def test_reader_keeps_old_snapshot_during_write(config):
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into documents (doc_id, file_name, importer) values ('a', 'a.xlsx', 'x')"
        )
    reader = connect_read(config.db_path)
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into documents (doc_id, file_name, importer) values ('b', 'b.xlsx', 'x')"
        )
        # mid-write: a reader sees the old data and gets no lock error
        assert reader.execute("select count(*) from documents").fetchone()[0] == 1
        fresh = connect_read(config.db_path)
        assert fresh.execute("select count(*) from documents").fetchone()[0] == 1
    assert connect_read(config.db_path).execute("select count(*) from documents").fetchone()[0] == 2
