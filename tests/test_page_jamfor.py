"""Jämför år in an AppTest: two years, fixed prices, per invånare; figures from the database."""

from __future__ import annotations

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


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/jamfor.py").run()
    assert not at.exception
    return at


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _budget_by_org(db, year: int) -> dict[str, float]:
    return expected_budget_by_org(db.db_path, year)


def _index(db) -> dict[int, float]:
    con = connect_read(db.db_path)
    return dict(con.execute("select year, index_value from ref_price_index").fetchall())


def test_default_compares_the_last_two_budgets(db):
    at = _open()
    a, b = _budget_by_org(db, 2024), _budget_by_org(db, 2025)
    assert _metric(at, "A: 2024 · Budget") == fmt.sek(sum(a.values()))
    assert _metric(at, "B: 2025 · Budget") == fmt.sek(sum(b.values()))
    assert _metric(at, "Förändring") == fmt.sek(sum(b.values()) - sum(a.values()))
    orgs = _table(at, "Organisation")
    shown = {r["Organisation"]: r for r in orgs.to_dict("records")}
    for org, value in b.items():
        assert shown[org]["B"] == fmt.sek(value)
        assert shown[org]["Förändring"] == fmt.sek(value - a[org])
    waterfall = at.get("plotly_chart")[0]
    assert waterfall is not None


def test_fixed_prices_and_per_invanare_toggles(db):
    at = _open()
    at.toggle(key="jf_fixed").set_value(True).run()
    assert not at.exception
    a, b, index = _budget_by_org(db, 2024), _budget_by_org(db, 2025), _index(db)
    fixed_a = sum(a.values()) * index[2025] / index[2024]
    assert _metric(at, "A: 2024 · Budget") == fmt.sek(fixed_a)
    assert _metric(at, "Förändring") == fmt.sek(sum(b.values()) - fixed_a)
    at.toggle(key="jf_per").set_value(True).run()
    per_b = sum(b.values()) / 102_000  # the fixture's population in 2025
    assert _metric(at, "B: 2025 · Budget") == f"{fmt.number(per_b)}\u00a0kr"


def test_choosing_another_document(db):
    at = _open()
    box = at.selectbox(key="jf_b")
    token = next(t for t in box.options if "Prognos" in t)
    box.select(token).run()
    assert not at.exception
    prognos = (
        connect_read(db.db_path)
        .execute(
            "select sum(amount_sek) from facts where document = 'delarsrapport'"
            " and measure = 'prognos' and year = 2025"
        )
        .fetchone()[0]
    )
    assert _metric(at, "B: 2025 · Prognos helår") == fmt.sek(float(prognos))
    props = _table(at, "Förslag")
    shown = {r["Id"]: r for r in props.to_dict("records")}
    assert shown["p-kulturskola"]["B"] == fmt.sek(24_000_000)


@pytest.mark.parametrize("page", ["pages/oversikt.py", "pages/forslag.py", "pages/jamfor.py"])
def test_pages_on_an_empty_database_explain_instead_of_failing(config, page, tmp_path, monkeypatch):
    from pipelines import marts
    from pipelines.db import write_transaction

    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    with write_transaction(config.db_path) as con:
        marts.build_all(con, config)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.info, "an empty database gets a plain message"


def test_a_link_opens_the_same_comparison(db):
    from pipelines.dashboard import queries as q

    all_slices = q.slices(connect_read(db.db_path))
    a = q.adopted_budget(all_slices, 2024)
    b = next(s for s in all_slices if s.document == "delarsrapport" and s.measure == "prognos")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"a": a.token, "b": b.token, "fasta": "1"})
    at.run()
    at.switch_page("pages/jamfor.py").run()
    assert not at.exception
    assert at.toggle(key="jf_fixed").value is True
    index = _index(db)
    fixed_a = sum(_budget_by_org(db, 2024).values()) * index[2025] / index[2024]
    assert _metric(at, "A: 2024 · Budget") == fmt.sek(fixed_a)
    assert _metric(at, "B: 2025 · Prognos helår") == fmt.sek(33_000_000)
    at.toggle(key="jf_per").set_value(True).run()
    assert at.query_params["per"] == "1" and at.query_params["b"] == b.token


def test_visa_kallor_lists_the_cell_of_every_figure(db):
    at = _open()
    sources = next(d.value for d in at.dataframe if {"Fil", "Blad", "Cell"} <= set(d.value.columns))
    cells = set(zip(sources["Fil"], sources["Blad"], sources["Cell"], strict=True))
    # budget 2024 and 2025 from Mål och budget 2025; Kultur- och fritidsnämnden 2025 counted
    # by its line in the table of nämnder (D9), not again by its verksamheter
    assert ("mal-och-budget-2025.xlsx", "Nämnder", "D9") in cells
    total = sum(sources["Belopp (kr)"])
    shown = sum(_budget_by_org(db, 2024).values()) + sum(_budget_by_org(db, 2025).values())
    assert total == pytest.approx(shown)
