"""DuckDB connections, the schema, and the swap that keeps readers safe during writes.

Every write works on a private copy of the database file and replaces the original with
one atomic rename when it succeeds. Readers open the file read-only and see either the old
file or the new one, never half of a write; a writer killed mid-way leaves only a stray
temporary file behind. A lock file serialises writers, so two writers never drop each
other's changes.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view the pipelines use, running schema/*.sql in name order
    (and moving facts of a database from before their split into three tables)."""
    from pipelines.sources import store

    old_facts = store.set_aside_old_facts(con)
    for sql_file in sorted(SCHEMA_DIR.glob("*.sql")):
        con.execute(sql_file.read_text(encoding="utf-8"))
    if old_facts:
        store.move_old_facts(con)


def database_version(db_path: Path) -> tuple[int, int, int] | None:
    """A value that changes whenever the database file is replaced; None when it is missing."""
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def connect_read(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is now.

    The file is attached to a fresh in-memory instance rather than opened with
    duckdb.connect(path): DuckDB caches instances by path within a process, and a cached
    instance would keep serving the file that a write has since replaced.
    """
    if not Path(db_path).exists():
        raise FileNotFoundError(f"Databasen finns inte: {db_path}")
    con = duckdb.connect()
    con.execute("attach ? as verkstad (read_only)", [str(db_path)])
    con.execute("use verkstad")
    return con


@contextmanager
def file_lock(lock_path: Path) -> Iterator[None]:
    """An exclusive lock on `lock_path` (created if missing) for the duration of the block."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def write_transaction(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a copy of the database that replaces it on success.

    On any exception the copy is thrown away and the database is exactly as it was.
    """
    db_path = Path(db_path)
    lock_path = db_path.with_name(db_path.name + ".lock")
    with file_lock(lock_path):
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
        # Under the lock no other writer is at work: every temporary copy here is left over
        # from a writer that was killed, and would otherwise fill the disk.
        leftover = re.compile(rf"\.{re.escape(db_path.name)}\.\d+\.tmp(\.wal)?")
        for stale in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
            if leftover.fullmatch(stale.name):
                stale.unlink(missing_ok=True)
        if db_path.exists():
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            ensure_schema(con)
            yield con
            con.execute("checkpoint")
            con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, db_path)
            dir_fd = os.open(db_path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
            raise
