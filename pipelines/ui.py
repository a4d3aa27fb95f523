"""The Streamlit layer shared by all pages: database status, the demo banner, caching keys.

Pages stay thin: they read widgets, call functions in pipelines with a connection from
`connection()`, and render. Cached data is keyed on `db_version()`, so a new ingest shows
at once.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from pipelines.config import Config, load_config
from pipelines.db import connect_read, database_version

DEMO_TEXT = (
    "**Demodata — påhittade belopp.** Siffrorna på den här sidan kommer från Verkstads "
    "genererade demodokument, inte från Södertälje kommuns riktiga budget. Visa dem aldrig "
    "som verkliga."
)


def config() -> Config:
    return load_config()


def db_version() -> tuple[int, int, int] | None:
    """Changes whenever the database file is replaced by a write."""
    return database_version(config().db_path)


@st.cache_resource(max_entries=2)
def _connection(path: str, version: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    return connect_read(path)


def connection() -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to the current database file, or None when there is none."""
    version = db_version()
    if version is None:
        return None
    # A cursor per call: DuckDB connections are not safe to share between threads.
    # A cursor starts in the default catalog, so point it at the attached database again.
    cursor = _connection(str(config().db_path), version).cursor()
    cursor.execute("use verkstad")
    return cursor


def require_connection() -> duckdb.DuckDBPyConnection:
    """The connection, or a clear message and a stop when the database is missing."""
    con = connection()
    if con is None:
        st.error(
            f"Databasen saknas ({config().db_path}). Kör `make run` eller "
            "`verkstad demo` / `verkstad ingest` först."
        )
        st.stop()
    return con


@st.cache_data(max_entries=4)
def _has_demo(version: tuple[int, int, int] | None) -> bool:
    con = connection()
    if con is None:
        return False
    return bool(con.execute("select count(*) from documents where is_demo").fetchone()[0])


def has_demo_data() -> bool:
    return _has_demo(db_version())


def demo_banner() -> None:
    """The plain warning every page that shows demo figures carries."""
    if has_demo_data():
        st.warning(DEMO_TEXT, icon="⚠️")


@st.cache_data(max_entries=4)
def _status(version: tuple[int, int, int] | None) -> dict[str, int]:
    con = connection()
    if con is None:
        return {}
    rows = con.execute(
        "select coalesce(document, importer), count(*) from documents group by all order by 1"
    ).fetchall()
    return {str(kind): n for kind, n in rows}


def sidebar() -> None:
    """Database status and the demo label, shown on every page."""
    with st.sidebar:
        status = _status(db_version())
        if not status:
            st.caption("Ingen databas inläst.")
        else:
            st.caption(
                "Inlästa dokument: " + ", ".join(f"{kind} {n}" for kind, n in status.items())
            )
        if has_demo_data():
            st.error("Demodata — påhittade belopp", icon="⚠️")
