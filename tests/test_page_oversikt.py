"""Översikt in an AppTest: the figures shown equal those computed from the database."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_data import build_fixture_db, expected_budget_by_org

from pipelines import fmt
from pipelines.config import ROOT
from pipelines.db import connect_read

APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, config, monkeypatch):
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    return build_fixture_db(tmp_path, config)


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _table(at, column: str):
    """The shown table (a pandas frame) that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _expected(db, year: int) -> dict:
    con = connect_read(db.db_path)
    total = sum(expected_budget_by_org(db.db_path, year).values())
    mapped = con.execute(
        "select sum(amount_sek) from proposal_funding where year = ? and document = 'budget'"
        " and measure = 'budget' and budget_kind = 'drift' and period is null",
        [year],
    ).fetchone()[0]
    return {"total": float(total), "mapped": float(mapped)}


def test_overview_is_the_default_page_and_shows_the_budget(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Översikt"
    assert any("Demodata" in w.value for w in at.warning)
    exp = _expected(db, 2025)
    assert _metric(at, "Antagen driftbudget 2025") == fmt.sek(exp["total"])
    assert _metric(at, "Kopplat till handlingsprogrammet") == fmt.sek(exp["mapped"])
    table = _table(at, "Läge")
    rows = {r["Id"]: r for r in table.to_dict("records")}
    assert rows["p-kulturskola"]["Läge"] == "Mer pengar"
    assert rows["p-falt"]["Läge"] == "Krympt i fasta priser"
    assert rows["p-hvb"]["Läge"] == "Inga pengar i budgeten"
    assert rows["p-kulturskola"]["Budget 2025"] == fmt.sek(26_000_000)
    assert rows["p-hvb"]["V:s förslag 2025"] == fmt.sek(8_000_000)


def test_the_groups_status_stands_beside_the_money(db):
    from pipelines.dashboard import status

    status.set_status("p-falt", "motarbetat", "Nej i KF", "2025-03-01", "anna")
    at = AppTest.from_file(APP, default_timeout=60).run()
    rows = {r["Id"]: r for r in _table(at, "Läge").to_dict("records")}
    assert rows["p-falt"]["Status (budgetgruppen)"] == "motarbetat (2025-03-01)"
    assert rows["p-hvb"]["Status (budgetgruppen)"] == "–"


def test_choosing_another_year(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="ov_year").select(2024).run()
    assert not at.exception
    exp = _expected(db, 2024)
    assert _metric(at, "Antagen driftbudget 2024") == fmt.sek(exp["total"])
    con = connect_read(db.db_path)
    funding = pl.from_arrow(
        con.sql(
            "select proposal_id, amount_sek from proposal_funding where year = 2024"
            " and document = 'budget' and measure = 'budget' and budget_kind = 'drift'"
        ).to_arrow_table()
    )
    table = _table(at, "Läge")
    shown = {r["Id"]: r["Budget 2024"] for r in table.to_dict("records")}
    for pid, amount in funding.iter_rows():
        assert shown[pid] == fmt.sek(float(amount))


def test_investment_budget_is_never_added_to_operating_money(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="ov_kind").set_value("investering").run()
    assert not at.exception
    # the fixture has no investment budget: the page says so instead of showing drift figures
    assert any("investeringsbudget" in i.value for i in at.info)
    assert not at.metric
