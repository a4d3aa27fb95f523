"""Marts: tables rebuilt from facts, proposals and mappings after every write.

Each file in marts/sql is one select statement (a chain of CTEs ending in `select * from
final`); the file's name, less its order prefix, is the table it becomes. Files run in name
order, so a mart may read the ones before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.config import Config

SQL_DIR = Path(__file__).resolve().parent / "sql"


def mart_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every mart exists (a database that never had its marts built has none)."""
    names = {re.sub(r"^\d+_", "", f.stem) for f in mart_files()}
    found = con.execute(
        "select table_name from information_schema.tables"
        " where table_schema = current_schema() and table_catalog = current_database()"
    ).fetchall()
    return names <= {name for (name,) in found}


def build_all(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Rebuild every mart inside the caller's transaction."""
    # Price index and population (data/*.csv) as tables the marts join on.
    from pipelines.dashboard.reference import load_reference

    load_reference(con, config)
    # The mapping files (rules, crosswalk) as tables, and which rule applies to which line.
    from pipelines.mapping import load_tables

    load_tables(con, config)
    for sql_file in mart_files():
        table = re.sub(r"^\d+_", "", sql_file.stem)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
            raise ValueError(f"bad mart name: {sql_file.name}")
        select = sql_file.read_text(encoding="utf-8").strip().rstrip(";")
        con.execute(f"create or replace table {table} as {select}")
