"""Kommundelar: queries against a fixture database, and the page's figures against facts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import insert_facts
from streamlit.testing.v1 import AppTest

from pipelines import fmt
from pipelines import kommundelar as kd
from pipelines.config import ROOT
from pipelines.dashboard.reference import read_price_index
from pipelines.db import connect_read, write_transaction

KDN = {
    "Järna": "Kommundelsnämnden Järna",
    "Enhörna": "Kommundelsnämnden Enhörna",
    "Hölö-Mörkö": "Kommundelsnämnden Hölö-Mörkö",
    "Vårdinge-Mölnbo": "Kommundelsnämnden Vårdinge-Mölnbo",
}


def _fact(
    con,
    year,
    org,
    line,
    amount,
    kind="drift",
    measure="budget",
    document="budget",
    doc_year=None,
    period=None,
    cell="B2",
    kommundel=None,
):
    columns = (
        "doc_id, doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
        " measure, amount_sek, source_file, source_sheet, source_cell, kommundel"
    )
    values = [
        f"doc-{document}-{doc_year or year}",
        doc_year or year,
        year,
        document,
        "kommunen",
        kind,
        period,
        org,
        line,
        measure,
        amount,
        f"{document}-{doc_year or year}.xlsx",
        "Blad1",
        cell,
        kommundel,
    ]
    insert_facts(con, columns, [values])


def add_proposals(con, rows):
    """Proposals for the fixture, into the program importer's proposal_rows."""
    for ordinal, (pid, section, title, text, relevant) in enumerate(rows, start=1):
        con.execute(
            "insert into proposal_rows (proposal_id, doc_id, section, title, text, level, kind,"
            " executing_bodies, local_bodies, kommundel_relevant, ordinal)"
            " values (?, 'doc-program', ?, ?, ?, 'kommun', 'bullet', [], ?, ?, ?)",
            [
                pid,
                section,
                title,
                text,
                ["Kommundelsnämnderna"] if relevant else [],
                relevant,
                ordinal,
            ],
        )


def make_db(path: Path) -> Path:
    """A small database: KDN budgets for 2025 and 2026, investments, goals, proposals."""
    with write_transaction(path) as con:
        for doc_year in (2025, 2026):
            con.execute(
                "insert into documents (doc_id, file_name, importer, document, doc_year, actor)"
                " values (?, ?, 'workbook', 'budget', ?, 'kommunen')",
                [f"doc-budget-{doc_year}", f"budget-{doc_year}.xlsx", doc_year],
            )
        base = {"Järna": 300e6, "Enhörna": 90e6, "Hölö-Mörkö": 80e6, "Vårdinge-Mölnbo": 70e6}
        for year, growth in ((2025, 1.0), (2026, 1.03)):
            for i, (kommundel, amount) in enumerate(base.items()):
                org = KDN[kommundel]
                _fact(con, year, org, "Förskola", amount * 0.6 * growth, cell=f"C{i + 2}")
                _fact(con, year, org, "Äldreomsorg", amount * 0.4 * growth, cell=f"D{i + 2}")
            # the nämnd's own total (another table of the document) beside its lines
            for kommundel, amount in base.items():
                _fact(con, year, KDN[kommundel], KDN[kommundel], amount * growth, cell="T1")
        # The 2026 document restates Budget 2025 (revised): the latest document wins.
        for i, (kommundel, amount) in enumerate(base.items()):
            _fact(
                con,
                2025,
                KDN[kommundel],
                "Förskola",
                amount * 0.61,
                doc_year=2026,
                cell=f"F{i + 2}",
            )
            _fact(
                con,
                2025,
                KDN[kommundel],
                "Äldreomsorg",
                amount * 0.4,
                doc_year=2026,
                cell=f"G{i + 2}",
            )
        _fact(
            con,
            2026,
            "Tekniska nämnden",
            "Ny gång- och cykelbro",
            40e6,
            kind="investering",
            cell="E10",
            kommundel="Södertälje tätort",
        )
        _fact(
            con,
            2026,
            KDN["Järna"],
            "Ny förskola Järna",
            25e6,
            kind="investering",
            cell="E11",
            kommundel="Järna",
        )
        _fact(
            con,
            2026,
            "Kultur- och fritidsnämnden",
            "Konstgräsplan Enhörna",
            6e6,
            kind="investering",
            cell="E12",
            kommundel="Enhörna",
        )
        _fact(con, 2026, "Kommunstyrelsen", "IT-system", 9e6, kind="investering", cell="E13")
        add_proposals(
            con,
            [
                ("1.1", "Demokrati", "Medborgardialog i Järna", "Lokala möten i Järna.", True),
                ("1.2", "Demokrati", "Öppna nämndmöten", "Alla nämnder.", True),
                ("2.1", "Skola", "Fler lärare", "Mindre klasser.", False),
            ],
        )
    return path


def expected_budget(con, organisation, year):
    """The adopted drift budget straight from facts: the latest budget document for the year."""
    return con.execute(
        "select sum(amount_sek)::double from facts where organisation = ? and year = ? "
        "and document = 'budget' and measure = 'budget' and budget_kind = 'drift' "
        "and line_item <> organisation "  # the fixture always has lines beside the total
        "and doc_year = (select max(doc_year) from facts where document = 'budget' and year = ?)",
        [organisation, year, year],
    ).fetchall()[0][0]


@pytest.fixture
def db(config):
    return make_db(config.db_path)


def test_overview_matches_facts(db):
    con = connect_read(db)
    frame = kd.overview(con, 2026)
    assert frame["kommundel"].to_list() == [
        "Södertälje tätort",
        "Enhörna",
        "Vårdinge-Mölnbo",
        "Järna",
        "Hölö-Mörkö",
    ]
    jarna = frame.filter(pl.col("kommundel") == "Järna").row(0, named=True)
    expected = expected_budget(con, KDN["Järna"], 2026)
    before = expected_budget(con, KDN["Järna"], 2025)
    assert jarna["drift_budget"] == pytest.approx(expected)
    assert jarna["drift_change"] == pytest.approx(expected - before)
    index, base = dict(read_price_index(kd.PRICE_INDEX_FILE)), kd.price_index()[1]
    real = expected * index[base] / index[2026] - before * index[base] / index[2025]
    assert jarna["drift_change_fixed"] == pytest.approx(real)
    assert jarna["investment_budget"] == pytest.approx(25e6)
    town = frame.filter(pl.col("kommundel") == "Södertälje tätort").row(0, named=True)
    assert town["drift_budget"] is None
    assert town["investment_budget"] == pytest.approx(40e6)


def test_investments_unassigned_and_by_place(db):
    con = connect_read(db)
    inv = kd.investments(con, 2026)
    by = dict(inv.group_by("kommundel").agg(pl.col("amount_sek").sum()).iter_rows())
    assert by[kd.UNASSIGNED] >= 9e6
    assert by["Järna"] == pytest.approx(25e6)


def test_resolve_names():
    assert kd.resolve("KDN Järna") == "Järna"
    assert kd.resolve("Kommundelsnämnden Hölö Mörkö") == "Hölö-Mörkö"
    assert kd.resolve("Staden") == "Södertälje tätort"
    assert kd.resolve("Tekniska nämnden") is None
    assert kd.resolve("Hovsjö") == "Södertälje tätort"  # a stadsdel in data/kommundelar.csv
    assert kd.resolve("Hela kommunen") is None
    assert kd.resolve("Södertälje kommun") is None


def test_population_file_formats(tmp_path):
    kd.population_table.cache_clear()
    path = tmp_path / "population.csv"
    path.write_text(
        "year;kommundel;population\n2025;Järna;20 100\n2026;KDN Järna;20500\n2026;Staden;70000\n2026;Hovsjö;15000\n2025;Hovsjö;14000\n2025;Ronna;9000\n",
        encoding="utf-8",
    )
    # a direct row wins over the sum of stadsdelar; without one the stadsdelar add up
    assert kd.population(2026, path) == {"Järna": 20500, "Södertälje tätort": 70000}
    assert kd.population(2025, path) == {"Järna": 20100, "Södertälje tätort": 23000}
    assert kd.population(2030, path)["Järna"] == 20500
    assert kd.population(2020, path) == {}
    kd.population_table.cache_clear()


def test_proposals_naming_the_kdn(db):
    con = connect_read(db)
    props = kd.proposals(con, "Järna", 2026)
    assert props["proposal_id"].to_list()[0] == "1.1"
    assert props.filter(pl.col("names_place"))["proposal_id"].to_list() == ["1.1"]
    assert "2.1" not in props["proposal_id"].to_list()


def _app(db) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page(str(ROOT / "pages" / "kommundelar.py")).run()


def test_page_shows_the_figures_of_the_database(db):
    at = _app(db)
    assert not at.exception, at.exception
    assert at.selectbox(key="kd_year").value == 2026
    at.selectbox(key="kd_kommundel").set_value("Järna").run()
    assert not at.exception
    con = connect_read(db)
    expected = kd.overview(con, 2026).filter(pl.col("kommundel") == "Järna").row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    raw = expected_budget(con, KDN["Järna"], 2026)
    assert metrics["Driftbudget"] == fmt.sek(raw) == fmt.sek(expected["drift_budget"])
    assert metrics["Investeringar"] == fmt.sek(25e6)
    change = next(m for m in at.metric if m.label == "Förändring mot 2025")
    assert change.value == fmt.sek(expected["drift_change"])
    # Streamlit reads the arrow from an ASCII minus, so the delta starts with one
    fixed_text = fmt.sek(expected["drift_change_fixed"]).replace("\u2212", "-", 1)
    assert change.delta == f"{fixed_text} i fasta priser ({kd.price_index()[1]})"
    # another year and another map colour: the page follows
    at.selectbox(key="kd_year").set_value(2025).run()
    at.radio(key="kd_measure").set_value("investment_budget").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    raw_2025 = expected_budget(con, KDN["Järna"], 2025)
    assert metrics["Driftbudget"] == fmt.sek(raw_2025)


def test_page_town_has_no_kdn(db):
    at = _app(db)
    at.selectbox(key="kd_kommundel").set_value("Södertälje tätort").run()
    assert not at.exception
    assert any("ingen egen kommundelsnämnd" in i.value for i in at.info)


def test_page_without_budget(config):
    with write_transaction(config.db_path):
        pass
    at = _app(config.db_path)
    assert not at.exception
    assert any("Ingen antagen budget" in i.value for i in at.info)


def test_kommundelar_file_is_complete():
    parts = kd.kommundelar()
    assert {k.kommundel for k in parts} == {"Södertälje tätort", *KDN}
    positions = {(k.tile_col, k.tile_row) for k in parts}
    assert len(positions) == len(parts)
    for k in parts:
        if k.organisation:
            assert kd.resolve(k.organisation) == k.kommundel
