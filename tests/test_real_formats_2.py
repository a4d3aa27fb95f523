"""Workbooks laid out as municipalities publish them, second round: what Excel shows is not
what the cells store (scaled number formats, hidden rows and columns), and layouts that
read the same table another way.

Each test builds one workbook in tmp_path with openpyxl, loads it through `ingest` and
checks whole fact rows, the reconciliation and the report's messages.
"""

from __future__ import annotations

import openpyxl
from test_real_formats import D, facts, query, reconciliations, run


def book(tmp_path, name, rows, *, title="Drift", formats=None, hidden_rows=(),
         hidden_cols=(), merges=(), outline=None, summary_below=True):  # fmt: skip
    """One sheet; `formats` maps a cell range ("B4:C6") to a number format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng, code in (formats or {}).items():
        for line in ws[rng]:
            for cell in line:
                cell.number_format = code
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for c in hidden_cols:
        ws.column_dimensions[c].hidden = True
    for rng in merges:
        ws.merge_cells(rng)
    for r, level in (outline or {}).items():
        ws.row_dimensions[r].outlineLevel = level
    ws.sheet_properties.outlinePr.summaryBelow = summary_below
    path = tmp_path / name
    wb.save(path)
    return path


KS, UN, SN = "Kommunstyrelsen", "Utbildningsnämnden", "Socialnämnden"


def test_thousands_format_under_tkr_is_not_read_as_tkr(tmp_path, config):
    """Kronor stored, shown in thousands by the format '#,##0,' under "Belopp i tkr" (and
    in millions by '#,##0.0,,' under "mnkr"): Excel shows 412 635, the cell holds
    412 634 567. Read as the cell times the unit, every amount was 1 000 times too large
    and the totals still reconciled."""
    rows = [
        ["Mål och budget 2026"],
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        [KS, 412_634_567, 420_000_000],
        [UN, 2_345_800_120, 2_400_000_000],
        ["Summa", 2_758_434_687, 2_820_000_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, formats={"B4:C6": "#,##0,"})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    p = (2026, 2027, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_634_567), f, s, "B4"),
        (*c, UN, UN, "budget", D(2_345_800_120), f, s, "B5"),
        (*p, KS, KS, "plan", D(420_000_000), f, s, "C4"),
        (*p, UN, UN, "plan", D(2_400_000_000), f, s, "C5"),
    ]
    assert reconciliations(config) == [
        ("Summa", "B6", "budget", 2026, None, D(2_758_434_687), D(2_758_434_687), "ok"),
        ("Summa", "C6", "plan", 2027, None, D(2_820_000_000), D(2_820_000_000), "ok"),
    ]
    assert any(
        "B4:B6 visas i tusental (talformat '#,##0,')" in m and "delades med 1 000" in m
        for m in report.messages
    ), report.messages


def test_millions_format_under_mnkr(tmp_path, config):
    rows = [
        ["Delårsrapport 2 2026, driftredovisning (mnkr)"],
        ["Nämnd", "Budget 2026", "Utfall jan–aug 2026"],
        [KS, 412_600_000, 265_300_000],
        [SN, 1_234_500_000, 842_100_000],
    ]
    path = book(tmp_path, "dr2-2026.xlsx", rows, formats={"B3:C4": "#,##0.0,,"})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "dr2-2026.xlsx", "Drift"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    assert facts(config) == [
        (*c, None, KS, KS, "budget", D(412_600_000), f, s, "B3"),
        (*c, None, SN, SN, "budget", D(1_234_500_000), f, s, "B4"),
        (*c, "2026-08", KS, KS, "utfall", D(265_300_000), f, s, "C3"),
        (*c, "2026-08", SN, SN, "utfall", D(842_100_000), f, s, "C4"),
    ]
    assert any("B3:B4 visas i miljontal" in m for m in report.messages)


def test_hidden_columns_are_not_read(tmp_path, config):
    """Helper columns hidden beside the published ones: last year's budget and a second
    "Budget 2026" with working figures. Both were read (the second refused the file as a
    duplicated header); now only the shown columns are, and the hidden ones are named."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2025", "Budget 2026", "Budget 2026", "Plan 2027"],
        [KS, 400_000, 412_600, 999_999, 420_000],
        [UN, 2_300_000, 2_345_800, 1, 2_400_000],
        ["Summa", 2_700_000, 2_758_400, 1_000_000, 2_820_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, hidden_cols=["B", "D"])
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    p = (2026, 2027, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "C3"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "C4"),
        (*p, KS, KS, "plan", D(420_000_000), f, s, "E3"),
        (*p, UN, UN, "plan", D(2_400_000_000), f, s, "E4"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok", "ok"]
    assert (
        "blad 'Drift': dolda kolumner lästes inte (de syns inte i tabellen): "
        "B2 'Budget 2025', D2 'Budget 2026'"
    ) in report.messages
    table = report.details["_tabeller"][0]
    assert table["ignorerade kolumner"] == [
        "B2 'Budget 2025' (dold kolumn)",
        "D2 'Budget 2026' (dold kolumn)",
    ]


def test_hidden_rows_repeating_shown_lines_are_not_counted_twice(tmp_path, config):
    """Last version's lines kept hidden under the new ones, no total row to catch it: every
    nämnd was stored twice (two facts for the same line, measure and year)."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2026"],
        [KS, 412_600],
        [UN, 2_345_800],
        [KS, 410_000],
        [UN, 2_340_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, hidden_rows=[5, 6])
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "B3"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "B4"),
    ]
    assert (
        "blad 'Drift': 2 dolda rader upprepar rader som syns (A5, A6) och blev inga fakta "
        "(de hade räknats två gånger)"
    ) in report.messages
    assert (
        report.details["_tabeller"][0]["rader"]["dolda rader som upprepar synliga (ej fakta)"] == 2
    )


def test_hidden_detail_rows_under_a_shown_subtotal_are_read_and_named(tmp_path, config):
    """A nämnd's row shown, its verksamheter hidden (collapsed) below it: the verksamheter
    are the facts, the nämnd's row reconciles with them, and the report names the hidden
    rows."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd/verksamhet", "Budget 2026"],
        [UN, 2_345_800],
        ["Förskola", 845_800],
        ["Grundskola", 1_500_000],
        [SN, 1_234_500],
        ["Summa", 3_580_300],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, hidden_rows=[4, 5])
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, UN, "Förskola", "budget", D(845_800_000), f, s, "B4"),
        (*c, UN, "Grundskola", "budget", D(1_500_000_000), f, s, "B5"),
        (*c, SN, SN, "budget", D(1_234_500_000), f, s, "B6"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok", "ok"]
    assert any(
        m.startswith("blad 'Drift': 2 dolda rader lästes som vanliga rader (A4, A5)")
        for m in report.messages
    ), report.messages


def test_long_table_one_amount_per_row(tmp_path, config):
    """Nämnd | År | Typ | Belopp, as an ekonomisystem exports it: each row's measure and year
    are in its own cells. Read as a table with one amount column, every amount became the
    document's budget for 2026 with "Budget"/"Utfall" as the line item (the same line up to
    three times)."""
    rows = [
        ["Delårsrapport 2 2026"],
        ["Belopp i tkr"],
        ["Nämnd", "År", "Typ", "Belopp"],
        [KS, 2026, "Budget", 412_600],
        [KS, 2026, "Utfall jan–aug", 265_300],
        [KS, 2026, "Prognos helår", 405_900],
        [UN, 2026, "Budget", 2_345_800],
        [UN, 2026, "Utfall jan–aug", 1_570_200],
        [UN, 2026, "Prognos helår", 2_361_000],
        [KS, 2025, "Utfall jan–aug", 250_000],
        ["Summa nämnder", 2026, "Budget", 2_758_400],
    ]
    path = book(tmp_path, "DR2-2026-export.xlsx", rows)
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "DR2-2026-export.xlsx", "Drift"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    assert facts(config) == [
        (*c, None, KS, KS, "budget", D(412_600_000), f, s, "D4"),
        (*c, "2026-08", KS, KS, "utfall", D(265_300_000), f, s, "D5"),
        (*c, None, KS, KS, "prognos", D(405_900_000), f, s, "D6"),
        (*c, None, UN, UN, "budget", D(2_345_800_000), f, s, "D7"),
        (*c, "2026-08", UN, UN, "utfall", D(1_570_200_000), f, s, "D8"),
        (*c, None, UN, UN, "prognos", D(2_361_000_000), f, s, "D9"),
        (2026, 2025, "delarsrapport", "kommunen", "drift", "2025-08", KS, KS, "utfall",
         D(250_000_000), f, s, "D10"),
    ]  # fmt: skip
    assert reconciliations(config) == [
        ("Summa nämnder", "D11", "budget", 2026, None, D(2_758_400_000), D(2_758_400_000), "ok"),
    ]
    assert any(
        "D3 'Belopp': tabellen har ett belopp per rad (lång form); mått och år per rad ur "
        "B3 'År' och C3 'Typ'" in m
        for m in report.messages
    ), report.messages


def test_long_table_year_per_row(tmp_path, config):
    """Nämnd | År | Nettokostnad in Mål och budget 2026: the year in its own column decides
    outcome, budget or plan, as a column headed by its year does."""
    rows = [
        ["Mål och budget 2026, mnkr"],
        ["Nämnd", "År", "Nettokostnad"],
        [KS, 2024, 398.0],
        [KS, 2026, 412.6],
        [KS, 2027, 420.0],
        [UN, 2024, 2290.0],
        [UN, 2026, 2345.8],
        [UN, 2027, 2400.0],
        ["Summa", 2026, 2758.4],
        ["Summa", None, 7966.4],  # all years added: no year, not a fact, not reconciled
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows)
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    k = ("budget", "kommunen", "drift", None)
    assert facts(config) == [
        (2026, 2024, *k, KS, KS, "utfall", D(398_000_000), f, s, "C3"),
        (2026, 2026, *k, KS, KS, "budget", D(412_600_000), f, s, "C4"),
        (2026, 2027, *k, KS, KS, "plan", D(420_000_000), f, s, "C5"),
        (2026, 2024, *k, UN, UN, "utfall", D(2_290_000_000), f, s, "C6"),
        (2026, 2026, *k, UN, UN, "budget", D(2_345_800_000), f, s, "C7"),
        (2026, 2027, *k, UN, UN, "plan", D(2_400_000_000), f, s, "C8"),
    ]
    assert reconciliations(config) == [
        ("Summa", "C9", "budget", 2026, None, D(2_758_400_000), D(2_758_400_000), "ok"),
    ]
    assert any("1 rader med belopp saknar mått eller år i B2 'År'" in m for m in report.messages)


def test_outline_subtotal_with_a_plain_label(tmp_path, config):
    """Verksamheter grouped with Excel's outline (Data > Gruppera), the group's subtotal
    below it labelled like a line ("Grundskola" under "Grundskola F-6" and "Grundskola
    7-9"), no grand total: the subtotal was stored beside its parts (counted twice)."""
    rows = [
        ["Utbildningsnämnden, mål och budget 2026"],
        ["Belopp i tkr"],
        ["Verksamhet", "Budget 2026", "Plan 2027"],
        ["Förskola", 845_800, 850_000],
        ["Grundskola F-6", 900_000, 910_000],
        ["Grundskola 7-9", 600_000, 610_000],
        ["Grundskola", 1_500_000, 1_520_000],
        ["Gymnasium", 500_000, 505_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, outline={5: 1, 6: 1})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None, UN)
    p = (2026, 2027, "budget", "kommunen", "drift", None, UN)
    assert facts(config) == [
        (*c, "Förskola", "budget", D(845_800_000), f, s, "B4"),
        (*c, "Grundskola F-6", "budget", D(900_000_000), f, s, "B5"),
        (*c, "Grundskola 7-9", "budget", D(600_000_000), f, s, "B6"),
        (*c, "Gymnasium", "budget", D(500_000_000), f, s, "B8"),
        (*p, "Förskola", "plan", D(850_000_000), f, s, "C4"),
        (*p, "Grundskola F-6", "plan", D(910_000_000), f, s, "C5"),
        (*p, "Grundskola 7-9", "plan", D(610_000_000), f, s, "C6"),
        (*p, "Gymnasium", "plan", D(505_000_000), f, s, "C8"),
    ]
    assert reconciliations(config) == [
        ("Grundskola", "B7", "budget", 2026, None, D(1_500_000_000), D(1_500_000_000), "ok"),
        ("Grundskola", "C7", "plan", 2027, None, D(1_520_000_000), D(1_520_000_000), "ok"),
    ]
    assert (
        "blad 'Drift': 1 delsumma ur arbetsbokens gruppering (disposition) stäms av mot "
        "raderna i sin grupp och blev inga fakta: A7 'Grundskola'"
    ) in report.messages


def test_outline_nämnd_rows_below_their_verksamheter(tmp_path, config):
    """One label column, each nämnd's row below its grouped verksamheter (Excel's default
    summary position): the verksamheter belong to the nämnd below them, not to the one
    above, and the nämnd's row is their subtotal."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd / verksamhet", "Budget 2026"],
        ["Förskola", 845_800],
        ["Grundskola", 1_500_000],
        [UN, 2_345_800],
        ["Individ- och familjeomsorg", 600_000],
        ["Ekonomiskt bistånd", 634_500],
        [SN, 1_234_500],
        ["Summa", 3_580_300],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, outline={3: 1, 4: 1, 6: 1, 7: 1})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, UN, "Förskola", "budget", D(845_800_000), f, s, "B3"),
        (*c, UN, "Grundskola", "budget", D(1_500_000_000), f, s, "B4"),
        (*c, SN, "Individ- och familjeomsorg", "budget", D(600_000_000), f, s, "B6"),
        (*c, SN, "Ekonomiskt bistånd", "budget", D(634_500_000), f, s, "B7"),
    ]
    assert reconciliations(config) == [
        (UN, "B5", "budget", 2026, None, D(2_345_800_000), D(2_345_800_000), "ok"),
        (SN, "B8", "budget", 2026, None, D(1_234_500_000), D(1_234_500_000), "ok"),
        ("Summa", "B9", "budget", 2026, None, D(3_580_300_000), D(3_580_300_000), "ok"),
    ]


def test_unit_written_by_the_number_format(tmp_path, config):
    """No unit in any title or header, the cells formatted '#,##0 "tkr"' (Excel shows
    "412 600 tkr"): the amounts were taken as kronor, 1 000 times too small. Beside it a
    column in Excel's currency format ("kr") under a table that states no unit either."""
    rows = [
        ["Mål och budget 2026"],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        [KS, 412_600, 420_000_000],
        [UN, 2_345_800, 2_400_000_000],
        ["Summa", 2_758_400, 2_820_000_000],
    ]
    formats = {"B3:B5": '#,##0 "tkr"', "C3:C5": '_-* #,##0 "kr"_-;-* #,##0 "kr"_-'}
    path = book(tmp_path, "Budget-2026.xlsx", rows, formats=formats)
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    p = (2026, 2027, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "B3"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "B4"),
        (*p, KS, KS, "plan", D(420_000_000), f, s, "C3"),
        (*p, UN, UN, "plan", D(2_400_000_000), f, s, "C4"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok", "ok"]
    columns = report.details["_tabeller"][0]["kolumner"]
    assert columns["B2"]["enhet"] == "tkr (ur talformatet)"
    assert columns["C2"]["enhet"] == "kr (ur talformatet)"
    assert not any("ingen enhet angiven" in m for m in report.messages), report.messages
    assert (
        "B2 'Budget 2026': talformatet skriver 'tkr' vid talen i B3:B5 ('#,##0 \"tkr\"'); "
        "de läses i tkr"
    ) in report.messages


def test_currency_format_under_a_table_in_tkr(tmp_path, config):
    """Excel's currency format (shows "412 600 kr") on a table headed "Belopp i tkr": put
    there by habit; the table's own unit holds, and the report says so."""
    rows = [
        ["Mål och budget 2026"],
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2026"],
        [KS, 412_600],
        [UN, 2_345_800],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, formats={"B4:B5": '#,##0 "kr"'})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    f, s = "Budget-2026.xlsx", "Drift"
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "B4"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "B5"),
    ]
    assert (
        "B3 'Budget 2026': talformatet skriver 'kr' vid talen i B4:B5 ('#,##0 \"kr\"') men "
        "tabellen anger tkr; tabellens enhet används"
    ) in report.messages


def test_big_sheet_scanned_only_with_signs(tmp_path, config, monkeypatch):
    """A sheet too big to scan whole on every load (the limit set to 0 here) with 150
    verksamheter (read the fast, typed way): a scaled format far down is still found (the
    workbook's styles say so) and so are hidden rows when its first rows show one."""
    from pipelines.read import files

    monkeypatch.setattr(files, "FULL_SCAN_BYTES", 0)
    lines = [[f"Verksamhet {i}", 1_000 * (i + 1)] for i in range(150)]
    rows = [
        ["Utbildningsnämnden, mål och budget 2026, tkr"],
        ["Verksamhet", "Budget 2026"],
        *lines,
        ["Verksamhet 0", 999],  # hidden: an old line repeating a shown one
        ["Summa", sum(v for _, v in lines)],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, hidden_rows=[4, 153])
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    got = facts(config)
    assert len(got) == 150 and got[-1][9] == D(150_000_000) and got[0][-1] == "B3"
    assert [r[-1] for r in reconciliations(config)] == ["ok"]
    assert any("1 dolda rader upprepar rader som syns (A153)" in m for m in report.messages)

    rows = [r[:] for r in rows[:-2]]
    rows[-1][1] = 150_000_000  # kronor, shown in thousands by its format
    path = book(tmp_path, "Budget-2026b.xlsx", rows, formats={"B152:B152": "#,##0,"})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    amounts = query(config, "select amount_sek from facts where source_cell = 'B152'")
    assert amounts == [(D(150_000_000),)]


def test_numbers_hidden_by_their_format_are_not_read(tmp_path, config):
    """Working figures kept in the sheet but made invisible with the format ';;;' (the cells
    look empty): they were read as amounts like the shown ones."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2026", "Budget 2025"],
        [KS, 412_600, 400_000],
        [UN, 2_345_800, 2_300_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, formats={"C3:C4": ";;;"})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "B3"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "B4"),
    ]
    assert (
        "C2 'Budget 2025': C3:C4 visar inget (talformat ';;;'); talen där lästes inte"
    ) in report.messages
    assert report.details["_tabeller"][0]["kolumner"]["C2"]["saknas (tom)"] == 2


def test_tables_side_by_side_under_one_header_row(tmp_path, config):
    """Driftbudget per nämnd on the left, investeringar per projekt on the right, one header
    row across both: read as one table, the right table's amounts were the left table's
    nämnders (refused as a duplicated "Budget 2026", or stored as drift when the headers
    differ)."""
    rows = [
        ["Mål och budget 2026, tkr"],
        [],
        ["Nämnd", "Budget 2026", "Plan 2027", None, "Investeringsprojekt", "Budget 2026"],
        [KS, 412_600, 420_000, None, "Ny skola Järna", 50_000],
        [UN, 2_345_800, 2_400_000, None, "Simhall", 120_000],
        ["Summa", 2_758_400, 2_820_000, None, "Summa", 170_000],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows)
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "Budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    p = (2026, 2027, "budget", "kommunen", "drift", None)
    i = (2026, 2026, "budget", "kommunen", "investering", None, "Södertälje kommun")
    assert facts(config) == [
        (*c, KS, KS, "budget", D(412_600_000), f, s, "B4"),
        (*c, UN, UN, "budget", D(2_345_800_000), f, s, "B5"),
        (*p, KS, KS, "plan", D(420_000_000), f, s, "C4"),
        (*p, UN, UN, "plan", D(2_400_000_000), f, s, "C5"),
        (*i, "Ny skola Järna", "budget", D(50_000_000), f, s, "F4"),
        (*i, "Simhall", "budget", D(120_000_000), f, s, "F5"),
    ]
    assert [(r[1], r[-1]) for r in reconciliations(config)] == [
        ("B6", "ok"), ("C6", "ok"), ("F6", "ok"),
    ]  # fmt: skip
    assert [t["område"] for t in report.details["_tabeller"]] == ["A3:C6", "E3:F6"]


def test_percentages_among_the_amounts_are_not_read(tmp_path, config):
    """An "Avvikelse" column whose last cells are shares formatted as percent (0,05 shown as
    5 %): they were read as amounts (0,05 tkr = 50 kr)."""
    rows = [
        ["Delårsrapport 2 2026, tkr"],
        ["Nämnd", "Budget 2026", "Prognos 2026", "Avvikelse"],
        [KS, 412_600, 405_900, 6_700],
        [UN, 2_345_800, 2_361_000, -15_200],
        [SN, 1_234_500, 1_260_000, -0.0207],
    ]
    path = book(tmp_path, "DR2-2026.xlsx", rows, formats={"D5:D5": "0.0%"})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    avvikelse = query(
        config, "select source_cell, amount_sek from facts where measure = 'avvikelse' order by 1"
    )
    assert avvikelse == [("D3", D(6_700_000)), ("D4", D(-15_200_000))]
    assert (
        "D2 'Avvikelse': D5 visar procent, inga belopp (talformat '0.0%'); talen där lästes inte"
    ) in report.messages


def test_amount_merged_over_two_rows_is_named(tmp_path, config):
    """One amount merged over two verksamheter (a shared budget): calamine gives it to the
    first row only. The total still reconciles; the report says which rows share it."""
    rows = [
        ["Utbildningsnämnden, mål och budget 2026, tkr"],
        ["Verksamhet", "Budget 2026"],
        ["Förskola", 845_800],
        ["Fritidshem", None],
        ["Grundskola", 1_500_000],
        ["Summa", 2_345_800],
    ]
    path = book(tmp_path, "Budget-2026.xlsx", rows, merges=["B3:B4"])
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert [r[-1] for r in reconciliations(config)] == ["ok"]
    assert (
        "blad 'Drift': belopp sammanfogade över flera rader lästes på den första raden (de "
        "gäller flera rader; raderna under fick inget belopp): B3:B4"
    ) in report.messages
