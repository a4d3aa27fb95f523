"""Ord mot verkstad: goals beside their money, and the page against the database."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from conftest import insert_facts
from streamlit.testing.v1 import AppTest

from pipelines import fmt, marts
from pipelines.config import ROOT
from pipelines.db import connect_read, write_transaction
from pipelines.ordmotverkstad import goals

ORGS = {"Socialnämnden": 1_000e6, "Kultur- och fritidsnämnden": 300e6, "Kommunstyrelsen": 500e6}
GOALS = [
    # organisation, goal, assessment, analysis
    (
        "Kommunstyrelsen",
        "Invånarna har förtroende för kommunförvaltningen",
        "grön",
        "Kontaktcenter har vunnit ett pris. Fokus på samordning och nya arbetssätt.",
    ),
    (
        "Socialnämnden",
        "Invånarna har goda livsvillkor",
        "gul",
        "För 2025 kommer fokus att läggas på ledning och samordning samt kompetenshöjning.",
    ),
    (
        "Kultur- och fritidsnämnden",
        "Fler unga har en meningsfull fritid",
        "grön",
        "Fritidsgården i Hovsjö öppnade igen och 340 ungdomar besökte den; 4 fritidsledare anställdes.",
    ),
    (None, "Södertälje kommun har trygga miljöer", "röd", "Kartläggning pågår."),
]


def _fact(con, doc_year, year, document, org, measure, amount, cell):
    insert_facts(
        con,
        "doc_id, doc_year, year, document, actor, budget_kind, organisation, line_item,"
        " measure, amount_sek, source_file, source_sheet, source_cell",
        [
            [f"doc-{document}-{doc_year}", doc_year, year, document, "kommunen", "drift", org,
             org, measure, amount, f"{document}-{doc_year}.xlsx", "Drift", cell]
        ],
    )  # fmt: skip


def make_db(config, tmp_path):
    """Budgets 2024 and 2025 (KS shrinks in fixed prices), a delårsrapport with prognos and
    goals, a price index in a private data folder, and the marts built."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "price_index.csv").write_text(
        "# Test index\nyear;index\n2024;100\n2025;103\n", encoding="utf-8"
    )
    cfg = dataclasses.replace(config, data_dir=data)
    with write_transaction(cfg.db_path) as con:
        for doc, year, period in (
            ("budget", 2024, None),
            ("budget", 2025, None),
            ("delarsrapport", 2025, "2025-08"),
        ):
            con.execute(
                "insert into documents (doc_id, file_name, importer, document, doc_year, period,"
                " actor) values (?, ?, 'workbook', ?, ?, ?, 'kommunen')",
                [f"doc-{doc}-{year}", f"{doc}-{year}.xlsx", doc, year, period],
            )
        growth = {
            "Socialnämnden": 1.05,
            "Kultur- och fritidsnämnden": 1.10,
            "Kommunstyrelsen": 1.01,
        }
        for i, (org, amount) in enumerate(ORGS.items()):
            _fact(con, 2024, 2024, "budget", org, "budget", amount, f"C{i + 2}")
            _fact(con, 2025, 2025, "budget", org, "budget", amount * growth[org], f"C{i + 2}")
            _fact(
                con,
                2025,
                2025,
                "delarsrapport",
                org,
                "prognos",
                amount * growth[org] * 1.02,
                f"E{i + 2}",
            )
        # Socialnämnden's 2025 budget also in verksamhet lines (another table of the same
        # document): the nämnd's own total and its lines must not be added together.
        for line, share, cell in (
            ("Individ- och familjeomsorg", 0.6, "V2"),
            ("Bistånd", 0.4, "V3"),
        ):
            insert_facts(
                con,
                "doc_id, doc_year, year, document, actor, budget_kind, organisation, line_item,"
                " measure, amount_sek, source_file, source_sheet, source_cell",
                [
                    ["doc-budget-2025", 2025, 2025, "budget", "kommunen", "drift",
                     "Socialnämnden", line, "budget", ORGS["Socialnämnden"] * 1.05 * share,
                     "budget-2025.xlsx", "Verksamheter", cell]
                ],
            )  # fmt: skip
        for i, (org, goal, assessment, analysis) in enumerate(GOALS):
            con.execute(
                "insert into goal_rows (doc_id, doc_year, period, organisation, goal, assessment,"
                " analysis, source_file, source_sheet, source_cell)"
                " values ('doc-delarsrapport-2025', 2025, '2025-08', ?, ?, ?, ?,"
                " 'delarsrapport-2025.xlsx', 'Mål', ?)",
                [org, goal, assessment, analysis, f"B{i + 5}"],
            )
        for year, value in ((2024, 6.0), (2025, 5.8)):
            con.execute(
                "insert into stat_rows (doc_id, source, dataset, region_code, measure_code,"
                " measure_label, year, gender, value, kind, source_cell)"
                " values ('doc-kolada', 'Kolada', 'N31807', '0181', 'N31807',"
                " 'Ekonomiskt bistånd, andel', ?, 'T', ?, 'indicator', ?)",
                [year, value, f"rad {year}"],
            )
        marts.build_all(con, cfg)
    return cfg.db_path


@pytest.fixture
def db(config, tmp_path):
    return make_db(config, tmp_path)


def test_goal_table_money_and_flags(db):
    con = connect_read(db)
    table = goals.goal_table(con)
    assert table.height == len(GOALS)
    ks = table.filter(pl.col("organisation") == "Kommunstyrelsen").row(0, named=True)
    assert ks["budget"] == pytest.approx(505e6)
    assert ks["budget_prev"] == pytest.approx(500e6)
    assert ks["nominal_change"] == pytest.approx(0.01)
    assert ks["real_change"] == pytest.approx(1.01 / 1.03 - 1)
    assert ks["prognos"] == pytest.approx(505e6 * 1.02)
    assert ks["flag"] and "fasta priser" in ks["flag_reason"]
    assert ks["verdict"] == "internal" and "inre organisation" in ks["flag_reason"]
    kfn = table.filter(pl.col("organisation") == "Kultur- och fritidsnämnden").row(0, named=True)
    assert kfn["verdict"] == "action" and not kfn["flag"]
    assert kfn["real_change"] == pytest.approx(1.10 / 1.03 - 1)
    social = table.filter(pl.col("organisation") == "Socialnämnden").row(0, named=True)
    assert not social["flag"]  # yellow is never flagged
    assert social["budget"] == pytest.approx(1_050e6)  # own total and lines not added
    # the outcome linked in data/ord_mot_verkstad/goal_indicators.csv: lower is progress
    assert "2025: 5,8 (året innan 6,0, framsteg)" in social["outcome"]
    assert ks["outcome"] is None
    whole = table.filter(pl.col("organisation").is_null()).row(0, named=True)
    assert whole["money_of"] == goals.WHOLE_MUNICIPALITY
    growth = (1.05, 1.10, 1.01)
    total = sum(a * g for a, g in zip(ORGS.values(), growth, strict=True))
    assert whole["budget"] == pytest.approx(total)


def _app() -> AppTest:
    return (
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        .run()
        .switch_page(str(ROOT / "pages" / "ord_mot_verkstad.py"))
        .run()
    )


def test_page_shows_goals_money_and_flags(db):
    at = _app()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    con = connect_read(db)
    n_goals = con.execute("select count(*) from goals").fetchall()[0][0]
    assert metrics["Mål"] == fmt.number(n_goals)
    assert metrics["Gröna"] == "2"
    assert metrics["Gröna, men inget hände"] == "1"
    flags = [m.value for m in at.markdown if "Grön, men inget hände" in m.value]
    assert len(flags) == 1 and "växte inte i fasta priser" in flags[0]
    budget_ks = con.execute(
        "select sum(amount_sek)::double from facts where organisation = 'Kommunstyrelsen' "
        "and year = 2025 and document = 'budget' and measure = 'budget'"
    ).fetchall()[0][0]
    text = " ".join(m.value for m in at.markdown)
    assert f"budget 2025 {fmt.sek(budget_ks)}" in text
    assert ":orange-background[samordning]" in text
    # only the flagged, then one nämnd
    at.toggle(key="omv_flagged").set_value(True).run()
    assert not at.exception
    assert at.subheader[0].value == "1 mål"
    at.toggle(key="omv_flagged").set_value(False).run()
    at.selectbox(key="omv_org").set_value("Kultur- och fritidsnämnden").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Mål"] == "1"


def test_page_without_goals(config):
    with write_transaction(config.db_path):
        pass
    at = _app()
    assert not at.exception
    assert any("Inga mål inlästa" in i.value for i in at.info)


def test_report_choices_newest_first_then_all():
    frame = pl.DataFrame(
        {"doc_year": [2025, 2025, 2024], "period": ["2025-08", None, None], "goal": ["a", "b", "c"]}
    )
    choices = goals.report_choices(frame)
    assert choices == [(2025, None), (2025, "2025-08"), (2024, None), goals.ALL_REPORTS]
    assert goals.in_report(frame, (2025, "2025-08"))["goal"].to_list() == ["a"]
    assert goals.in_report(frame, (2025, None))["goal"].to_list() == ["b"]
    assert goals.in_report(frame, goals.ALL_REPORTS).height == 3


def test_proposals_money_line():
    fund = pl.DataFrame(
        {
            "proposal_id": ["p1", "p1", "p2"],
            "year": [2024, 2025, 2025],
            "document": ["budget"] * 3,
            "measure": ["budget"] * 3,
            "amount_sek": [10e6, 10.5e6, 4e6],
            "amount_fixed_sek": [10.3e6, 10.5e6, 4e6],
            "amount_per_invanare": [None, None, None],
        },
        schema_overrides={"amount_per_invanare": pl.Float64},
    )
    text = goals.proposals_money(fund, [("p1", "Fältassistenter"), ("p2", "Läxhjälp")], 2025)
    assert text == (
        f"Fältassistenter: {fmt.sek(10.5e6)} (+{fmt.sek(0.2e6)} i fasta priser); "
        f"Läxhjälp: {fmt.sek(4e6)}"
    )
    assert goals.proposals_money(fund, [("p3", "Inget")], 2025) is None
