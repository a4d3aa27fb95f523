"""Layout features of real municipal workbooks, each in a small workbook built in tmp_path."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import polars as pl
import pytest
from openpyxl.styles import Font, PatternFill

from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest
from pipelines.sources.facts import _row_flags


def run(config, *paths, **kw):
    return ingest(list(paths), IngestOptions(config=config, **kw))


def query(config, sql, params=()):
    con = connect_read(config.db_path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def facts(config):
    """Every fact as a whole row, in sheet and cell order."""
    return query(
        config,
        "select doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
        " measure, amount_sek, source_file, source_sheet, source_cell from facts"
        " order by source_sheet, regexp_extract(source_cell, '[A-Z]+'),"
        " cast(regexp_extract(source_cell, '[0-9]+') as integer)",
    )


def D(x) -> Decimal:  # noqa: N802
    return Decimal(str(x)).quantize(Decimal("0.01"))


def book(tmp_path, name, sheets: dict[str, list[list]], merges=None, styles=None, theme=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
        for ref, style in (styles or {}).get(title, {}).items():
            for attr, value in style.items():
                setattr(ws[ref], attr, value)
    if theme is not None:
        wb.loaded_theme = theme
    path = tmp_path / name
    wb.save(path)
    return path


def test_delarsrapport_two_row_merged_header_negative_costs(tmp_path, config):
    rows = [
        ["Delårsrapport 2 2025"],
        ["Driftredovisning per nämnd", None, None, None, None, None],
        ["(tkr)"],
        [None, "Jan–aug", None, "Helår 2025", None, None],
        ["Nämnd", "Budget", "Utfall", "Budget", "Prognos", "Avvikelse"],
        ["Utbildningsnämnden", -2000, -1900, -3000, -2950, 50],
        ["Socialnämnden", -800, -850, -1200, -1260, -60],
        ["Summa nämnder", -2800, -2750, -4200, -4210, -10],
    ]
    path = book(tmp_path, "dr2.xlsx", {"Drift": rows}, merges={"Drift": ["B4:C4", "D4:F4"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("delarsrapport", 2025)
    f, s = "dr2.xlsx", "Drift"
    un, sn = "Utbildningsnämnden", "Socialnämnden"
    common = (2025, 2025, "delarsrapport", "kommunen", "drift")
    assert facts(config) == [
        (*common, "2025-08", un, un, "budget", D(2_000_000), f, s, "B6"),
        (*common, "2025-08", sn, sn, "budget", D(800_000), f, s, "B7"),
        (*common, "2025-08", un, un, "utfall", D(1_900_000), f, s, "C6"),
        (*common, "2025-08", sn, sn, "utfall", D(850_000), f, s, "C7"),
        (*common, None, un, un, "budget", D(3_000_000), f, s, "D6"),
        (*common, None, sn, sn, "budget", D(1_200_000), f, s, "D7"),
        (*common, None, un, un, "prognos", D(2_950_000), f, s, "E6"),
        (*common, None, sn, sn, "prognos", D(1_260_000), f, s, "E7"),
        (*common, None, un, un, "avvikelse", D(50_000), f, s, "F6"),
        (*common, None, sn, sn, "avvikelse", D(-60_000), f, s, "F7"),
    ]
    assert report.details["period"] == "2025-08"
    assert any("negativa" in t for t in report.details["tecken"])
    assert "5 av 5 summor stämmer på kronan" in report.details["avstämning"]


def test_avvikelse_published_as_prognos_minus_budget_is_flipped(tmp_path, config):
    rows = [
        ["Delårsrapport 1 2025, mnkr"],
        ["Nämnd", "Budget 2025", "Prognos 2025", "Avvikelse"],
        ["Tekniska nämnden", 100, 110, 10],
        ["Miljönämnden", 20, 18, -2],
    ]
    (report,) = run(config, book(tmp_path, "dr1.xlsx", {"DR1": rows}))
    assert report.status == "accepted", report.reason
    avv = [r for r in facts(config) if r[8] == "avvikelse"]
    assert [(r[6], r[9]) for r in avv] == [
        ("Tekniska nämnden", D(-10_000_000)),
        ("Miljönämnden", D(2_000_000)),
    ]
    table = report.details["_tabeller"][0]
    assert any("vändes" in note for note in table["avvikelse"])


def test_text_numbers_dashes_and_notes(tmp_path, config):
    rows = [
        ["Budget 2026"],
        ["Belopp i tkr"],
        ["Verksamhet", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", "1 234,5", 1],
        ["Revisionen", "1\u00a0234", 1],
        ["Valnämnden", "−1 234", 1],
        ["Överförmyndarnämnden", "(1 234)", 1],
        ["Kommunfullmäktige", "-", 1],
        ["Miljönämnden", "–", 1],
        ["Tekniska nämnden", None, 1],
        ["Stadsbyggnadsnämnden", "12,3*", 1],
        ["Socialnämnden", "uppgift saknas", 1],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"B": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[6], r[9], r[12]) for r in facts(config) if r[8] == "budget"]
    assert got == [
        ("Kommunstyrelsen", D(1_234_500), "B4"),
        ("Revisionen", D(1_234_000), "B5"),
        ("Valnämnden", D(-1_234_000), "B6"),
        ("Överförmyndarnämnden", D(-1_234_000), "B7"),
        ("Kommunfullmäktige", D(0), "B8"),
        ("Miljönämnden", D(0), "B9"),
        ("Stadsbyggnadsnämnden", D(12_300), "B11"),
    ]
    col = report.details["_tabeller"][0]["kolumner"]["B3"]
    assert (col["tal"], col["noll (streck)"], col["saknas (tom)"]) == (5, 2, 1)
    assert col["text (ej tal, saknas)"] == ["B12 'uppgift saknas'"]


def test_two_level_table_with_subtotals_and_a_difference(tmp_path, config):
    rows = [
        ["Mål och budget 2026"],
        ["Driftbudget per verksamhet, mnkr"],
        [],
        ["Nämnd/verksamhet", "Budget 2026"],
        ["Utbildningsnämnden", 10],
        ["Förskola", 4],
        ["Grundskola", 6],
        ["Kultur- och fritidsnämnden", 3],
        ["Bibliotek", 1],
        ["Kulturskola", 2],
        ["Summa nämnder", 13],
        ["Revisionen", 1],
        ["Totalt", 20],
    ]
    (report,) = run(config, book(tmp_path, "mob-2026.xlsx", {"Verksamheter": rows}))
    assert report.status == "accepted", report.reason
    common = (2026, 2026, "budget", "kommunen", "drift", None)
    f, s = "mob-2026.xlsx", "Verksamheter"
    assert facts(config) == [
        (*common, "Utbildningsnämnden", "Förskola", "budget", D(4_000_000), f, s, "B6"),
        (*common, "Utbildningsnämnden", "Grundskola", "budget", D(6_000_000), f, s, "B7"),
        (*common, "Kultur- och fritidsnämnden", "Bibliotek", "budget", D(1_000_000), f, s, "B9"),
        (*common, "Kultur- och fritidsnämnden", "Kulturskola", "budget", D(2_000_000), f, s, "B10"),
        (*common, "Revisionen", "Revisionen", "budget", D(1_000_000), f, s, "B12"),
    ]
    recon = query(
        config,
        "select total_label, total_cell, expected_sek, computed_sek, difference_sek, status"
        " from table_reconciliations order by cast(regexp_extract(total_cell, '[0-9]+') as int)",
    )
    assert recon == [
        ("Utbildningsnämnden", "B5", D(10_000_000), D(10_000_000), D(0), "ok"),
        ("Kultur- och fritidsnämnden", "B8", D(3_000_000), D(3_000_000), D(0), "ok"),
        ("Summa nämnder", "B11", D(13_000_000), D(13_000_000), D(0), "ok"),
        ("Totalt", "B13", D(20_000_000), D(14_000_000), D(6_000_000), "differens"),
    ]
    messages = [m.replace("\u00a0", " ") for m in report.messages]
    assert any("'Totalt'" in m and "differens 6 000 000,00 kr" in m for m in messages)


def test_several_tables_and_sheets_investments_with_kommundel(tmp_path, config):
    drift = [
        ["Mål och budget 2026"],
        ["Driftbudget (mnkr)"],
        ["Nämnd", "Budget 2026"],
        ["Kommundelsnämnden Järna", 50],
        ["Kommundelsnämnden Enhörna", 20],
        [],
        ["Investeringsbudget per projekt (mnkr)"],
        ["Projekt", "Kommundel", "Budget 2026", "Plan 2027"],
        ["Ny förskola", "Järna", 12, 8],
        ["Idrottshall", "Hölö-Mörkö", 30, "-"],
        ["Summa investeringar", None, 42, 8],
    ]
    other = [
        ["Bolagen, tkr"],
        ["Bolag", "Budget 2026"],
        ["Telge Bostäder AB", 500],
    ]
    path = book(tmp_path, "budget2026.xlsx", {"Drift": drift, "Bolag": other})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert len(report.details["tabeller"]) == 3
    rows = query(
        config,
        "select budget_kind, year, organisation, line_item, measure, amount_sek, kommundel,"
        " source_sheet, source_cell from fact_rows order by source_sheet,"
        " regexp_extract(source_cell, '[A-Z]+'), cast(regexp_extract(source_cell, '[0-9]+') as int)",
    )
    kommun = "Södertälje kommun"
    assert rows == [
        ("drift", 2026, "Telge Bostäder AB", "Telge Bostäder AB", "budget", D(500_000), None, "Bolag", "B3"),
        ("drift", 2026, "Kommundelsnämnden Järna", "Kommundelsnämnden Järna", "budget", D(50_000_000), None, "Drift", "B4"),
        ("drift", 2026, "Kommundelsnämnden Enhörna", "Kommundelsnämnden Enhörna", "budget", D(20_000_000), None, "Drift", "B5"),
        ("investering", 2026, kommun, "Ny förskola", "budget", D(12_000_000), "Järna", "Drift", "C9"),
        ("investering", 2026, kommun, "Idrottshall", "budget", D(30_000_000), "Hölö-Mörkö", "Drift", "C10"),
        ("investering", 2027, kommun, "Ny förskola", "plan", D(8_000_000), "Järna", "Drift", "D9"),
        ("investering", 2027, kommun, "Idrottshall", "plan", D(0), "Hölö-Mörkö", "Drift", "D10"),
    ]  # fmt: skip


def test_csv_semicolon_decimal_comma_cp1252_and_bom(tmp_path, config):
    text = (
        "Bokslut 2024;;\n"
        "Belopp i tkr;;\n"
        "Nämnd;Utfall 2024;Budget 2024\n"
        "Äldreomsorgsnämnden;1 234,5;1 200\n"
        "Miljönämnden;−12,5;10\n"
        "Totalt;1 222,0;1 210\n"
    )
    cp = tmp_path / "bokslut-2024.csv"
    cp.write_bytes(text.replace("−", "-").encode("cp1252"))
    bom = tmp_path / "bokslut-2024-utf8.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("Bokslut", "Årsredovisning").encode("utf-8"))
    reports = run(config, cp, bom)
    assert [r.status for r in reports] == ["accepted", "accepted"], [r.reason for r in reports]
    # same identity (bokslut 2024): the second replaces the first
    assert any("ersätter tidigare version" in m for m in reports[1].messages)
    common = (2024, 2024, "bokslut", "kommunen", "drift", None)
    f, s = "bokslut-2024-utf8.csv", "bokslut-2024-utf8"
    ao, mn = "Äldreomsorgsnämnden", "Miljönämnden"
    assert facts(config) == [
        (*common, ao, ao, "utfall", D(1_234_500), f, s, "B4"),
        (*common, mn, mn, "utfall", D(-12_500), f, s, "B5"),
        (*common, ao, ao, "budget", D(1_200_000), f, s, "C4"),
        (*common, mn, mn, "budget", D(10_000), f, s, "C5"),
    ]
    assert "2 av 2 summor stämmer på kronan" in reports[1].details["avstämning"]


def test_party_proposal_rams_difference_and_satsningar(tmp_path, config):
    rows = [
        ["Vänsterpartiets budgetförslag 2026"],
        ["Belopp i mnkr"],
        ["Nämnd", "Majoritetens ram", "V:s ram", "Differens"],
        ["Kultur- och fritidsnämnden", 180, 190, 10],
        ["Socialnämnden", 900, 925, 25],
        ["Summa", 1080, 1115, 35],
        [],
        ["Våra satsningar"],
        ["Kultur- och fritidsnämnden"],
        ["Avgiftsfri kulturskola 6,0 mnkr"],
        ["Fler öppna fritidsgårdar 4 mnkr"],
    ]
    (report,) = run(config, book(tmp_path, "v-budget.xlsx", {"Förslag": rows}))
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("forslag", 2026)
    kfn, sn = "Kultur- och fritidsnämnden", "Socialnämnden"
    f, s = "v-budget.xlsx", "Förslag"
    base = (2026, 2026, "forslag")
    assert facts(config) == [
        (*base, "V", "drift", None, kfn, "Avgiftsfri kulturskola", "budget", D(6_000_000), f, s, "A10"),
        (*base, "V", "drift", None, kfn, "Fler öppna fritidsgårdar", "budget", D(4_000_000), f, s, "A11"),
        (*base, "majoriteten", "drift", None, kfn, kfn, "budget", D(180_000_000), f, s, "B4"),
        (*base, "majoriteten", "drift", None, sn, sn, "budget", D(900_000_000), f, s, "B5"),
        (*base, "V", "drift", None, kfn, kfn, "budget", D(190_000_000), f, s, "C4"),
        (*base, "V", "drift", None, sn, sn, "budget", D(925_000_000), f, s, "C5"),
    ]  # fmt: skip
    assert any("Differens" in m and "stämmer" in m for m in report.messages)


def test_goals_from_words_symbols_and_fill_colour(tmp_path, config):
    rows = [
        ["Delårsrapport 2 2025 – måluppfyllelse"],
        ["Mål", "Nämnd", "Bedömning", "Analys"],
        ["Fler elever ska nå målen", "UN", "Delvis uppfyllt", "Förbättring i åk 9"],
        ["Kortare väntetider", "Socialnämnden", "✔", None],
        ["Tryggare centrum", "Kommunstyrelsen", None, "Ny samverkan"],
        ["Minskade utsläpp", "Miljönämnden", "Ej uppfyllt", "Mer behövs"],
        ["Fler bostäder", "Stadsbyggnadsnämnden", "●", None],
    ]
    styles = {
        "Mål": {
            "C5": {"fill": PatternFill("solid", fgColor="FF00B050")},
            "C7": {"font": Font(color="FFFF0000")},
        }
    }
    (report,) = run(config, book(tmp_path, "dr2-mal-2025.xlsx", {"Mål": rows}, styles=styles))
    assert report.status == "accepted", report.reason
    goals = query(
        config,
        "select doc_year, period, organisation, goal, assessment, analysis, source_file,"
        " source_cell, source_sheet from goals order by source_cell",
    )
    f = "dr2-mal-2025.xlsx"
    assert goals == [
        (2025, "2025-08", "Utbildningsnämnden", "Fler elever ska nå målen", "gul", "Förbättring i åk 9", f, "A3", "Mål"),
        (2025, "2025-08", "Socialnämnden", "Kortare väntetider", "grön", None, f, "A4", "Mål"),
        (2025, "2025-08", "Kommunstyrelsen", "Tryggare centrum", "grön", "Ny samverkan", f, "A5", "Mål"),
        (2025, "2025-08", "Miljönämnden", "Minskade utsläpp", "röd", "Mer behövs", f, "A6", "Mål"),
        (2025, "2025-08", "Stadsbyggnadsnämnden", "Fler bostäder", "röd", None, f, "A7", "Mål"),
    ]  # fmt: skip


def test_demo_marker_sets_is_demo(tmp_path, config):
    rows = [
        ["Mål och budget 2026 — Demodata — påhittade belopp"],
        ["tkr"],
        ["Nämnd", "Budget 2026"],
        ["Miljönämnden", 100],
    ]
    (report,) = run(config, book(tmp_path, "demo.xlsx", {"B": rows}))
    assert report.status == "accepted"
    assert query(config, "select is_demo, identity from documents") == [
        (True, "demo|budget|kommunen|2026|")
    ]


def test_nämnd_and_verksamhet_columns_with_group_sums(tmp_path, config):
    rows = [
        ["Bokslut 2024"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Verksamhet", "Utfall 2024", "Budget 2024"],
        ["Utbildningsnämnden", "Förskola", 400, 410],
        [None, "Grundskola", 600, 590],
        ["Summa Utbildningsnämnden", None, 1000, 1000],
        ["Nya nämnden", "Projekt X", 5, 5],
        ["Summa", None, 1005, 1005],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    common = (2024, 2024, "bokslut", "kommunen", "drift", None)
    un = "Utbildningsnämnden"
    assert facts(config) == [
        (*common, un, "Förskola", "utfall", D(400_000), f, s, "C4"),
        (*common, un, "Grundskola", "utfall", D(600_000), f, s, "C5"),
        (*common, "Nya nämnden", "Projekt X", "utfall", D(5_000), f, s, "C7"),
        (*common, un, "Förskola", "budget", D(410_000), f, s, "D4"),
        (*common, un, "Grundskola", "budget", D(590_000), f, s, "D5"),
        (*common, "Nya nämnden", "Projekt X", "budget", D(5_000), f, s, "D7"),
    ]
    assert "4 av 4 summor stämmer på kronan" in report.details["avstämning"]
    assert any("okända organisationer" in m and "Nya nämnden" in m for m in report.messages)


def test_indented_layout_and_organisation_subtotal_rows(tmp_path, config):
    # column A: nämnd with its own subtotal, column B: verksamheter; a code before a name
    indented = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", None, "Budget 2026", "Andel %"],
        ["Utbildningsnämnden", None, 1000, 0.8],
        [None, "Förskola", 400, 0.3],
        [None, "Grundskola", 600, 0.5],
        ["1400 Miljönämnden", None, 250, 0.2],
        ["Summa", None, 1250, 1],
    ]
    org_column = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Verksamhet", "Budget 2026"],
        ["Socialnämnden", None, 900],
        [None, "Individ- och familjeomsorg", 500],
        [None, "Försörjningsstöd", 400],
        ["Valnämnden", None, 3],
        ["Totalt", None, 903],
    ]
    path = book(tmp_path, "mob-2026.xlsx", {"A": indented, "B": org_column})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f = "mob-2026.xlsx"
    common = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*common, "Utbildningsnämnden", "Förskola", "budget", D(400_000), f, "A", "C4"),
        (*common, "Utbildningsnämnden", "Grundskola", "budget", D(600_000), f, "A", "C5"),
        (*common, "Miljönämnden", "1400 Miljönämnden", "budget", D(250_000), f, "A", "C6"),
        (*common, "Socialnämnden", "Individ- och familjeomsorg", "budget", D(500_000), f, "B", "C4"),
        (*common, "Socialnämnden", "Försörjningsstöd", "budget", D(400_000), f, "B", "C5"),
        (*common, "Valnämnden", "Valnämnden", "budget", D(3_000), f, "B", "C6"),
    ]  # fmt: skip
    assert "4 av 4 summor stämmer på kronan" in report.details["avstämning"]
    ignored = report.details["_tabeller"][0]["ignorerade kolumner"]
    assert ignored == ["D2 'Andel %'"]


def test_summary_sheet_and_detail_sheet_are_not_counted_twice(tmp_path, config):
    per_namnd = [
        ["Mål och budget 2026 (mnkr)"],
        ["Nämnd", "Bokslut 2024", "Budget 2026"],
        ["Utbildningsnämnden", 95, 100],
        ["Miljönämnden", 4, 5],
        ["Summa", 99, 105],
    ]
    per_verksamhet = [
        ["Utbildningsnämnden per verksamhet (mnkr)"],
        ["Verksamhet", "Budget 2026"],
        ["Förskola", 40],
        ["Grundskola", 60],
        ["Summa", 100],
    ]
    path = book(tmp_path, "mob.xlsx", {"Nämnder": per_namnd, "UN": per_verksamhet})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.facts == 5
    f = "mob.xlsx"
    common = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (2026, 2024, "budget", "kommunen", "drift", None, "Utbildningsnämnden", "Utbildningsnämnden", "utfall", D(95_000_000), f, "Nämnder", "B3"),
        (2026, 2024, "budget", "kommunen", "drift", None, "Miljönämnden", "Miljönämnden", "utfall", D(4_000_000), f, "Nämnder", "B4"),
        (*common, "Miljönämnden", "Miljönämnden", "budget", D(5_000_000), f, "Nämnder", "C4"),
        (*common, "Utbildningsnämnden", "Förskola", "budget", D(40_000_000), f, "UN", "B3"),
        (*common, "Utbildningsnämnden", "Grundskola", "budget", D(60_000_000), f, "UN", "B4"),
    ]  # fmt: skip
    covered = query(
        config,
        "select source_sheet, total_label, total_cell, expected_sek, computed_sek, status"
        " from table_reconciliations where table_range = 'UN (poster)'",
    )
    assert covered == [
        ("Nämnder", "Utbildningsnämnden", "C3", D(100_000_000), D(100_000_000), "ok")
    ]
    assert any("inget räknas två gånger" in m for m in report.messages)


def test_hidden_sheet_is_not_read(tmp_path, config):
    visible = [["Mål och budget 2026, tkr"], ["Nämnd", "Budget 2026"], ["Miljönämnden", 100]]
    workings = [["Pivot"], ["Nämnd", "Budget 2026"], ["Miljönämnden", 100]]
    path = book(tmp_path, "mob.xlsx", {"Budget": visible, "Underlag": workings})
    wb = openpyxl.load_workbook(path)
    wb["Underlag"].sheet_state = "hidden"
    wb.save(path)
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert [(r[6], r[9], r[11]) for r in facts(config)] == [("Miljönämnden", D(100_000), "Budget")]
    assert "dolda blad lästes inte: 'Underlag'" in report.messages


def test_year_only_headers_and_measure_above_years(tmp_path, config):
    years_only = [
        ["Mål och budget 2026"],
        ["Nettokostnad per nämnd, mnkr"],
        ["Nämnd", 2024, 2025, 2026, 2027],
        ["Miljönämnden", 1, 2, 3, 4],
    ]
    measure_above = [
        ["Mål och budget 2026, mnkr"],
        [None, "Bokslut", "Budget", None],
        ["Nämnd", 2024, 2025, 2026],
        ["Valnämnden", 5, 6, 7],
    ]
    path = book(
        tmp_path, "mob.xlsx", {"A": years_only, "B": measure_above}, merges={"B": ["C2:D2"]}
    )
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    got = [(r[11], r[12], r[1], r[8], r[9]) for r in facts(config)]
    assert got == [
        ("A", "B4", 2024, "utfall", D(1_000_000)),
        ("A", "C4", 2025, "budget", D(2_000_000)),
        ("A", "D4", 2026, "budget", D(3_000_000)),
        ("A", "E4", 2027, "plan", D(4_000_000)),
        ("B", "B4", 2024, "utfall", D(5_000_000)),
        ("B", "C4", 2025, "budget", D(6_000_000)),
        ("B", "D4", 2026, "budget", D(7_000_000)),
    ]
    assert any("rubriken säger bara år; tolkas som plan" in m for m in report.messages)


def test_total_above_its_rows_and_unit_in_the_header_row(tmp_path, config):
    rows = [
        ["Bokslut 2024"],
        ["Nämnd (tkr)", "Utfall 2024"],
        ["Kommunen totalt", 30],
        ["Miljönämnden", 10],
        ["Tekniska nämnden", 20],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"B": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[6], r[9]) for r in facts(config)] == [
        ("Miljönämnden", D(10_000)),
        ("Tekniska nämnden", D(20_000)),
    ]
    recon = query(
        config,
        "select total_label, expected_sek, computed_sek, terms, status from table_reconciliations",
    )
    assert recon == [("Kommunen totalt", D(30_000), D(30_000), 2, "ok")]


def test_cell_summary_in_the_report(tmp_path, config):
    rows = [
        ["Budget 2026, tkr"],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        ["Miljönämnden", 0, "-"],
        ["Valnämnden", "n/a", 7],
        ["Revisionen", 5, None],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"B": rows}))
    assert report.status == "accepted", report.reason
    assert report.details["celler"] == (
        "3 tal (varav 1 noll), 1 streck lästa som 0, 1 tomma (saknas), 1 text (saknas): B!B4 'n/a'"
    )


def test_posts_without_a_namnd_belong_to_the_kommun(tmp_path, config):
    rows = [
        ["Mål och budget 2026"],
        ["Beslutad av kommunfullmäktige i november 2025."],
        ["Social- och omsorgsnämnden delades 2023 i Socialnämnden, Omsorgsnämnden och "
         "Äldreomsorgsnämnden. Jämförelsetalen är inte omräknade."],
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2026"],
        ["Socialnämnden", 700],
        ["Miljönämnden", 20],
        ["Summa nämnder", 720],
        ["Pensioner och gemensamma poster", 80],
        ["Verksamhetens nettokostnad", 800],
        ["Skatteintäkter", 900],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "mob-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[6], r[7], r[9]) for r in facts(config)] == [
        ("Socialnämnden", "Socialnämnden", D(700_000)),
        ("Miljönämnden", "Miljönämnden", D(20_000)),
        ("Södertälje kommun", "Pensioner och gemensamma poster", D(80_000)),
    ]
    assert "2 av 2 summor stämmer på kronan" in report.details["avstämning"]
    assert any("poster utan nämnd fördes till Södertälje kommun" in m for m in report.messages)


@pytest.mark.parametrize(
    ("label", "total", "below"),
    [
        ("Summa nämnder", True, False),
        ("Totalsumma", True, False),
        ("Verksamhetens nettokostnader", True, False),
        ("Nettokostnad", True, False),
        ("Nettokostnad äldreomsorg", False, False),
        ("Nämnderna totalt", True, False),
        ("Kommunen totalt", True, False),
        ("Delsumma", True, False),
        ("Utbildningsnämnden", False, False),
        ("Sumpmarksprojektet", False, False),
        ("Finansförvaltningen", False, False),
        ("Skatteintäkter", False, True),
        ("Generella statsbidrag och utjämning", False, True),
        ("Finansnetto", False, True),
        ("Årets resultat", False, True),
        (None, True, False),
    ],
)
def test_total_and_below_the_result_wording(label, total, below):
    flags = _row_flags(pl.Series([label], dtype=pl.String))
    assert (flags["is_total"][0], flags["is_below"][0]) == (total, below)


@pytest.mark.parametrize(
    ("label", "detail"),
    [
        ("varav kommunledningskontoret", True),
        ("Varav näringslivsfrågor", True),
        ("  därav lokaler", True),
        ("- därav lokaler", True),
        ("– Därav lokaler", True),
        ("VARAV IT", True),
        ("Varavdelningen", False),
        ("Summa varav", False),
        ("Kommunstyrelsen", False),
        (None, False),
    ],
)
def test_varav_wording_is_a_detail_row(label, detail):
    flags = _row_flags(pl.Series([label], dtype=pl.String))
    assert flags["is_detail"][0] == detail


def test_varav_in_the_verksamhet_column_of_a_two_level_table(tmp_path, config):
    """Nämnd | Verksamhet with "varav ..." in the verksamhet column: a detail of the line
    above it, not a verksamhet of its own."""
    rows = [
        ["Budget 2026, tkr"],
        ["Nämnd", "Verksamhet", "Budget 2026"],
        ["Utbildningsnämnden", "Grundskola", 1200000],
        ["Utbildningsnämnden", "varav fritidshem", 150000],
        ["Utbildningsnämnden", "Gymnasieskola", 600000],
        ["Summa", None, 1800000],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    un = "Utbildningsnämnden"
    assert [r[6:10] for r in facts(config)] == [
        (un, "Grundskola", "budget", D(1_200_000_000)),
        (un, "Gymnasieskola", "budget", D(600_000_000)),
    ]
    assert query(config, "select status from table_reconciliations") == [("ok",)]
    assert report.details["_tabeller"][0]["rader"]["varav-rader (ej fakta)"] == 1


def test_avskrivningar_in_a_namnds_own_table_stay_its_costs(tmp_path, config):
    """A nämnd's table by kostnadsslag has "Avskrivningar" among its costs: they are the
    nämnd's, unlike a resultaträkning's (which is skipped as a whole), so "Avskrivningar"
    does not end the nämnd's costs."""
    rows = [
        ["Tekniska nämnden, tkr"],
        ["Kostnadsslag", "Budget 2026"],
        ["Intäkter", -50000],
        ["Personalkostnader", 120000],
        ["Avskrivningar", 30000],
        ["Övriga kostnader", 80500],
        ["Nettokostnad", 180500],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Tekniska": rows}))
    assert report.status == "accepted", report.reason
    tn = "Tekniska nämnden"
    assert [r[6:10] for r in facts(config)] == [
        (tn, "Intäkter", "budget", D(-50_000_000)),
        (tn, "Personalkostnader", "budget", D(120_000_000)),
        (tn, "Avskrivningar", "budget", D(30_000_000)),
        (tn, "Övriga kostnader", "budget", D(80_500_000)),
    ]
    # "Nettokostnad" alone is their sum, not a line of its own
    assert query(config, "select total_label, status from table_reconciliations") == [
        ("Nettokostnad", "ok")
    ]


def test_varav_under_a_heading_without_amounts_is_reported(tmp_path, config):
    """Varav rows right under a heading (no amounts) are parts of nothing counted: no
    facts, and the report names them instead of checking them against an earlier row."""
    rows = [
        ["Budget 2026, tkr"],
        ["Nämnd", "Budget 2026"],
        ["Miljönämnden", 20100],
        ["Kommunstyrelsen"],
        ["varav kommunledningskontoret", 300000],
        ["Summa", 320100],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [r[6:10] for r in facts(config)] == [
        ("Miljönämnden", "Miljönämnden", "budget", D(20_100_000)),
    ]
    assert any(
        "varav-rader utan rad med belopp ovanför sig att vara del av" in m and m.endswith("A5")
        for m in report.messages
    ), report.messages
    assert not any("större än raden ovanför" in m for m in report.messages), report.messages
    assert query(config, "select status from table_reconciliations") == [("differens",)]
