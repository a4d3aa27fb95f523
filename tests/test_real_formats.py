"""Workbooks laid out the way Swedish municipalities publish them (not like our demo files).

Each test builds one such workbook in tmp_path, loads it through `ingest` and checks whole fact
rows, that every total reconciles to the krona and that no amount is stored twice.
"""

from __future__ import annotations

import pytest
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from test_sources_layouts import D, book, query, run


def facts(config):
    """Every fact as a whole row, in sheet, column and row order."""
    return query(
        config,
        "select doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
        " measure, amount_sek, source_file, source_sheet, source_cell from facts"
        " order by source_file, source_sheet, regexp_extract(source_cell, '[A-Z]+'),"
        " cast(regexp_extract(source_cell, '[0-9]+') as integer)",
    )


def reconciliations(config):
    return query(
        config,
        "select total_label, total_cell, measure, year, period, expected_sek, computed_sek, status"
        " from table_reconciliations order by source_sheet,"
        " regexp_extract(total_cell, '[A-Z]+'),"
        " cast(regexp_extract(total_cell, '[0-9]+') as integer)",
    )


def assert_nothing_twice(config):
    """No cell stored twice, and no two facts that say the same thing about the same line."""
    dup_cells = query(
        config,
        "select source_file, source_sheet, source_cell, count(*) from facts"
        " group by all having count(*) > 1",
    )
    assert dup_cells == []
    dup_meaning = query(
        config,
        "select document, actor, budget_kind, year, period, organisation, line_item, measure,"
        " count(*) from facts group by all having count(*) > 1",
    )
    assert dup_meaning == []


def test_delarsrapport_driftredovisning_per_namnd_negative_mnkr(tmp_path, config):
    """Delårsrapport 2: net costs written negative in mnkr with one decimal, the small
    nämnder first, "Summa nämnder", Finansförvaltning, verksamhetens nettokostnad and the
    rows from Skatteintäkter down, and a note under the table."""
    rows = [
        ["Södertälje kommun"],
        ["Delårsrapport januari–augusti 2026"],
        [],
        ["Driftredovisning per nämnd (mnkr)"],
        ["Nämnd", "Budget 2026", "Utfall jan–aug 2026", "Prognos helår 2026",
         "Avvikelse prognos mot budget"],
        ["Kommunfullmäktige", -12.4, -7.9, -12.1, 0.3],
        ["Revision", -3.2, -2.0, -3.2, 0.0],
        ["Valnämnd", -0.8, -0.3, -0.7, 0.1],
        ["Kommunstyrelsen", -412.6, -265.3, -405.9, 6.7],
        ["Utbildningsnämnden", -2345.8, -1570.2, -2361.0, -15.2],
        ["Socialnämnden", -1234.5, -842.1, -1260.0, -25.5],
        ["Summa nämnder", -4009.3, -2687.8, -4042.9, -33.6],
        ["Finansförvaltning", 35.0, 20.1, 40.0, 5.0],
        ["Verksamhetens nettokostnad", -3974.3, -2667.7, -4002.9, -28.6],
        ["Skatteintäkter och generella statsbidrag", 4050.0, 2700.0, 4071.0, 21.0],
        ["Finansnetto", -20.0, -12.0, -22.0, -2.0],
        ["Årets resultat", 55.7, 20.3, 46.1, -9.6],
        [],
        ["Avvikelse: positivt värde = bättre än budget."],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "Delarsrapport-2-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("delarsrapport", 2026)
    f, s = "Delarsrapport-2-2026.xlsx", "Drift"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    kf, rev, val = "Kommunfullmäktige", "Revisionen", "Valnämnden"
    ks, un, sn = "Kommunstyrelsen", "Utbildningsnämnden", "Socialnämnden"
    kommun, fin = "Södertälje kommun", "Finansförvaltning"
    p = "2026-08"
    assert facts(config) == [
        (*c, None, kf, kf, "budget", D(12_400_000), f, s, "B6"),
        (*c, None, rev, "Revision", "budget", D(3_200_000), f, s, "B7"),
        (*c, None, val, "Valnämnd", "budget", D(800_000), f, s, "B8"),
        (*c, None, ks, ks, "budget", D(412_600_000), f, s, "B9"),
        (*c, None, un, un, "budget", D(2_345_800_000), f, s, "B10"),
        (*c, None, sn, sn, "budget", D(1_234_500_000), f, s, "B11"),
        (*c, None, kommun, fin, "budget", D(-35_000_000), f, s, "B13"),
        (*c, p, kf, kf, "utfall", D(7_900_000), f, s, "C6"),
        (*c, p, rev, "Revision", "utfall", D(2_000_000), f, s, "C7"),
        (*c, p, val, "Valnämnd", "utfall", D(300_000), f, s, "C8"),
        (*c, p, ks, ks, "utfall", D(265_300_000), f, s, "C9"),
        (*c, p, un, un, "utfall", D(1_570_200_000), f, s, "C10"),
        (*c, p, sn, sn, "utfall", D(842_100_000), f, s, "C11"),
        (*c, p, kommun, fin, "utfall", D(-20_100_000), f, s, "C13"),
        (*c, None, kf, kf, "prognos", D(12_100_000), f, s, "D6"),
        (*c, None, rev, "Revision", "prognos", D(3_200_000), f, s, "D7"),
        (*c, None, val, "Valnämnd", "prognos", D(700_000), f, s, "D8"),
        (*c, None, ks, ks, "prognos", D(405_900_000), f, s, "D9"),
        (*c, None, un, un, "prognos", D(2_361_000_000), f, s, "D10"),
        (*c, None, sn, sn, "prognos", D(1_260_000_000), f, s, "D11"),
        (*c, None, kommun, fin, "prognos", D(-40_000_000), f, s, "D13"),
        (*c, None, kf, kf, "avvikelse", D(300_000), f, s, "E6"),
        (*c, None, rev, "Revision", "avvikelse", D(0), f, s, "E7"),
        (*c, None, val, "Valnämnd", "avvikelse", D(100_000), f, s, "E8"),
        (*c, None, ks, ks, "avvikelse", D(6_700_000), f, s, "E9"),
        (*c, None, un, un, "avvikelse", D(-15_200_000), f, s, "E10"),
        (*c, None, sn, sn, "avvikelse", D(-25_500_000), f, s, "E11"),
        (*c, None, kommun, fin, "avvikelse", D(5_000_000), f, s, "E13"),
    ]
    # totals are compared as published (negative), each to the krona
    assert reconciliations(config) == [
        ("Summa nämnder", "B12", "budget", 2026, None, D(-4_009_300_000), D(-4_009_300_000), "ok"),
        ("Verksamhetens nettokostnad", "B14", "budget", 2026, None, D(-3_974_300_000),
         D(-3_974_300_000), "ok"),
        ("Summa nämnder", "C12", "utfall", 2026, p, D(-2_687_800_000), D(-2_687_800_000), "ok"),
        ("Verksamhetens nettokostnad", "C14", "utfall", 2026, p, D(-2_667_700_000),
         D(-2_667_700_000), "ok"),
        ("Summa nämnder", "D12", "prognos", 2026, None, D(-4_042_900_000), D(-4_042_900_000),
         "ok"),
        ("Verksamhetens nettokostnad", "D14", "prognos", 2026, None, D(-4_002_900_000),
         D(-4_002_900_000), "ok"),
        ("Summa nämnder", "E12", "avvikelse", 2026, None, D(-33_600_000), D(-33_600_000), "ok"),
        ("Verksamhetens nettokostnad", "E14", "avvikelse", 2026, None, D(-28_600_000),
         D(-28_600_000), "ok"),
    ]  # fmt: skip
    assert_nothing_twice(config)
    assert any("3 rader från 'Skatteintäkter" in m for m in report.messages)


def test_delarsrapport_two_row_header_with_last_years_period(tmp_path, config):
    """ "Utfall" over "jan–aug 2025 | jan–aug 2026" and "Helår 2026" over
    "Budget | Prognos | Avvikelse", both merged: last year's period outcome keeps its year."""
    rows = [
        ["Delårsrapport 2 2026"],
        ["Driftredovisning, belopp i mnkr"],
        [None, "Utfall", None, "Helår 2026", None, None],
        ["Nämnd", "jan–aug 2025", "jan–aug 2026", "Budget", "Prognos", "Avvikelse"],
        ["Kommunfullmäktige", -7.5, -7.9, -12.4, -12.1, 0.3],
        ["Utbildningsnämnden", -1500.0, -1570.2, -2345.8, -2361.0, -15.2],
        ["Summa nämnder", -1507.5, -1578.1, -2358.2, -2373.1, -14.9],
    ]
    path = book(tmp_path, "dr2.xlsx", {"Drift": rows}, merges={"Drift": ["B3:C3", "D3:F3"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "dr2.xlsx", "Drift"
    kf, un = "Kommunfullmäktige", "Utbildningsnämnden"
    c = ("delarsrapport", "kommunen", "drift")
    assert facts(config) == [
        (2026, 2025, *c, "2025-08", kf, kf, "utfall", D(7_500_000), f, s, "B5"),
        (2026, 2025, *c, "2025-08", un, un, "utfall", D(1_500_000_000), f, s, "B6"),
        (2026, 2026, *c, "2026-08", kf, kf, "utfall", D(7_900_000), f, s, "C5"),
        (2026, 2026, *c, "2026-08", un, un, "utfall", D(1_570_200_000), f, s, "C6"),
        (2026, 2026, *c, None, kf, kf, "budget", D(12_400_000), f, s, "D5"),
        (2026, 2026, *c, None, un, un, "budget", D(2_345_800_000), f, s, "D6"),
        (2026, 2026, *c, None, kf, kf, "prognos", D(12_100_000), f, s, "E5"),
        (2026, 2026, *c, None, un, un, "prognos", D(2_361_000_000), f, s, "E6"),
        (2026, 2026, *c, None, kf, kf, "avvikelse", D(300_000), f, s, "F5"),
        (2026, 2026, *c, None, un, un, "avvikelse", D(-15_200_000), f, s, "F6"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok"] * 5
    assert_nothing_twice(config)


@pytest.mark.parametrize(
    "gross",
    [
        ("Intäkter", "Kostnader", "Nettokostnad"),
        ("Intäkt", "Kostnad", "Nettokostnad"),
        ("Bruttointäkter", "Bruttokostnader", "Netto"),
    ],
)
def test_bokslut_intakter_kostnader_only_the_net_is_the_cost(tmp_path, config, gross):
    """Bokslut driftredovisning with intäkter (positive) and kostnader (negative) beside the
    net: only the net is the nämnd's utfall; the gross columns are parts of it."""
    rows = [
        ["Årsredovisning 2025"],
        ["Driftredovisning per nämnd, tkr"],
        ["Nämnd", *gross, "Budget", "Avvikelse"],
        ["Kommunstyrelsen", 120500, -530700, -410200, -415000, 4800],
        ["Utbildningsnämnden", 310200, -2650400, -2340200, -2330000, -10200],
        ["Valnämnden", 0, -812, -812, -900, 88],
        ["Summa nämnder", 430700, -3181912, -2751212, -2745900, -5312],
    ]
    (report,) = run(config, book(tmp_path, "arsredovisning-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "arsredovisning-2025.xlsx", "Drift"
    c = (2025, 2025, "bokslut", "kommunen", "drift", None)
    ks, un, vn = "Kommunstyrelsen", "Utbildningsnämnden", "Valnämnden"
    assert facts(config) == [
        (*c, ks, ks, "utfall", D(410_200_000), f, s, "D4"),
        (*c, un, un, "utfall", D(2_340_200_000), f, s, "D5"),
        (*c, vn, vn, "utfall", D(812_000), f, s, "D6"),
        (*c, ks, ks, "budget", D(415_000_000), f, s, "E4"),
        (*c, un, un, "budget", D(2_330_000_000), f, s, "E5"),
        (*c, vn, vn, "budget", D(900_000), f, s, "E6"),
        (*c, ks, ks, "avvikelse", D(4_800_000), f, s, "F4"),
        (*c, un, un, "avvikelse", D(-10_200_000), f, s, "F5"),
        (*c, vn, vn, "avvikelse", D(88_000), f, s, "F6"),
    ]
    assert reconciliations(config) == [
        ("Summa nämnder", "D7", "utfall", 2025, None, D(-2_751_212_000), D(-2_751_212_000), "ok"),
        ("Summa nämnder", "E7", "budget", 2025, None, D(-2_745_900_000), D(-2_745_900_000), "ok"),
        ("Summa nämnder", "F7", "avvikelse", 2025, None, D(-5_312_000), D(-5_312_000), "ok"),
    ]  # fmt: skip
    assert_nothing_twice(config)


def test_bokslut_gross_and_net_under_merged_budget_and_utfall(tmp_path, config):
    """ "Budget 2025" and "Utfall 2025" each merged over "Intäkter | Kostnader | Netto": the
    file used to be refused (three budget columns); now the nets are read."""
    rows = [
        ["Årsredovisning 2025"],
        ["Driftredovisning per nämnd (mnkr)"],
        [None, "Budget 2025", None, None, "Utfall 2025", None, None, None],
        ["Nämnd", "Intäkter", "Kostnader", "Netto", "Intäkter", "Kostnader", "Netto", "Avvikelse"],
        ["Kommunstyrelsen", 120.5, -535.5, -415.0, 125.0, -535.2, -410.2, 4.8],
        ["Valnämnden", 0.0, -0.9, -0.9, 0.0, -0.8, -0.8, 0.1],
        ["Summa", 120.5, -536.4, -415.9, 125.0, -536.0, -411.0, 4.9],
    ]
    path = book(tmp_path, "ar2025.xlsx", {"Drift": rows}, merges={"Drift": ["B3:D3", "E3:G3"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "ar2025.xlsx", "Drift"
    c = (2025, 2025, "bokslut", "kommunen", "drift", None)
    ks, vn = "Kommunstyrelsen", "Valnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(415_000_000), f, s, "D5"),
        (*c, vn, vn, "budget", D(900_000), f, s, "D6"),
        (*c, ks, ks, "utfall", D(410_200_000), f, s, "G5"),
        (*c, vn, vn, "utfall", D(800_000), f, s, "G6"),
        (*c, ks, ks, "avvikelse", D(4_800_000), f, s, "H5"),
        (*c, vn, vn, "avvikelse", D(100_000), f, s, "H6"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok"] * 3
    assert_nothing_twice(config)
    table = report.details["_tabeller"][0]
    assert table["ignorerade kolumner"] == [
        "B4 'Intäkter'",
        "C4 'Kostnader'",
        "E4 'Intäkter'",
        "F4 'Kostnader'",
    ]


def test_investeringsredovisning_per_projekt_tkr(tmp_path, config):
    """Investeringsredovisning: projekt, ansvarig nämnd, budget, utfall, avvikelse in tkr
    with "Summa investeringar"; investments are never mixed with operating costs."""
    rows = [
        ["Investeringsredovisning 2025"],
        ["Belopp i tkr"],
        [],
        ["Projekt", "Nämnd", "Budget 2025", "Utfall 2025", "Avvikelse"],
        ["Ny förskola Järna", "Tekniska nämnden", 45000, 38250, 6750],
        ["Ombyggnad Täljehallen", "Kultur- och fritidsnämnden", 12500, 14100, -1600],
        ["Gång- och cykelväg Hölö", "Tekniska nämnden", 3200, 0, 3200],
        ["IT-investeringar", "Kommunstyrelsen", 5000, 4321, 679],
        ["Summa investeringar", None, 65700, 56671, 9029],
    ]
    (report,) = run(config, book(tmp_path, "arsredovisning-2025.xlsx", {"Investeringar": rows}))
    assert report.status == "accepted", report.reason
    f, s = "arsredovisning-2025.xlsx", "Investeringar"
    c = (2025, 2025, "bokslut", "kommunen", "investering", None)
    tn, kfn, ks = "Tekniska nämnden", "Kultur- och fritidsnämnden", "Kommunstyrelsen"
    fsk, hall, gc, it = (
        "Ny förskola Järna",
        "Ombyggnad Täljehallen",
        "Gång- och cykelväg Hölö",
        "IT-investeringar",
    )
    assert facts(config) == [
        (*c, tn, fsk, "budget", D(45_000_000), f, s, "C5"),
        (*c, kfn, hall, "budget", D(12_500_000), f, s, "C6"),
        (*c, tn, gc, "budget", D(3_200_000), f, s, "C7"),
        (*c, ks, it, "budget", D(5_000_000), f, s, "C8"),
        (*c, tn, fsk, "utfall", D(38_250_000), f, s, "D5"),
        (*c, kfn, hall, "utfall", D(14_100_000), f, s, "D6"),
        (*c, tn, gc, "utfall", D(0), f, s, "D7"),
        (*c, ks, it, "utfall", D(4_321_000), f, s, "D8"),
        (*c, tn, fsk, "avvikelse", D(6_750_000), f, s, "E5"),
        (*c, kfn, hall, "avvikelse", D(-1_600_000), f, s, "E6"),
        (*c, tn, gc, "avvikelse", D(3_200_000), f, s, "E7"),
        (*c, ks, it, "avvikelse", D(679_000), f, s, "E8"),
    ]
    assert reconciliations(config) == [
        ("Summa investeringar", "C9", "budget", 2025, None, D(65_700_000), D(65_700_000), "ok"),
        ("Summa investeringar", "D9", "utfall", 2025, None, D(56_671_000), D(56_671_000), "ok"),
        ("Summa investeringar", "E9", "avvikelse", 2025, None, D(9_029_000), D(9_029_000), "ok"),
    ]
    assert_nothing_twice(config)


# Office 2013+ theme colours (what Excel writes into a new workbook today): accent4 gold,
# accent6 green; Excel's theme index 4 + n is accent n + 1.
OFFICE_2013_THEME = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">
<a:themeElements><a:clrScheme name="Office">
<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>
<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>
<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>
<a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>
<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>
<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>
<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>
</a:clrScheme>
<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/>
<a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/>
<a:cs typeface=""/></a:minorFont></a:fontScheme>
<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/>
</a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/>
</a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>
<a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>
<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/>
</a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>
<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill>
<a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"""


def _goal_rows(title):
    return [
        [title],
        ["Uppföljning av kommunfullmäktiges mål"],
        ["Mål", "Ansvarig nämnd", "Bedömning", "Analys"],
        ["Fler i arbete", "Arbets- och näringslivsnämnden", "Uppfyllt", "Färre arbetslösa."],
        ["Trygg äldreomsorg", "Äldreomsorgsnämnden", "Delvis uppfyllt", "Fler fasta tjänster."],
        ["Minskade utsläpp", "Miljönämnden", "Ej uppfyllt", "Utsläppen ökade."],
        ["Fler bostäder", "Stadsbyggnadsnämnden", "✔", None],
        ["Bättre skolresultat", "Utbildningsnämnden", "▲", "Meritvärdet ökar."],
        ["Kortare handläggning", "Socialnämnden", "✖", None],
        ["Rent vatten", "Tekniska nämnden", None, "Nya ledningar."],
        ["Mer kultur", "Kultur- och fritidsnämnden", None, "Fler besök."],
        ["Trygg kommun", "Kommunstyrelsen", None, "Fler anmälningar."],
        ["Säkra val", "Valnämnden", None, "Inte följt upp i år."],
    ]


def test_goals_words_symbols_and_theme_fill_colours(tmp_path, config):
    """Assessments as words, as symbols, and only as fill colour: theme colours with tints
    resolved through the workbook's own theme, pale "Bra"-style fills, and a blue fill
    that is no assessment."""
    styles = {
        "Mål": {
            # Grön, dekorfärg 6 (theme index 9 = accent6 70AD47)
            "C10": {"fill": PatternFill("solid", fgColor=Color(theme=9, tint=0.0))},
            # Guld, dekorfärg 4, ljusare 40 % (accent4 FFC000 lightened: FFD966)
            "C11": {"fill": PatternFill("solid", fgColor=Color(theme=7, tint=0.3999755851924192))},
            # Excel's "Dåligt" cell style: pale red fill
            "C12": {"fill": PatternFill("solid", fgColor="FFFFC7CE")},
            # Blå, dekorfärg 1: a header-like fill, says nothing
            "C13": {"fill": PatternFill("solid", fgColor=Color(theme=4, tint=0.0))},
        }
    }
    path = book(
        tmp_path,
        "dr2-2026-mal.xlsx",
        {"Mål": _goal_rows("Delårsrapport 2 2026")},
        styles=styles,
        theme=OFFICE_2013_THEME,
    )
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    goals = query(
        config,
        "select doc_year, period, organisation, goal, assessment, analysis, source_file,"
        " source_sheet, source_cell from goals"
        " order by cast(regexp_extract(source_cell, '[0-9]+') as int)",
    )
    f, s = "dr2-2026-mal.xlsx", "Mål"
    c = (2026, "2026-08")
    assert goals == [
        (*c, "Arbets- och näringslivsnämnden", "Fler i arbete", "grön", "Färre arbetslösa.", f, s, "A4"),
        (*c, "Äldreomsorgsnämnden", "Trygg äldreomsorg", "gul", "Fler fasta tjänster.", f, s, "A5"),
        (*c, "Miljönämnden", "Minskade utsläpp", "röd", "Utsläppen ökade.", f, s, "A6"),
        (*c, "Stadsbyggnadsnämnden", "Fler bostäder", "grön", None, f, s, "A7"),
        (*c, "Utbildningsnämnden", "Bättre skolresultat", "gul", "Meritvärdet ökar.", f, s, "A8"),
        (*c, "Socialnämnden", "Kortare handläggning", "röd", None, f, s, "A9"),
        (*c, "Tekniska nämnden", "Rent vatten", "grön", "Nya ledningar.", f, s, "A10"),
        (*c, "Kultur- och fritidsnämnden", "Mer kultur", "gul", "Fler besök.", f, s, "A11"),
        (*c, "Kommunstyrelsen", "Trygg kommun", "röd", "Fler anmälningar.", f, s, "A12"),
        (*c, "Valnämnden", "Säkra val", "ej bedömd", "Inte följt upp i år.", f, s, "A13"),
    ]  # fmt: skip
    assert "blad 'Mål': 3 bedömningar lästa ur cellfärgen" in report.messages


def test_theme_colour_follows_the_workbooks_own_theme(tmp_path, config):
    """The same theme index is a different colour in another theme: accent6 is green in
    Office 2013+ but orange (F79646) in the Office 2007 theme openpyxl writes by default."""

    def rows(year):
        return _goal_rows(f"Delårsrapport 2 {year}")[:3] + [
            ["Rent vatten", "Tekniska nämnden", None, "Nya ledningar."]
        ]

    styles = {"Mål": {"C4": {"fill": PatternFill("solid", fgColor=Color(theme=9))}}}
    new = book(
        tmp_path, "dr2-2026.xlsx", {"Mål": rows(2026)}, styles=styles, theme=OFFICE_2013_THEME
    )
    old = book(tmp_path, "dr2-2025.xlsx", {"Mål": rows(2025)}, styles=styles)
    reports = run(config, new, old)
    assert [r.status for r in reports] == ["accepted", "accepted"]
    assert query(config, "select source_file, assessment from goals order by source_file") == [
        ("dr2-2025.xlsx", "gul"),
        ("dr2-2026.xlsx", "grön"),
    ]


def test_budget_kommunbidrag_title_block_blank_column_pdf_text_and_footnotes(tmp_path, config):
    """Mål och budget: a logo/title block above a header in row 6, a blank column between
    the names and the amounts, amounts pasted from the PDF as text (spaces, NBSP, Unicode
    minus, parentheses, a dash, a note marker), and footnotes under the table."""
    rows = [
        ["Södertälje kommun"],
        [],
        ["Mål och budget 2026 med plan för 2027–2028"],
        ["Kommunbidrag per nämnd"],
        ["Mnkr"],
        ["Nämnd", None, "Kommunbidrag 2026", "Plan 2027", "Plan 2028"],
        ["Kommunfullmäktige", None, "12,4", "12,6", "12,9"],
        ["Revisionen", None, "3,2*", "3,3", "3,4"],
        ["Valnämnden", None, "0,8", "4,5", "0,8"],
        ["Kommunstyrelsen", None, "1 412,6", "1\u00a0430,0", "1 450,5"],
        ["Socialnämnden", None, "(12,0)", "\u221212,0", "–"],
        ["Summa kommunbidrag", None, "1 417,0", "1 438,4", "1 467,6"],
        [],
        ["* Revisionens budget fastställs av fullmäktiges presidium."],
        ["Källa: Mål och budget 2026, KF 2025-11-24 § 145"],
    ]
    (report,) = run(config, book(tmp_path, "MoB2026.xlsx", {"Kommunbidrag": rows}))
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("budget", 2026)
    f, s = "MoB2026.xlsx", "Kommunbidrag"
    kf, rev, vn, ks, sn = (
        "Kommunfullmäktige",
        "Revisionen",
        "Valnämnden",
        "Kommunstyrelsen",
        "Socialnämnden",
    )
    b = (2026, 2026, "budget", "kommunen", "drift", None)
    p7 = (2026, 2027, "budget", "kommunen", "drift", None)
    p8 = (2026, 2028, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*b, kf, kf, "budget", D(12_400_000), f, s, "C7"),
        (*b, rev, rev, "budget", D(3_200_000), f, s, "C8"),
        (*b, vn, vn, "budget", D(800_000), f, s, "C9"),
        (*b, ks, ks, "budget", D(1_412_600_000), f, s, "C10"),
        (*b, sn, sn, "budget", D(-12_000_000), f, s, "C11"),
        (*p7, kf, kf, "plan", D(12_600_000), f, s, "D7"),
        (*p7, rev, rev, "plan", D(3_300_000), f, s, "D8"),
        (*p7, vn, vn, "plan", D(4_500_000), f, s, "D9"),
        (*p7, ks, ks, "plan", D(1_430_000_000), f, s, "D10"),
        (*p7, sn, sn, "plan", D(-12_000_000), f, s, "D11"),
        (*p8, kf, kf, "plan", D(12_900_000), f, s, "E7"),
        (*p8, rev, rev, "plan", D(3_400_000), f, s, "E8"),
        (*p8, vn, vn, "plan", D(800_000), f, s, "E9"),
        (*p8, ks, ks, "plan", D(1_450_500_000), f, s, "E10"),
        (*p8, sn, sn, "plan", D(0), f, s, "E11"),
    ]
    assert reconciliations(config) == [
        ("Summa kommunbidrag", "C12", "budget", 2026, None, D(1_417_000_000), D(1_417_000_000),
         "ok"),
        ("Summa kommunbidrag", "D12", "plan", 2027, None, D(1_438_400_000), D(1_438_400_000),
         "ok"),
        ("Summa kommunbidrag", "E12", "plan", 2028, None, D(1_467_600_000), D(1_467_600_000),
         "ok"),
    ]  # fmt: skip
    assert_nothing_twice(config)


def test_excel_semicolon_csv_in_cp1252_with_nbsp_thousands(tmp_path, config):
    """ "CSV (semikolonavgränsad)" from Swedish Excel: Windows-1252, CRLF, title rows padded
    with semicolons, thousands grouped with a non-breaking space (byte A0), decimal comma."""
    text = (
        "Delårsrapport 2 2026;;;;\r\n"
        "Driftredovisning per nämnd, tkr;;;;\r\n"
        ";;;;\r\n"
        "Nämnd;Budget 2026;Utfall jan-aug 2026;Prognos 2026;Avvikelse\r\n"
        "Kultur- och fritidsnämnden;-180\xa0500;-121\xa0300,5;-182\xa0000;-1\xa0500\r\n"
        "Äldreomsorgsnämnden;-1\xa0234\xa0567;-830\xa0111;-1\xa0250\xa0000;-15\xa0433\r\n"
        "Överförmyndarnämnden;-4\xa0200;-2\xa0900;-4\xa0100;100\r\n"
        "Summa nämnder;-1\xa0419\xa0267;-954\xa0311,5;-1\xa0436\xa0100;-16\xa0833\r\n"
        ";;;;\r\n"
        "Källa: ekonomisystemet, körning 2026-09-15;;;;\r\n"
    )
    path = tmp_path / "dr2-2026.csv"
    path.write_bytes(text.encode("cp1252"))
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "dr2-2026.csv", "dr2-2026"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    kfn, aon, ofn = "Kultur- och fritidsnämnden", "Äldreomsorgsnämnden", "Överförmyndarnämnden"
    assert facts(config) == [
        (*c, None, kfn, kfn, "budget", D(180_500_000), f, s, "B5"),
        (*c, None, aon, aon, "budget", D(1_234_567_000), f, s, "B6"),
        (*c, None, ofn, ofn, "budget", D(4_200_000), f, s, "B7"),
        (*c, "2026-08", kfn, kfn, "utfall", D(121_300_500), f, s, "C5"),
        (*c, "2026-08", aon, aon, "utfall", D(830_111_000), f, s, "C6"),
        (*c, "2026-08", ofn, ofn, "utfall", D(2_900_000), f, s, "C7"),
        (*c, None, kfn, kfn, "prognos", D(182_000_000), f, s, "D5"),
        (*c, None, aon, aon, "prognos", D(1_250_000_000), f, s, "D6"),
        (*c, None, ofn, ofn, "prognos", D(4_100_000), f, s, "D7"),
        (*c, None, kfn, kfn, "avvikelse", D(-1_500_000), f, s, "E5"),
        (*c, None, aon, aon, "avvikelse", D(-15_433_000), f, s, "E6"),
        (*c, None, ofn, ofn, "avvikelse", D(100_000), f, s, "E7"),
    ]
    assert [(r[0], r[1], r[5], r[7]) for r in reconciliations(config)] == [
        ("Summa nämnder", "B8", D(-1_419_267_000), "ok"),
        ("Summa nämnder", "C8", D(-954_311_500), "ok"),
        ("Summa nämnder", "D8", D(-1_436_100_000), "ok"),
        ("Summa nämnder", "E8", D(-16_833_000), "ok"),
    ]
    assert_nothing_twice(config)


# A delårsrapport with a two-row header whose upper cells span their columns (merged in
# xlsx and xls, spanned with covered cells in ods), text amounts and negative costs.
_DR2_ROWS = [
    ["Delårsrapport 2 2026"],
    ["Driftredovisning per nämnd (mnkr)"],
    [None, "Jan–aug 2026", None, "Helår 2026", None, None],
    ["Nämnd", "Budget", "Utfall", "Budget", "Prognos", "Avvikelse"],
    ["Kommunstyrelsen", -275.1, -265.3, -412.6, -405.9, 6.7],
    ["Miljönämnden", -13.4, "\u221214,0", -20.1, "(21,5)", "\u22121,4"],
    ["Summa nämnder", -288.5, -279.3, -432.7, -427.4, 5.3],
]
_DR2_MERGES = [(2, 1, 2), (2, 3, 5)]  # row, first column, last column (0-based)


def _write_xlsx(path):
    letters = "ABCDEF"
    merges = [f"{letters[a]}{r + 1}:{letters[b]}{r + 1}" for r, a, b in _DR2_MERGES]
    return book(path.parent, path.name, {"Drift": _DR2_ROWS}, merges={"Drift": merges})


def _write_xls(path):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Drift")
    for i, row in enumerate(_DR2_ROWS):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(i, j, value)
    for r, a, b in _DR2_MERGES:
        ws.merge(r, r, a, b)
    wb.save(str(path))
    return path


def _write_ods(path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Drift")
    for i, row in enumerate(_DR2_ROWS):
        tr = TableRow()
        covered = 0
        for j, value in enumerate(row):
            if covered:
                tr.addElement(CoveredTableCell())
                covered -= 1
                continue
            span = next((b - a + 1 for r, a, b in _DR2_MERGES if (r, a) == (i, j)), None)
            kw = {"numbercolumnsspanned": span} if span else {}
            covered = span - 1 if span else 0
            if value is None:
                cell = TableCell(**kw)
            elif isinstance(value, float):
                cell = TableCell(valuetype="float", value=value, **kw)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string", **kw)
                cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


@pytest.mark.parametrize(("suffix", "write"), [("xls", _write_xls), ("ods", _write_ods)])
def test_xls_and_ods_give_the_same_facts_as_xlsx(tmp_path, suffix, write):
    """The same delårsrapport saved as xlsx, as old-format xls and as OpenDocument ods loads
    to the same facts and reconciliations (only the file name differs)."""
    from pipelines.config import load_config

    results = {}
    for fmt, writer in (("xlsx", _write_xlsx), (suffix, write)):
        folder = tmp_path / fmt
        folder.mkdir()
        path = writer(folder / f"dr2-2026.{fmt}")
        config = load_config(folder / "verkstad.duckdb")
        (report,) = run(config, path)
        assert report.status == "accepted", report.reason
        rows = [r[:10] + r[11:] for r in facts(config)]  # all but source_file
        results[fmt] = (rows, reconciliations(config))
    f_rows, recon = results[suffix]
    assert (f_rows, recon) == results["xlsx"]
    ks, mn = "Kommunstyrelsen", "Miljönämnden"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    p = "2026-08"
    assert f_rows == [
        (*c, p, ks, ks, "budget", D(275_100_000), "Drift", "B5"),
        (*c, p, mn, mn, "budget", D(13_400_000), "Drift", "B6"),
        (*c, p, ks, ks, "utfall", D(265_300_000), "Drift", "C5"),
        (*c, p, mn, mn, "utfall", D(14_000_000), "Drift", "C6"),
        (*c, None, ks, ks, "budget", D(412_600_000), "Drift", "D5"),
        (*c, None, mn, mn, "budget", D(20_100_000), "Drift", "D6"),
        (*c, None, ks, ks, "prognos", D(405_900_000), "Drift", "E5"),
        (*c, None, mn, mn, "prognos", D(21_500_000), "Drift", "E6"),
        (*c, None, ks, ks, "avvikelse", D(6_700_000), "Drift", "F5"),
        (*c, None, mn, mn, "avvikelse", D(-1_400_000), "Drift", "F6"),
    ]
    assert [r[-1] for r in recon] == ["ok"] * 5


def test_xls_goal_colours_are_not_read_and_the_report_says_so(tmp_path, config):
    """An xls goal table whose assessment is only a fill colour: the reader gives no
    colours, so the goal is stored as ej bedömd and the report names the cells."""
    import xlwt

    rows = _goal_rows("Delårsrapport 2 2026")[:5]
    rows[4][2] = None  # "Trygg äldreomsorg": assessed by its fill colour only
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Mål")
    green = xlwt.easyxf("pattern: pattern solid, fore_colour bright_green")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(i, j, value)
    ws.write(4, 2, "", green)
    path = tmp_path / "dr2-2026-mal.xls"
    wb.save(str(path))
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert query(config, "select goal, assessment from goals order by source_cell") == [
        ("Fler i arbete", "grön"),
        ("Trygg äldreomsorg", "ej bedömd"),
    ]
    assert any(
        "1 bedömningar utan ord eller symbol sparas som ej bedömd (C5)" in m
        for m in report.messages
    ), report.messages


def test_header_wordings_dates_helarsprognos_and_changes_since_last_forecast(tmp_path, config):
    """A delårsrapport whose title names no period: the period comes from the dates in the
    utfall header; "Helårsprognos" is the prognos; "Prognosförändring" and "Avvikelse mot
    prognos T1" are changes since the last forecast, checked but never stored."""
    rows = [
        ["Delårsrapport 2026"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Årsbudget 2026", "Utfall 2026-01-01–2026-08-31", "Helårsprognos 2026",
         "Budgetavvikelse", "Prognosförändring mot T1", "Avvikelse mot prognos T1"],
        ["Tekniska nämnden", 180500, 121300, 182000, -1500, -700, -700],
        ["Miljönämnden", 20100, 14000, 21500, -1400, 300, 300],
        ["Summa", 200600, 135300, 203500, -2900, -400, -400],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "uppfoljning.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year, report.details["period"]) == (
        "delarsrapport",
        2026,
        "2026-08",
    )
    f, s = "uppfoljning.xlsx", "Drift"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    tn, mn = "Tekniska nämnden", "Miljönämnden"
    assert facts(config) == [
        (*c, None, tn, tn, "budget", D(180_500_000), f, s, "B4"),
        (*c, None, mn, mn, "budget", D(20_100_000), f, s, "B5"),
        (*c, "2026-08", tn, tn, "utfall", D(121_300_000), f, s, "C4"),
        (*c, "2026-08", mn, mn, "utfall", D(14_000_000), f, s, "C5"),
        (*c, None, tn, tn, "prognos", D(182_000_000), f, s, "D4"),
        (*c, None, mn, mn, "prognos", D(21_500_000), f, s, "D5"),
        (*c, None, tn, tn, "avvikelse", D(-1_500_000), f, s, "E4"),
        (*c, None, mn, mn, "avvikelse", D(-1_400_000), f, s, "E5"),
    ]
    assert [(r[1], r[2], r[7]) for r in reconciliations(config)] == [
        ("B6", "budget", "ok"),
        ("C6", "utfall", "ok"),
        ("D6", "prognos", "ok"),
        ("E6", "avvikelse", "ok"),
        ("F6", "difference", "ok"),
        ("G6", "difference", "ok"),
    ]
    assert_nothing_twice(config)


def test_goal_assessments_worded_as_forecasts(tmp_path, config):
    """Delårsrapport goal tables word the assessment as a forecast for the year ("Målet
    bedöms uppfyllas", "Uppnås ej", "Låg måluppfyllelse", "Följs upp i bokslutet")."""
    rows = [
        ["Delårsrapport 2 2026"],
        ["Kommunfullmäktiges mål", "Ansvarig nämnd", "Bedömning helår", "Kommentar"],
        ["Fler i arbete", "Arbets- och näringslivsnämnden", "Målet bedöms uppfyllas", None],
        ["Trygg äldreomsorg", "Äldreomsorgsnämnden", "Målet bedöms delvis uppfyllas", None],
        ["Minskade utsläpp", "Miljönämnden", "Målet bedöms inte uppfyllas", None],
        ["Fler bostäder", "Stadsbyggnadsnämnden", "Uppnås ej", None],
        ["Bättre skolresultat", "Utbildningsnämnden", "Hög måluppfyllelse", None],
        ["Kortare handläggning", "Socialnämnden", "Låg måluppfyllelse", None],
        ["Nöjdare medborgare", "Kommunstyrelsen", "Följs upp i bokslutet", "Enkät i december."],
        ["Mer kultur", "Kultur- och fritidsnämnden", "Inte helt uppfyllt", None],
    ]
    (report,) = run(config, book(tmp_path, "dr2-2026.xlsx", {"Mål": rows}))
    assert report.status == "accepted", report.reason
    got = query(
        config,
        "select organisation, goal, assessment, analysis, source_cell from goals"
        " order by cast(regexp_extract(source_cell, '[0-9]+') as int)",
    )
    assert got == [
        ("Arbets- och näringslivsnämnden", "Fler i arbete", "grön", None, "A3"),
        ("Äldreomsorgsnämnden", "Trygg äldreomsorg", "gul", None, "A4"),
        ("Miljönämnden", "Minskade utsläpp", "röd", None, "A5"),
        ("Stadsbyggnadsnämnden", "Fler bostäder", "röd", None, "A6"),
        ("Utbildningsnämnden", "Bättre skolresultat", "grön", None, "A7"),
        ("Socialnämnden", "Kortare handläggning", "röd", None, "A8"),
        ("Kommunstyrelsen", "Nöjdare medborgare", "ej bedömd", "Enkät i december.", "A9"),
        ("Kultur- och fritidsnämnden", "Mer kultur", "gul", None, "A10"),
    ]
    assert not any("kunde inte tolkas" in m for m in report.messages), report.messages


def test_bokslut_original_and_revised_budget(tmp_path, config):
    """ "Ursprunglig budget | Justerad budget | Utfall | Avvikelse mot justerad budget": the
    outcome is measured against the revised budget, which is the bokslut's budget; the file
    used to be refused as two budget columns."""
    rows = [
        ["Årsredovisning 2025"],
        ["Driftredovisning (mnkr)"],
        ["Nämnd", "Ursprunglig budget", "Justerad budget", "Utfall",
         "Avvikelse mot justerad budget"],
        ["Kommunstyrelsen", 410.0, 415.0, 410.2, 4.8],
        ["Miljönämnden", 20.0, 20.1, 21.5, -1.4],
        ["Summa", 430.0, 435.1, 431.7, 3.4],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "ar-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "ar-2025.xlsx", "Drift"
    c = (2025, 2025, "bokslut", "kommunen", "drift", None)
    ks, mn = "Kommunstyrelsen", "Miljönämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(415_000_000), f, s, "C4"),
        (*c, mn, mn, "budget", D(20_100_000), f, s, "C5"),
        (*c, ks, ks, "utfall", D(410_200_000), f, s, "D4"),
        (*c, mn, mn, "utfall", D(21_500_000), f, s, "D5"),
        (*c, ks, ks, "avvikelse", D(4_800_000), f, s, "E4"),
        (*c, mn, mn, "avvikelse", D(-1_400_000), f, s, "E5"),
    ]
    assert [(r[1], r[7]) for r in reconciliations(config)] == [
        ("C6", "ok"),
        ("D6", "ok"),
        ("E6", "ok"),
    ]
    assert_nothing_twice(config)


def test_varav_rows_are_details_of_the_row_above_not_facts(tmp_path, config):
    """ "varav kommunledningskontoret" under Kommunstyrelsen is part of the nämnd's amount:
    storing it as well would count the same money twice. The varav rows are left out of the
    facts and of the totals, and the report says so."""
    rows = [
        ["Tkr", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", 412600, 420000],
        ["varav kommunledningskontoret", 300000, 305000],
        ["varav näringslivsfrågor", 12600, 15000],
        ["Miljönämnden", 20100, 21000],
        ["Summa", 432700, 441000],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "budget-2026.xlsx", "Drift"
    ks, mn = "Kommunstyrelsen", "Miljönämnden"
    b = (2026, 2026, "budget", "kommunen", "drift", None)
    p = (2026, 2027, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*b, ks, ks, "budget", D(412_600_000), f, s, "B2"),
        (*b, mn, mn, "budget", D(20_100_000), f, s, "B5"),
        (*p, ks, ks, "plan", D(420_000_000), f, s, "C2"),
        (*p, mn, mn, "plan", D(21_000_000), f, s, "C5"),
    ]
    assert reconciliations(config) == [
        ("Summa", "B6", "budget", 2026, None, D(432_700_000), D(432_700_000), "ok"),
        ("Summa", "C6", "plan", 2027, None, D(441_000_000), D(441_000_000), "ok"),
    ]
    assert_nothing_twice(config)
    table = report.details["_tabeller"][0]
    assert table["rader"]["varav-rader (ej fakta)"] == 2
    assert any("2 varav-rader (A3, A4) är delar av raden ovanför" in m for m in report.messages), (
        report.messages
    )
    assert not any("större än raden ovanför" in m for m in report.messages)


def test_varav_rows_larger_than_the_row_above_are_reported(tmp_path, config):
    """Varav rows that add up to more than the row above them are a broken layout (or not
    details at all): still no facts, but the report names them."""
    rows = [
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2026"],
        ["Kommunstyrelsen", 412600],
        ["- därav kommunledningskontoret", 300000],
        ["– Därav näringslivsfrågor", 212600],
        ["Miljönämnden", 20100],
        ["Summa", 432700],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [r[6:10] for r in facts(config)] == [
        ("Kommunstyrelsen", "Kommunstyrelsen", "budget", D(412_600_000)),
        ("Miljönämnden", "Miljönämnden", "budget", D(20_100_000)),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok"]
    assert any(
        "varav-raderna A4–A5 under 'Kommunstyrelsen' (B3) är större än raden ovanför: "
        "512\u00a0600\u00a0000,00 kr mot 412\u00a0600\u00a0000,00 kr" in m
        for m in report.messages
    ), report.messages


def _resultatrakning():
    return [
        ["Resultaträkning"],
        ["Mnkr", "Not", "Utfall 2025", "Budget 2025", "Utfall 2024"],
        ["Verksamhetens intäkter", 1, 1200.5, 1150.0, 1180.2],
        ["Verksamhetens kostnader", 2, -5100.3, -5050.0, -4980.1],
        ["Avskrivningar", 3, -150.2, -155.0, -140.0],
        ["Verksamhetens nettokostnad", None, -4050.0, -4055.0, -3939.9],
        ["Skatteintäkter", 4, 3300.0, 3290.0, 3200.0],
        ["Generella statsbidrag och utjämning", 5, 850.0, 845.0, 800.0],
        ["Finansiella intäkter", 6, 20.0, 15.0, 18.0],
        ["Finansiella kostnader", 7, -45.0, -50.0, -40.0],
        ["Årets resultat", None, 75.0, 45.0, 38.1],
    ]


def test_resultatrakning_beside_the_driftredovisning_is_skipped(tmp_path, config):
    """An årsredovisning with a resultaträkning (intäkter, kostnader, avskrivningar of the
    whole kommun, with a Not column) beside the driftredovisning: only the driftredovisning
    becomes facts; the financial statement is skipped and the report says where it is."""
    drift = [
        ["Driftredovisning per nämnd, tkr"],
        ["Nämnd", "Budget 2025", "Utfall 2025", "Avvikelse"],
        ["Kommunstyrelsen", 415000, 410200, 4800],
        ["Miljönämnden", 20100, 21500, -1400],
        ["Summa", 435100, 431700, 3400],
    ]
    path = book(
        tmp_path,
        "arsredovisning-2025.xlsx",
        {"Resultaträkning": _resultatrakning(), "Drift": drift},
    )
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "arsredovisning-2025.xlsx", "Drift"
    c = (2025, 2025, "bokslut", "kommunen", "drift", None)
    ks, mn = "Kommunstyrelsen", "Miljönämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(415_000_000), f, s, "B3"),
        (*c, mn, mn, "budget", D(20_100_000), f, s, "B4"),
        (*c, ks, ks, "utfall", D(410_200_000), f, s, "C3"),
        (*c, mn, mn, "utfall", D(21_500_000), f, s, "C4"),
        (*c, ks, ks, "avvikelse", D(4_800_000), f, s, "D3"),
        (*c, mn, mn, "avvikelse", D(-1_400_000), f, s, "D4"),
    ]
    assert [(r[1], r[7]) for r in reconciliations(config)] == [
        ("B5", "ok"),
        ("C5", "ok"),
        ("D5", "ok"),
    ]
    assert_nothing_twice(config)
    assert any(
        "blad 'Resultaträkning' A1:E11: resultaträkning (kommunens finansiella rapport, inte "
        "nämndernas kostnader); lästes inte" in m
        for m in report.messages
    ), report.messages


def test_a_financial_statement_alone_is_refused(tmp_path, config):
    """A workbook with only a resultaträkning has no nämnd amounts: refused with the file,
    the sheet and why, never accepted with zero facts."""
    (report,) = run(
        config,
        book(tmp_path, "arsredovisning-2025.xlsx", {"Resultaträkning": _resultatrakning()}),
    )
    assert report.status == "rejected"
    assert report.file == "arsredovisning-2025.xlsx"
    assert "Resultaträkning" in report.reason
    assert "inga tabeller med nämndernas belopp" in report.reason, report.reason
    assert "resultaträkning (kommunens finansiella rapport" in report.reason, report.reason
    assert facts(config) == []


def test_not_column_marks_a_balansrakning_on_any_sheet(tmp_path, config):
    """A balansräkning on a sheet named "Bokslut" is known by its Not column."""
    rows = [
        ["Mnkr", "Not", "Bokslut 2025", "Bokslut 2024"],
        ["Anläggningstillgångar", 8, 9100.0, 8800.0],
        ["Omsättningstillgångar", 9, 1200.0, 1100.0],
        ["Summa tillgångar", None, 10300.0, 9900.0],
    ]
    drift = [
        ["Driftredovisning, tkr"],
        ["Nämnd", "Utfall 2025"],
        ["Miljönämnden", 21500],
    ]
    path = book(tmp_path, "arsredovisning-2025.xlsx", {"Bokslut": rows, "Drift": drift})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert [r[6:10] for r in facts(config)] == [
        ("Miljönämnden", "Miljönämnden", "utfall", D(21_500_000)),
    ]
    assert any(
        "blad 'Bokslut' A1:D4: finansiell rapport (kolumnen 'Not' bredvid raderna: " in m
        for m in report.messages
    ), report.messages


@pytest.mark.parametrize("earlier", ["Prognos delår 1", "Prognos 2026 (T1)"])
def test_forecast_of_an_earlier_report_is_a_comparison_not_a_fact(tmp_path, config, earlier):
    """Delårsrapport 2 showing the forecast made in delår 1 beside this report's forecast:
    the earlier forecast is not stored (it would be a second prognos for the same year),
    and a prognos is always for the whole year."""
    rows = [
        ["Delårsrapport 2 2026"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Budget helår", "Utfall jan–aug", earlier, "Prognos helår"],
        ["Tekniska nämnden", 180500, 121300, 181000, 182000],
        ["Miljönämnden", 20100, 14000, 20500, 21500],
        ["Summa", 200600, 135300, 201500, 203500],
    ]
    (report,) = run(config, book(tmp_path, "dr2.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "dr2.xlsx", "Drift"
    c = (2026, 2026, "delarsrapport", "kommunen", "drift")
    tn, mn = "Tekniska nämnden", "Miljönämnden"
    assert facts(config) == [
        (*c, None, tn, tn, "budget", D(180_500_000), f, s, "B4"),
        (*c, None, mn, mn, "budget", D(20_100_000), f, s, "B5"),
        (*c, "2026-08", tn, tn, "utfall", D(121_300_000), f, s, "C4"),
        (*c, "2026-08", mn, mn, "utfall", D(14_000_000), f, s, "C5"),
        (*c, None, tn, tn, "prognos", D(182_000_000), f, s, "E4"),
        (*c, None, mn, mn, "prognos", D(21_500_000), f, s, "E5"),
    ]
    assert_nothing_twice(config)
    assert any(
        f"D3 '{earlier}': prognos från en tidigare rapport (t.o.m. 2026-04) än dokumentets "
        "(2026-08); en jämförelse, sparas inte" in m
        for m in report.messages
    ), report.messages


def test_this_reports_own_tertial_forecast_is_the_years_prognos(tmp_path, config):
    """ "Prognos 2026 (T2)" in delårsrapport 2 is this report's forecast for the whole year:
    measure prognos without a period."""
    rows = [
        ["Delårsrapport 2 2026"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Budget 2026", "Utfall jan–aug 2026", "Prognos 2026 (T2)"],
        ["Miljönämnden", 20100, 14000, 21500],
    ]
    (report,) = run(config, book(tmp_path, "dr2.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[5], r[8], r[9], r[12]) for r in facts(config)] == [
        (None, "budget", D(20_100_000), "B4"),
        ("2026-08", "utfall", D(14_000_000), "C4"),
        (None, "prognos", D(21_500_000), "D4"),
    ]


def test_kommunbidrag_of_a_later_year_in_a_budget_is_plan(tmp_path, config):
    """Mål och budget 2026: "Kommunbidrag 2027" and "Budget 2028" are the plan years."""
    rows = [
        ["Mål och budget 2026, mnkr"],
        ["Nämnd", "Kommunbidrag 2025", "Kommunbidrag 2026", "Kommunbidrag 2027", "Budget 2028"],
        ["Miljönämnden", 19.5, 20.1, 21.0, 21.8],
    ]
    (report,) = run(config, book(tmp_path, "MoB2026.xlsx", {"Kommunbidrag": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[1], r[8], r[9], r[12]) for r in facts(config)] == [
        (2025, "budget", D(19_500_000), "B3"),
        (2026, "budget", D(20_100_000), "C3"),
        (2027, "plan", D(21_000_000), "D3"),
        (2028, "plan", D(21_800_000), "E3"),
    ]


def test_number_columns_left_of_the_amounts_are_reported_as_ignored(tmp_path, config):
    """ "Ursprunglig budget" and gross columns to the left of the first amount column are
    not read, and the report says so as it does for those to the right."""
    rows = [
        ["Årsredovisning 2025"],
        ["Driftredovisning (mnkr)"],
        ["Nämnd", "Ursprunglig budget", "Intäkter", "Justerad budget", "Utfall", "Kostnader"],
        ["Kommunstyrelsen", 410.0, 120.5, 415.0, 410.2, -530.7],
        ["Miljönämnden", 20.0, 1.0, 20.1, 21.5, -22.5],
        ["Summa", 430.0, 121.5, 435.1, 431.7, -553.2],
    ]
    (report,) = run(config, book(tmp_path, "ar-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[8], r[12]) for r in facts(config)] == [
        ("budget", "D4"),
        ("budget", "D5"),
        ("utfall", "E4"),
        ("utfall", "E5"),
    ]
    table = report.details["_tabeller"][0]
    assert table["ignorerade kolumner"] == [
        "B3 'Ursprunglig budget'",
        "C3 'Intäkter'",
        "F3 'Kostnader'",
    ]


def test_note_markers_are_not_part_of_the_line_item(tmp_path, config):
    """ "Revisionen*" and "Kommunstyrelsen¹" with a footnote: the marker is not the name."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2026"],
        ["Revisionen*", 3200],
        ["Kommunstyrelsen ¹", 412600],
        ["Pensioner och gemensamma poster *†", 5000],
        ["Summa", 420800],
        ["* Fastställs av presidiet. ¹ Inklusive valnämnden."],
    ]
    (report,) = run(config, book(tmp_path, "MoB2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[6], r[7]) for r in facts(config)] == [
        ("Revisionen", "Revisionen"),
        ("Kommunstyrelsen", "Kommunstyrelsen"),
        ("Södertälje kommun", "Pensioner och gemensamma poster"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok"]


def test_not_column_beside_namnder_is_no_financial_statement(tmp_path, config):
    """A driftredovisning with a Not column for footnotes is still read: its lines name
    nämnder; the Not column is reported as ignored."""
    rows = [
        ["Driftredovisning 2025, tkr"],
        ["Nämnd", "Not", "Budget 2025", "Utfall 2025"],
        ["Kommunstyrelsen", 1, 415000, 410200],
        ["Miljönämnden", None, 20100, 21500],
        ["Summa", None, 435100, 431700],
    ]
    (report,) = run(config, book(tmp_path, "arsredovisning-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert [(r[6], r[8], r[9], r[12]) for r in facts(config)] == [
        ("Kommunstyrelsen", "budget", D(415_000_000), "C3"),
        ("Miljönämnden", "budget", D(20_100_000), "C4"),
        ("Kommunstyrelsen", "utfall", D(410_200_000), "D3"),
        ("Miljönämnden", "utfall", D(21_500_000), "D4"),
    ]
    assert [r[-1] for r in reconciliations(config)] == ["ok", "ok"]
    assert report.details["_tabeller"][0]["ignorerade kolumner"] == ["B2 'Not'"]
