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

    AppTests log in through the real sidebar form with these credentials.
    """
    from pipelines.auth import hash_password

    monkeypatch.setenv("VERKSTAD_EDITORS", f"testredaktör:{hash_password(EDITOR_PASSWORD)}")
    return "testredaktör", EDITOR_PASSWORD


def login(at, name: str, password: str):
    """Logs in through the sidebar form of an AppTest and returns it re-run."""
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    next(b for b in at.button if b.label == "Logga in").click()
    return at.run()
