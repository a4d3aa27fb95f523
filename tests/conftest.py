"""Shared fixtures: a configuration whose database lives in tmp_path."""

from __future__ import annotations

import pytest

from pipelines.config import Config, load_config


@pytest.fixture
def config(tmp_path, monkeypatch) -> Config:
    """A Config pointing at a fresh database in tmp_path, also exported as $VERKSTAD_DB."""
    db = tmp_path / "verkstad.duckdb"
    monkeypatch.setenv("VERKSTAD_DB", str(db))
    return load_config(db)


EDITOR_PASSWORD = "test-redaktör-lösen"


@pytest.fixture
def editor_env(monkeypatch) -> tuple[str, str]:
    """Configures one editor ("testredaktör") through $VERKSTAD_EDITORS; returns (name, password).

    AppTest does not keep app.py's sidebar (where the login form lives) once a test switches
    page, so page tests set session_state["verkstad_editor"] to this name; the password
    check and rate limit are tested in test_auth.py, the sidebar form in test_browser.py.
    """
    from pipelines.auth import hash_password

    monkeypatch.setenv("VERKSTAD_EDITORS", f"testredaktör:{hash_password(EDITOR_PASSWORD)}")
    return "testredaktör", EDITOR_PASSWORD


def insert_facts(con, columns: str, rows: list[list]) -> None:
    """Facts written straight into the store, one list of values per row in the order of
    `columns` (fact_rows column names, comma separated), as an importer would write them."""
    import polars as pl

    from pipelines.sources import store

    names = [c.strip() for c in columns.split(",")]
    frame = pl.DataFrame(
        [dict(zip(names, row, strict=True)) for row in rows],
        schema={n: store.LONG_FIELDS[n] for n in names},
        orient="row",
    )
    store.write_long(con, frame)
