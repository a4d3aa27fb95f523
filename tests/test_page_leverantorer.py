"""The Leverantörer page: charts, filters, top suppliers and links to the program."""

from __future__ import annotations

import shutil

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pipelines.config import ROOT
from pipelines.db import write_transaction
from pipelines.ingest import IngestOptions, ingest
from pipelines.payments import classify
from pipelines.payments.demo import payments_frame, write_csv

PROGRAM_FILE = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"
BUDGET = {"Socialnämnden": 300_000_000.0, "Utbildningsnämnden": 200_000_000.0}


def table(at, column: str):
    """The first dataframe on the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def frames():
    return {year: payments_frame(year, rows=300, seed=year, budget=BUDGET) for year in (2024, 2025)}


@pytest.fixture
def app(config, tmp_path):
    files = [PROGRAM_FILE]
    for year, frame in frames().items():
        files.append(write_csv(frame, tmp_path / f"betalningar-{year}.csv", title="Demo"))
    reports = ingest(files, IngestOptions(config=config))
    assert [r.status for r in reports] == ["accepted"] * 3, [r.reason for r in reports]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/leverantorer.py").run()
    assert not at.exception
    return at


def test_page_shows_trend_top_suppliers_and_linked_proposals(app):
    assert app.title[0].value == "Leverantörer"
    top = table(app, "Leverantör")
    assert len(top) == 20
    both = pl.concat(frames().values())
    per_supplier = (
        both.group_by("supplier").agg(pl.col("amount").sum()).sort("amount", descending=True)
    )
    assert list(top["Leverantör"]) == per_supplier.get_column("supplier").head(20).to_list()
    assert set(top["Kategori"]) <= {
        "bemanning",
        "konsulter",
        "privata välfärdsaktörer",
        "idéburna",
        "kommunala bolag",
        "offentlig sektor",
        "övriga",
        "oklassad",
    }
    categories = table(app, "Andel av urvalet")
    assert list(categories["Kategori"])[0] == "privata välfärdsaktörer"
    links = " ".join(m.value for m in app.markdown)
    assert "forslaget?forslag=socialt-stod-omsorg--etablera-kommunala-hvb-hem" in links
    assert "mindre-beroende-av-bemanningsforetag" in links


def test_filters_narrow_the_selection(app):
    app.selectbox(key="ar").select("2025").run()
    app.selectbox(key="namnd").select("Socialnämnden").run()
    app.multiselect(key="kategorier").set_value(["bemanning"]).run()
    app.radio(key="upplosning").set_value("kvartal").run()
    assert not app.exception
    top = table(app, "Leverantör")
    assert set(top["Kategori"]) == {"bemanning"}
    assert all(name.startswith("Demo Vårdbemanning") for name in top["Leverantör"])
    links = " ".join(m.value for m in app.markdown)
    assert "bemanningsforetag" in links and "hvb-hem" not in links


def test_page_without_payments_says_how_to_load_them(config):
    ingest([PROGRAM_FILE], IngestOptions(config=config))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/leverantorer.py").run()
    assert not at.exception
    assert "Inga leverantörsbetalningar är inlästa" in at.info[0].value


def test_page_warns_when_rules_changed_since_classification(app, config):
    assert not app.warning or "Regelfilen" not in app.warning[0].value
    with write_transaction(config.db_path) as con:
        con.execute("delete from supplier_rules where rule_id = ?", ["ovriga-konto"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/leverantorer.py").run()
    assert not at.exception
    assert any("verkstad suppliers reclassify" in w.value for w in at.warning)


def test_editor_adds_and_removes_a_rule(app, config, tmp_path, monkeypatch):
    rules = tmp_path / "rules" / "rules.csv"
    rules.parent.mkdir()
    shutil.copy(classify.RULES_FILE, rules)
    monkeypatch.setattr(classify, "RULES_FILE", rules)
    monkeypatch.setattr(classify, "AUDIT_FILE", rules.parent / "audit.jsonl")
    app.run()
    assert "Ändra klassningsregler" not in [s.value for s in app.subheader]  # not logged in

    app.session_state["verkstad_editor"] = "anna"
    app.run()
    assert "Ändra klassningsregler" in [s.value for s in app.subheader]
    unclassified = table(app, "Leverantör")
    app.text_input(key="regel_id").input("tjanster-hb")
    app.selectbox(key="regel_kategori").select("övriga")
    app.text_input(key="regel_namn").input(r"tjänster hb$")
    app.text_input(key="regel_varfor").input("Små tjänsteföretag räknas som övriga")
    next(b for b in app.button if b.label == "Lägg till regel").click().run()
    assert not app.exception
    assert [s.value for s in app.success][0].startswith("Sparat och omklassat")
    assert "oklassad" not in set(table(app, "Andel av urvalet")["Kategori"])
    assert len(unclassified) > 0
    log = classify.read_audit()
    assert (log[-1]["who"], log[-1]["action"], log[-1]["rule_id"]) == ("anna", "add", "tjanster-hb")

    app.selectbox(key="regel_ta_bort").select("tjanster-hb").run()
    app.text_input(key="regel_varfor_bort").input("Fel kategori").run()
    app.button(key="regel_ta_bort_knapp").click().run()
    assert not app.exception
    assert "oklassad" in set(table(app, "Andel av urvalet")["Kategori"])
    assert classify.read_audit()[-1]["why"] == "Fel kategori"


def test_download_tables_have_swedish_headings_and_exact_amounts(app, config):
    from pipelines.db import connect_read
    from pipelines.export.tables import to_csv_bytes
    from pipelines.payments import present
    from pipelines.payments import queries as q

    con = connect_read(config.db_path)
    top = present.for_export(q.top_suppliers(con, None, None, None, 5))
    con.close()
    assert top.columns == [
        "Leverantör", "Org.nr", "Kategori", "Regel", "Belopp (kr)", "Betalningar", "Andel",
    ]  # fmt: skip
    both = pl.concat(frames().values())
    first = both.filter(pl.col("supplier") == top["Leverantör"][0])["amount"].sum()
    assert top["Belopp (kr)"][0] == first
    assert to_csv_bytes(top).decode("utf-8-sig").startswith("Leverantör;Org.nr;Kategori")
