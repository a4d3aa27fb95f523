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
