"""More workbooks laid out the way Swedish municipalities publish them: amounts written with
"kr", a percent column under a merged "Avvikelse", footnotes under the table, a nämnd as a
group heading with its own "Summa" rows.

Each test builds one such workbook in tmp_path, loads it through `ingest` and checks whole
fact rows, the reconciliation of every total and what the report says was left out.
"""

from __future__ import annotations

import pytest
from test_real_formats import assert_nothing_twice, facts, reconciliations
from test_sources_layouts import D, book, run


def test_amounts_written_in_kronor_with_kr_and_colon_dash(tmp_path, config):
    """A bokslut typed by hand: every amount text with "kr" after it ("1 234 567 kr",
    "(100 000) kr" and "−45 433 kr" for negative) or the price style "500 000:-"; no unit
    anywhere else. Read as kronor, not refused as a sheet without amounts."""
    rows = [
        ["Bokslut 2024"],
        ["Driftredovisning per nämnd"],
        ["Nämnd", "Budget 2024", "Utfall 2024", "Avvikelse"],
        ["Kommunstyrelsen", "1 234 567 kr", "1 200 000 kr", "34 567 kr"],
        ["Socialnämnden", "2 000 000 kr", "2 100 000 kr", "(100 000) kr"],
        ["Miljönämnden", "500 000:-", "480 000:-", "20 000:-"],
        ["Summa", "3 734 567 kr", "3 780 000 kr", "−45 433 kr"],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, sn, mn = "Kommunstyrelsen", "Socialnämnden", "Miljönämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_234_567), f, s, "B4"),
        (*c, sn, sn, "budget", D(2_000_000), f, s, "B5"),
        (*c, mn, mn, "budget", D(500_000), f, s, "B6"),
        (*c, ks, ks, "utfall", D(1_200_000), f, s, "C4"),
        (*c, sn, sn, "utfall", D(2_100_000), f, s, "C5"),
        (*c, mn, mn, "utfall", D(480_000), f, s, "C6"),
        (*c, ks, ks, "avvikelse", D(34_567), f, s, "D4"),
        (*c, sn, sn, "avvikelse", D(-100_000), f, s, "D5"),
        (*c, mn, mn, "avvikelse", D(20_000), f, s, "D6"),
    ]
    assert reconciliations(config) == [
        ("Summa", "B7", "budget", 2024, None, D(3_734_567), D(3_734_567), "ok"),
        ("Summa", "C7", "utfall", 2024, None, D(3_780_000), D(3_780_000), "ok"),
        ("Summa", "D7", "avvikelse", 2024, None, D(-45_433), D(-45_433), "ok"),
    ]
    assert report.details["celler"].startswith("9 tal")


def test_percent_under_a_merged_avvikelse_is_not_an_amount(tmp_path, config):
    """ "Avvikelse" merged over "tkr | %": the kronor are the avvikelse, the percentages
    beside them are no amounts (before, both were read as the avvikelse and the file was
    refused as a doubled column)."""
    rows = [
        ["Bokslut 2024"],
        ["Driftredovisning (tkr)"],
        [None, "Budget", "Utfall", "Avvikelse", None],
        ["Nämnd", 2024, 2024, "tkr", "%"],
        ["Kommunstyrelsen", 1000, 990, 10, 1.0],
        ["Socialnämnden", 500, 530, -30, -6.0],
        ["Summa", 1500, 1520, -20, -1.3],
    ]
    path = book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}, merges={"Drift": ["D3:E3"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B5"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B6"),
        (*c, ks, ks, "utfall", D(990_000), f, s, "C5"),
        (*c, sn, sn, "utfall", D(530_000), f, s, "C6"),
        (*c, ks, ks, "avvikelse", D(10_000), f, s, "D5"),
        (*c, sn, sn, "avvikelse", D(-30_000), f, s, "D6"),
    ]
    assert "3 av 3 summor stämmer på kronan" in report.details["avstämning"]
    assert report.details["_tabeller"][0]["ignorerade kolumner"] == ["E4 '%'"]


def test_footnotes_under_the_table_are_not_line_items(tmp_path, config):
    """ "Kommunstyrelsen 1)" with its footnote under the table, and a footnote that puts
    its figure in the budget column ("2) Varav statsbidrag | 12,5"): the marker is not part
    of the nämnd's name, and the footnote is no line of its own."""
    rows = [
        ["Bokslut 2024, mnkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024", "Avvikelse"],
        ["Kommunstyrelsen 1)", 100, 99, 1],
        ["Socialnämnden 2)", 50, 53, -3],
        ["Summa", 150, 152, -2],
        [],
        ["1) Inklusive 12,5 mnkr i statsbidrag för flyktingmottagande"],
        ["2) Varav statsbidrag", 12.5],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(100_000_000), f, s, "B3"),
        (*c, sn, sn, "budget", D(50_000_000), f, s, "B4"),
        (*c, ks, ks, "utfall", D(99_000_000), f, s, "C3"),
        (*c, sn, sn, "utfall", D(53_000_000), f, s, "C4"),
        (*c, ks, ks, "avvikelse", D(1_000_000), f, s, "D3"),
        (*c, sn, sn, "avvikelse", D(-3_000_000), f, s, "D4"),
    ]
    assert "3 av 3 summor stämmer på kronan" in report.details["avstämning"]
    assert (
        "blad 'Drift': fotnoter med tal blev inga fakta (de räknas inte i summorna): "
        "A8 '2) Varav statsbidrag'"
    ) in report.messages
    assert report.details["_tabeller"][0]["rader"]["fotnoter (ej fakta)"] == 1
    assert not any("okända organisationer" in m for m in report.messages)

    # a list numbered "1)", "2)" names its nämnder: lines, not footnotes
    rows = [
        ["Bokslut 2023, mnkr"],
        ["Nämnd", "Budget 2023", "Utfall 2023"],
        ["1) Kommunstyrelsen", 100, 99],
        ["2) Socialnämnden", 50, 53],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2023.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[6], r[8], r[9]) for r in facts(config) if r[10] == "bokslut-2023.xlsx"]
    assert got == [
        (ks, "budget", D(100_000_000)),
        (sn, "budget", D(50_000_000)),
        (ks, "utfall", D(99_000_000)),
        (sn, "utfall", D(53_000_000)),
    ]


@pytest.mark.parametrize("label", ["Nämndernas nettokostnad", "Netto nämnder", "Nämnderna"])
def test_netto_namnder_is_the_total_of_the_namnder(tmp_path, config, label):
    """ "Nämndernas nettokostnad", "Netto nämnder" or "Nämnderna" under the nämnder is their total, not
    a post of the kommun's own stored beside them (counting the money twice)."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2026"],
        ["Kommunstyrelsen", 1000],
        ["Socialnämnden", 500],
        [label, 1500],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Budget": rows}))
    assert report.status == "accepted", report.reason
    f, s = "budget-2026.xlsx", "Budget"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B4"),
    ]
    assert reconciliations(config) == [
        (label, "B5", "budget", 2026, None, D(1_500_000), D(1_500_000), "ok")
    ]
    assert not any("poster utan nämnd" in m for m in report.messages)


def test_namnd_group_headings_with_summa_rows_and_grand_totals(tmp_path, config):
    """A nämnd's name alone in column A heads its verksamheter, "Summa <nämnd>" closes
    them, and "Summa nämnder" and "Kommunen totalt" follow at the bottom; the title names
    the period and the header spans three rows. (This layout was read right before; kept
    as a guard.)"""
    rows = [
        ["Delårsrapport 2 2025"],
        ["Driftredovisning", None, None, None, None],
        [None, "2025", None, None, None],
        ["Belopp i tkr", "Budget", "Utfall jan–aug", "Helårsprognos", "Budgetavvikelse helår"],
        ["Utbildningsnämnden"],
        ["Förskola", 400, 260, 410, -10],
        ["Grundskola", 600, 390, 590, 10],
        ["Summa Utbildningsnämnden", 1000, 650, 1000, 0],
        ["Socialnämnden"],
        ["Individ- och familjeomsorg", 300, 210, 320, -20],
        ["Försörjningsstöd", 200, 140, 200, 0],
        ["Summa Socialnämnden", 500, 350, 520, -20],
        ["Summa nämnder", 1500, 1000, 1520, -20],
        ["Kommunen totalt", 1500, 1000, 1520, -20],
    ]
    path = book(tmp_path, "dr2.xlsx", {"Drift": rows}, merges={"Drift": ["B3:E3"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "dr2.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    un, sn, p = "Utbildningsnämnden", "Socialnämnden", "2025-08"
    fs, gs, ifo, fb = "Förskola", "Grundskola", "Individ- och familjeomsorg", "Försörjningsstöd"
    assert facts(config) == [
        (*c, None, un, fs, "budget", D(400_000), f, s, "B6"),
        (*c, None, un, gs, "budget", D(600_000), f, s, "B7"),
        (*c, None, sn, ifo, "budget", D(300_000), f, s, "B10"),
        (*c, None, sn, fb, "budget", D(200_000), f, s, "B11"),
        (*c, p, un, fs, "utfall", D(260_000), f, s, "C6"),
        (*c, p, un, gs, "utfall", D(390_000), f, s, "C7"),
        (*c, p, sn, ifo, "utfall", D(210_000), f, s, "C10"),
        (*c, p, sn, fb, "utfall", D(140_000), f, s, "C11"),
        (*c, None, un, fs, "prognos", D(410_000), f, s, "D6"),
        (*c, None, un, gs, "prognos", D(590_000), f, s, "D7"),
        (*c, None, sn, ifo, "prognos", D(320_000), f, s, "D10"),
        (*c, None, sn, fb, "prognos", D(200_000), f, s, "D11"),
        (*c, None, un, fs, "avvikelse", D(-10_000), f, s, "E6"),
        (*c, None, un, gs, "avvikelse", D(10_000), f, s, "E7"),
        (*c, None, sn, ifo, "avvikelse", D(-20_000), f, s, "E10"),
        (*c, None, sn, fb, "avvikelse", D(0), f, s, "E11"),
    ]
    budget = [r for r in reconciliations(config) if r[2] == "budget"]
    assert budget == [
        ("Summa Utbildningsnämnden", "B8", "budget", 2025, None, D(1_000_000), D(1_000_000), "ok"),
        ("Summa Socialnämnden", "B12", "budget", 2025, None, D(500_000), D(500_000), "ok"),
        ("Summa nämnder", "B13", "budget", 2025, None, D(1_500_000), D(1_500_000), "ok"),
        ("Kommunen totalt", "B14", "budget", 2025, None, D(1_500_000), D(1_500_000), "ok"),
    ]  # fmt: skip
    assert "16 av 16 summor stämmer på kronan" in report.details["avstämning"]
    assert_nothing_twice(config)


def test_unit_in_a_header_row_of_its_own_under_the_measures(tmp_path, config):
    """ "Jan–aug 2025" and "Helår 2025" merged over "Budget | Utfall | Budget | Prognos |
    Avvikelse", and under them a row saying only "tkr" in each column, the unit stated
    nowhere else: the amounts are in tkr (they were read as kronor, 1 000× too small)."""
    rows = [
        ["Delårsrapport 2"],
        [None, "Jan–aug 2025", None, "Helår 2025", None, None],
        ["Nämnd", "Budget", "Utfall", "Budget", "Prognos", "Avvikelse"],
        [None, "tkr", "tkr", "tkr", "tkr", "tkr"],
        ["Kommunstyrelsen", 600, 590, 1000, 990, 10],
        ["Socialnämnden", 300, 320, 500, 530, -30],
        ["Summa", 900, 910, 1500, 1520, -20],
    ]
    merges = {"Drift": ["B2:C2", "D2:F2"]}
    (report,) = run(config, book(tmp_path, "dr2.xlsx", {"Drift": rows}, merges=merges))
    assert report.status == "accepted", report.reason
    f, s = "dr2.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    ks, sn, p = "Kommunstyrelsen", "Socialnämnden", "2025-08"
    assert facts(config) == [
        (*c, p, ks, ks, "budget", D(600_000), f, s, "B5"),
        (*c, p, sn, sn, "budget", D(300_000), f, s, "B6"),
        (*c, p, ks, ks, "utfall", D(590_000), f, s, "C5"),
        (*c, p, sn, sn, "utfall", D(320_000), f, s, "C6"),
        (*c, None, ks, ks, "budget", D(1_000_000), f, s, "D5"),
        (*c, None, sn, sn, "budget", D(500_000), f, s, "D6"),
        (*c, None, ks, ks, "prognos", D(990_000), f, s, "E5"),
        (*c, None, sn, sn, "prognos", D(530_000), f, s, "E6"),
        (*c, None, ks, ks, "avvikelse", D(10_000), f, s, "F5"),
        (*c, None, sn, sn, "avvikelse", D(-30_000), f, s, "F6"),
    ]
    assert report.details["enheter"] == ["tkr"]
    assert "5 av 5 summor stämmer på kronan" in report.details["avstämning"]
    assert not any("ingen enhet angiven" in m for m in report.messages)


def test_grand_total_above_namnder_that_head_their_verksamheter(tmp_path, config):
    """ "Totalt nämnder" first, then each nämnd's own row above its verksamheter: the
    grand total covers every verksamhet below it (it was compared with the rows up to the
    first nämnd row, none, and reported as a difference of the whole amount)."""
    rows = [
        ["Bokslut 2024"],
        ["Nettokostnad per nämnd och verksamhet, tkr"],
        ["Nämnd/verksamhet", "Budget 2024", "Utfall 2024"],
        ["Totalt nämnder", 650, 645],
        ["Kommunstyrelsen", 150, 145],
        ["Ledning", 100, 90],
        ["Näringsliv", 50, 55],
        ["Socialnämnden", 500, 500],
        ["Individ- och familjeomsorg", 300, 310],
        ["Försörjningsstöd", 200, 190],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    ifo, fb = "Individ- och familjeomsorg", "Försörjningsstöd"
    assert facts(config) == [
        (*c, ks, "Ledning", "budget", D(100_000), f, s, "B6"),
        (*c, ks, "Näringsliv", "budget", D(50_000), f, s, "B7"),
        (*c, sn, ifo, "budget", D(300_000), f, s, "B9"),
        (*c, sn, fb, "budget", D(200_000), f, s, "B10"),
        (*c, ks, "Ledning", "utfall", D(90_000), f, s, "C6"),
        (*c, ks, "Näringsliv", "utfall", D(55_000), f, s, "C7"),
        (*c, sn, ifo, "utfall", D(310_000), f, s, "C9"),
        (*c, sn, fb, "utfall", D(190_000), f, s, "C10"),
    ]
    assert reconciliations(config) == [
        ("Totalt nämnder", "B4", "budget", 2024, None, D(650_000), D(650_000), "ok"),
        ("Kommunstyrelsen", "B5", "budget", 2024, None, D(150_000), D(150_000), "ok"),
        ("Socialnämnden", "B8", "budget", 2024, None, D(500_000), D(500_000), "ok"),
        ("Totalt nämnder", "C4", "utfall", 2024, None, D(645_000), D(645_000), "ok"),
        ("Kommunstyrelsen", "C5", "utfall", 2024, None, D(145_000), D(145_000), "ok"),
        ("Socialnämnden", "C8", "utfall", 2024, None, D(500_000), D(500_000), "ok"),
    ]
    assert "6 av 6 summor stämmer på kronan" in report.details["avstämning"]
    assert not any("differens" in m for m in report.messages)


def test_last_years_outcome_worded_fg_ar(tmp_path, config):
    """ "Utfall jan–aug fg år" beside "Utfall jan–aug" in delårsrapport 2 2025, and
    "Bokslut föregående år" in bokslut 2025: last year's figures, not a second column of
    this year's (the file was refused as a doubled column)."""
    rows = [
        ["Delårsrapport 2 2025, tkr"],
        ["Nämnd", "Utfall jan–aug fg år", "Utfall jan–aug", "Årsbudget", "Årsprognos",
         "Avvikelse"],
        ["Kommunstyrelsen", 580, 590, 1000, 990, 10],
        ["Socialnämnden", 310, 320, 500, 530, -30],
        ["Summa", 890, 910, 1500, 1520, -20],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "dr2-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[1], r[5], r[6], r[8], r[9], r[12]) for r in facts(config)]
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert got == [
        (2024, "2024-08", ks, "utfall", D(580_000), "B3"),
        (2024, "2024-08", sn, "utfall", D(310_000), "B4"),
        (2025, "2025-08", ks, "utfall", D(590_000), "C3"),
        (2025, "2025-08", sn, "utfall", D(320_000), "C4"),
        (2025, None, ks, "budget", D(1_000_000), "D3"),
        (2025, None, sn, "budget", D(500_000), "D4"),
        (2025, None, ks, "prognos", D(990_000), "E3"),
        (2025, None, sn, "prognos", D(530_000), "E4"),
        (2025, None, ks, "avvikelse", D(10_000), "F3"),
        (2025, None, sn, "avvikelse", D(-30_000), "F4"),
    ]
    assert "5 av 5 summor stämmer på kronan" in report.details["avstämning"]

    rows = [
        ["Bokslut 2025, tkr"],
        ["Nämnd", "Bokslut föregående år", "Budget", "Bokslut", "Avvikelse"],
        ["Kommunstyrelsen", 950, 1000, 990, 10],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[2], r[1], r[8], r[9]) for r in facts(config) if r[2] == "bokslut"]
    assert got == [
        ("bokslut", 2024, "utfall", D(950_000)),
        ("bokslut", 2025, "budget", D(1_000_000)),
        ("bokslut", 2025, "utfall", D(990_000)),
        ("bokslut", 2025, "avvikelse", D(10_000)),
    ]


def test_period_and_year_columns_written_as_one_word(tmp_path, config):
    """ "Periodbudget | Periodutfall | Periodavvikelse | Årsbudget | Årsprognos |
    Årsavvikelse": the period's outcome is read too (it was left out without a word)."""
    rows = [
        ["Delårsrapport 2 2025, tkr"],
        ["Nämnd", "Periodbudget", "Periodutfall", "Periodavvikelse", "Årsbudget",
         "Årsprognos", "Årsavvikelse"],
        ["Kommunstyrelsen", 600, 590, 10, 1000, 990, 10],
        ["Socialnämnden", 300, 320, -20, 500, 530, -30],
        ["Summa", 900, 910, -10, 1500, 1520, -20],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "dr2-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "dr2-2025.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    ks, sn, p = "Kommunstyrelsen", "Socialnämnden", "2025-08"
    assert facts(config) == [
        (*c, p, ks, ks, "budget", D(600_000), f, s, "B3"),
        (*c, p, sn, sn, "budget", D(300_000), f, s, "B4"),
        (*c, p, ks, ks, "utfall", D(590_000), f, s, "C3"),
        (*c, p, sn, sn, "utfall", D(320_000), f, s, "C4"),
        (*c, p, ks, ks, "avvikelse", D(10_000), f, s, "D3"),
        (*c, p, sn, sn, "avvikelse", D(-20_000), f, s, "D4"),
        (*c, None, ks, ks, "budget", D(1_000_000), f, s, "E3"),
        (*c, None, sn, sn, "budget", D(500_000), f, s, "E4"),
        (*c, None, ks, ks, "prognos", D(990_000), f, s, "F3"),
        (*c, None, sn, sn, "prognos", D(530_000), f, s, "F4"),
        (*c, None, ks, ks, "avvikelse", D(10_000), f, s, "G3"),
        (*c, None, sn, sn, "avvikelse", D(-30_000), f, s, "G4"),
    ]
    assert "6 av 6 summor stämmer på kronan" in report.details["avstämning"]


def test_unit_written_after_each_number(tmp_path, config):
    """Amounts typed with their unit ("412 600 tkr"), no unit in any title or header: the
    cells' unit is the column's (they were not read as numbers at all, and the file was
    refused). A column whose cells write different units ("420 000 tkr" above
    "1,25 mdkr") is not read, and the report says why."""
    rows = [
        ["Mål och budget 2026"],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", "412 600 tkr", "420 000 tkr"],
        ["Socialnämnden", "1 234 500 tkr", "1,25 mdkr"],
        ["Summa", "1 647 100 tkr", "1 670 000 tkr"],
    ]
    (report,) = run(config, book(tmp_path, "mob-2026.xlsx", {"Budget": rows}))
    assert report.status == "accepted", report.reason
    f, s = "mob-2026.xlsx", "Budget"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(412_600_000), f, s, "B3"),
        (*c, sn, sn, "budget", D(1_234_500_000), f, s, "B4"),
    ]
    assert reconciliations(config) == [
        ("Summa", "B5", "budget", 2026, None, D(1_647_100_000), D(1_647_100_000), "ok")
    ]
    assert "C2 'Plan 2027': cellerna skriver olika enheter (mdkr, tkr); hoppas över" in (
        report.messages
    )
    assert report.details["enheter"] == ["olika enheter i cellerna", "tkr (skriven i cellerna)"]
    assert not any("ingen enhet angiven" in m for m in report.messages)


def test_soft_hyphens_and_zero_width_spaces_pasted_from_a_pdf(tmp_path, config):
    """Names and headers pasted out of the PDF report keep its invisible hyphenation
    points ("Kommun\\u00adstyrelsen", "Ut\\u00adfall") and zero-width spaces: the names are
    the registry's nämnder and the column is the utfall (before, the nämnder were unknown
    organisations with the invisible characters in their names, and the utfall was not
    read)."""
    rows = [
        ["Delårsrapport 2 2025, tkr"],
        [
            "Nämnd",
            "Budget 2025",
            "Ut\u00adfall jan–aug",
            "Prog\u00adnos 2025",
            "Budget\u00adavvikelse",
        ],
        ["Kommun\u00adstyrelsen", 1000, 600, 990, 10],
        ["Social\u200bnämnden", 500, 350, 530, -30],
        ["Summa", 1500, 950, 1520, -20],
    ]
    (report,) = run(config, book(tmp_path, "dr2-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "dr2-2025.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B4"),
        (*c[:-1], "2025-08", ks, ks, "utfall", D(600_000), f, s, "C3"),
        (*c[:-1], "2025-08", sn, sn, "utfall", D(350_000), f, s, "C4"),
        (*c, ks, ks, "prognos", D(990_000), f, s, "D3"),
        (*c, sn, sn, "prognos", D(530_000), f, s, "D4"),
        (*c, ks, ks, "avvikelse", D(10_000), f, s, "E3"),
        (*c, sn, sn, "avvikelse", D(-30_000), f, s, "E4"),
    ]
    assert "4 av 4 summor stämmer på kronan" in report.details["avstämning"]
    assert not any("okända organisationer" in m for m in report.messages)


def test_budgetuppfoljning_is_a_report_of_the_year_not_a_budget(tmp_path, config):
    """ "Budgetuppföljning per april 2025" (budget, utfall jan–apr, prognos): a follow-up
    of the year like a delårsrapport, not the year's budget; the adopted Mål och budget
    2025 loaded before it keeps its facts (before, the follow-up was read as a new version
    of the budget and replaced them)."""
    mob = [
        ["Mål och budget 2025, tkr"],
        ["Nämnd", "Budget 2025", "Plan 2026"],
        ["Kommunstyrelsen", 1000, 1010],
    ]
    followup = [
        ["Budgetuppföljning per april 2025"],
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2025", "Utfall jan–apr", "Prognos helår", "Avvikelse"],
        ["Kommunstyrelsen", 1020, 330, 1000, 20],
    ]
    first = book(tmp_path, "mob-2025.xlsx", {"Budget": mob})
    second = book(tmp_path, "uppfoljning-april.xlsx", {"Blad1": followup})
    reports = run(config, first, second)
    assert [r.status for r in reports] == ["accepted", "accepted"], [r.reason for r in reports]
    assert (reports[1].document, reports[1].doc_year) == ("delarsrapport", 2025)
    got = [(r[2], r[1], r[5], r[8], r[9], r[10]) for r in facts(config)]
    assert got == [
        ("budget", 2025, None, "budget", D(1_000_000), "mob-2025.xlsx"),
        ("budget", 2026, None, "plan", D(1_010_000), "mob-2025.xlsx"),
        ("delarsrapport", 2025, None, "budget", D(1_020_000), "uppfoljning-april.xlsx"),
        ("delarsrapport", 2025, "2025-04", "utfall", D(330_000), "uppfoljning-april.xlsx"),
        ("delarsrapport", 2025, None, "prognos", D(1_000_000), "uppfoljning-april.xlsx"),
        ("delarsrapport", 2025, None, "avvikelse", D(20_000), "uppfoljning-april.xlsx"),
    ]


def test_investment_projects_whole_project_figures_are_not_the_years(tmp_path, config):
    """Investeringsredovisning with each project's figures over all its years ("Total
    projektbudget", "Ack. utfall tidigare år", "Prognos slutkostnad") beside the year's:
    only the year's are facts, the others are named as not read (before, the file was
    refused: "Total projektbudget" and "Budget 2025" both read as the 2025 budget)."""
    rows = [
        ["Delårsrapport 2 2025"],
        ["Investeringsredovisning per projekt, tkr"],
        ["Projekt", "Nämnd", "Total projektbudget", "Ack. utfall tidigare år", "Budget 2025",
         "Utfall jan–aug 2025", "Prognos 2025", "Prognos slutkostnad"],
        ["Ny förskola Hovsjö", "Utbildningsnämnden", 85000, 40000, 30000, 18000, 28000, 84000],
        ["GC-väg Järna", "Tekniska nämnden", 12000, 2000, 5000, 3500, 6000, 12500],
        ["Summa", None, 97000, 42000, 35000, 21500, 34000, 96500],
    ]  # fmt: skip
    (report,) = run(config, book(tmp_path, "dr2-2025.xlsx", {"Investeringar": rows}))
    assert report.status == "accepted", report.reason
    f, s = "dr2-2025.xlsx", "Investeringar"
    c = (2025, 2025, "delarsrapport", "kommunen", "investering")
    un, tn, p = "Utbildningsnämnden", "Tekniska nämnden", "2025-08"
    fs, gc = "Ny förskola Hovsjö", "GC-väg Järna"
    assert facts(config) == [
        (*c, None, un, fs, "budget", D(30_000_000), f, s, "E4"),
        (*c, None, tn, gc, "budget", D(5_000_000), f, s, "E5"),
        (*c, p, un, fs, "utfall", D(18_000_000), f, s, "F4"),
        (*c, p, tn, gc, "utfall", D(3_500_000), f, s, "F5"),
        (*c, None, un, fs, "prognos", D(28_000_000), f, s, "G4"),
        (*c, None, tn, gc, "prognos", D(6_000_000), f, s, "G5"),
    ]
    assert "3 av 3 summor stämmer på kronan" in report.details["avstämning"]
    assert report.details["_tabeller"][0]["ignorerade kolumner"] == [
        "C3 'Total projektbudget'",
        "D3 'Ack. utfall tidigare år'",
        "H3 'Prognos slutkostnad'",
    ]


def test_monthly_outcomes_are_not_stored_as_january_to_that_month(tmp_path, config):
    """A månadsuppföljning with "Utfall 2025" merged over "Jan | Feb | Mar | Ack. mars": a
    period (2025-03) means January to March, so only "Ack. mars" is that; the single months
    are reported, not stored (before, "Mar" and "Ack. mars" were both read as utfall
    jan–mar and the file was refused; headed "Utfall jan | Utfall feb" they were stored as
    jan–jan and jan–feb)."""
    rows = [
        ["Månadsuppföljning mars 2025, tkr"],
        [None, "Utfall 2025", None, None, None, "Budget 2025"],
        ["Nämnd", "Jan", "Feb", "Mar", "Ack. mars", "Helår"],
        ["Kommunstyrelsen", 80, 85, 90, 255, 1000],
        ["Socialnämnden", 40, 42, 41, 123, 500],
        ["Summa", 120, 127, 131, 378, 1500],
    ]
    path = book(tmp_path, "uppfoljning.xlsx", {"Drift": rows}, merges={"Drift": ["B2:E2"]})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "uppfoljning.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, "2025-03", ks, ks, "utfall", D(255_000), f, s, "E4"),
        (*c, "2025-03", sn, sn, "utfall", D(123_000), f, s, "E5"),
        (*c, None, ks, ks, "budget", D(1_000_000), f, s, "F4"),
        (*c, None, sn, sn, "budget", D(500_000), f, s, "F5"),
    ]
    skipped = [m for m in report.messages if "en enskild månads belopp" in m]
    assert [m.split(":")[0] for m in skipped] == [
        "B3 'Utfall 2025 Jan'",
        "C3 'Utfall 2025 Feb'",
        "D3 'Utfall 2025 Mar'",
    ]


@pytest.mark.parametrize("earlier", ["Föregående prognos", "Prognos förra månaden"])
def test_the_forecast_before_this_one_is_a_comparison(tmp_path, config, earlier):
    """A månadsrapport showing last month's forecast beside its own ("Föregående prognos |
    Prognos 2025 | Förändring"): only the report's own forecast is the year's prognos (the
    file was refused as having two prognos columns for 2025)."""
    rows = [
        ["Månadsrapport augusti 2025, tkr"],
        ["Nämnd", "Budget 2025", "Utfall jan–aug", earlier, "Prognos 2025", "Förändring"],
        ["Kommunstyrelsen", 1000, 600, 980, 990, 10],
        ["Socialnämnden", 500, 350, 520, 530, 10],
        ["Summa", 1500, 950, 1500, 1520, 20],
    ]
    (report,) = run(config, book(tmp_path, "manadsrapport.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "manadsrapport.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    ks, sn, p = "Kommunstyrelsen", "Socialnämnden", "2025-08"
    assert facts(config) == [
        (*c, None, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (*c, None, sn, sn, "budget", D(500_000), f, s, "B4"),
        (*c, p, ks, ks, "utfall", D(600_000), f, s, "C3"),
        (*c, p, sn, sn, "utfall", D(350_000), f, s, "C4"),
        (*c, None, ks, ks, "prognos", D(990_000), f, s, "E3"),
        (*c, None, sn, sn, "prognos", D(530_000), f, s, "E4"),
    ]
    assert (
        f"D2 '{earlier}': en tidigare prognos än rapportens egen; en jämförelse, sparas inte"
        in (report.messages)
    )


@pytest.mark.parametrize("label", ["Södertälje kommun", "Kommunen"])
def test_a_last_line_naming_the_kommun_with_the_sum_is_the_total(tmp_path, config, label):
    """The bottom line of a table of nämnder named after the kommun itself ("Södertälje
    kommun", "Kommunen") with their sum: the total, reconciled, not the kommun's own post
    stored beside the nämnder (which counted the money twice). The same line with amounts
    of its own (kommungemensamma kostnader) stays the kommun's post."""
    rows = [
        ["Bokslut 2024, tkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Kommunstyrelsen", 1000, 990],
        ["Socialnämnden", 500, 530],
        [label, 1500, 1520],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B4"),
        (*c, ks, ks, "utfall", D(990_000), f, s, "C3"),
        (*c, sn, sn, "utfall", D(530_000), f, s, "C4"),
    ]
    assert reconciliations(config) == [
        (label, "B5", "budget", 2024, None, D(1_500_000), D(1_500_000), "ok"),
        (label, "C5", "utfall", 2024, None, D(1_520_000), D(1_520_000), "ok"),
    ]

    rows = [
        ["Bokslut 2023, tkr"],
        ["Nämnd", "Budget 2023", "Utfall 2023"],
        ["Kommunstyrelsen", 1000, 990],
        ["Socialnämnden", 500, 530],
        [label, 40, 35],
        ["Summa", 1540, 1555],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2023.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[6], r[8], r[9]) for r in facts(config) if r[10] == "bokslut-2023.xlsx"]
    kommun = "Södertälje kommun"
    assert (kommun, "budget", D(40_000)) in got and (kommun, "utfall", D(35_000)) in got
    assert "2 av 2 summor stämmer på kronan" in report.details["avstämning"]


def test_header_repeated_after_a_page_break_continues_the_table(tmp_path, config):
    """A bokslut table converted from the PDF: the header repeated under "Sida 2 av 3" on
    the next page, "Summa" at the very end. One table, whose total covers both pages (it
    was compared with the second page only and reported as a difference). The same header
    under a title of its own ("Investeringsredovisning") still starts a table of its own."""
    rows = [
        ["Bokslut 2024"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Kommunstyrelsen", 1000, 990],
        ["Socialnämnden", 500, 530],
        [],
        ["Sida 2 av 3"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Utbildningsnämnden", 2000, 1990],
        ["Miljönämnden", 50, 45],
        ["Summa", 3550, 3555],
        [],
        ["Investeringsredovisning, tkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Tekniska nämnden", 300, 280],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    i = (2024, 2024, "bokslut", "kommunen", "investering", None)
    ks, sn, un, mn, tn = (
        "Kommunstyrelsen", "Socialnämnden", "Utbildningsnämnden", "Miljönämnden",
        "Tekniska nämnden",
    )  # fmt: skip
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B4"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B5"),
        (*c, un, un, "budget", D(2_000_000), f, s, "B9"),
        (*c, mn, mn, "budget", D(50_000), f, s, "B10"),
        (*i, tn, tn, "budget", D(300_000), f, s, "B15"),
        (*c, ks, ks, "utfall", D(990_000), f, s, "C4"),
        (*c, sn, sn, "utfall", D(530_000), f, s, "C5"),
        (*c, un, un, "utfall", D(1_990_000), f, s, "C9"),
        (*c, mn, mn, "utfall", D(45_000), f, s, "C10"),
        (*i, tn, tn, "utfall", D(280_000), f, s, "C15"),
    ]
    assert reconciliations(config) == [
        ("Summa", "B11", "budget", 2024, None, D(3_550_000), D(3_550_000), "ok"),
        ("Summa", "C11", "utfall", 2024, None, D(3_555_000), D(3_555_000), "ok"),
    ]
    assert report.details["tabeller"] == [
        "Drift!A3:C11 (drift, 8 fakta)",
        "Drift!A14:C15 (investering, 2 fakta)",
    ]


def test_names_broken_over_two_rows_by_a_pdf_conversion(tmp_path, config):
    """A table converted from the PDF report keeps the PDF's line breaks in long names:
    "Kultur- och" on a row of its own above "fritidsnämnden" and its amounts, "Arbets- och
    näringslivs-" with its amounts above "nämnden". Each is one nämnd of the registry (they
    were stored as the unknown organisations "fritidsnämnden" and "Arbets- och
    näringslivs-")."""
    rows = [
        ["Bokslut 2024, mnkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Kommunstyrelsen", 100, 99],
        ["Kultur- och", None, None],
        ["fritidsnämnden", 180, 185],
        ["Arbets- och näringslivs-", 50, 48],
        ["nämnden", None, None],
        ["Summa", 330, 332],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2024.xlsx", "Drift"
    c = (2024, 2024, "bokslut", "kommunen", "drift", None)
    ks, kfn, ann = "Kommunstyrelsen", "Kultur- och fritidsnämnden", "Arbets- och näringslivsnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(100_000_000), f, s, "B3"),
        (*c, kfn, kfn, "budget", D(180_000_000), f, s, "B5"),
        (*c, ann, ann, "budget", D(50_000_000), f, s, "B6"),
        (*c, ks, ks, "utfall", D(99_000_000), f, s, "C3"),
        (*c, kfn, kfn, "utfall", D(185_000_000), f, s, "C5"),
        (*c, ann, ann, "utfall", D(48_000_000), f, s, "C6"),
    ]
    assert "2 av 2 summor stämmer på kronan" in report.details["avstämning"]
    assert not any("okända organisationer" in m for m in report.messages)


def test_header_words_broken_over_two_rows(tmp_path, config):
    """Header texts a PDF conversion broke over two rows, nothing merged: "Budget" over
    "2025", "Utfall" over "jan–aug", "Prognos" over "helår", "Avvikelse" over "mot
    budget". The last is the avvikelse (it was read as a second budget 2025 and the file
    refused)."""
    rows = [
        ["Delårsrapport 2 2025, mnkr"],
        [None, "Budget", "Utfall", "Prognos", "Avvikelse"],
        ["Nämnd", "2025", "jan–aug", "helår", "mot budget"],
        ["Kommunstyrelsen", 100, 60, 99, 1],
        ["Socialnämnden", 50, 35, 53, -3],
        ["Summa", 150, 95, 152, -2],
    ]
    (report,) = run(config, book(tmp_path, "dr2.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "dr2.xlsx", "Drift"
    c = (2025, 2025, "delarsrapport", "kommunen", "drift")
    ks, sn, p = "Kommunstyrelsen", "Socialnämnden", "2025-08"
    assert facts(config) == [
        (*c, None, ks, ks, "budget", D(100_000_000), f, s, "B4"),
        (*c, None, sn, sn, "budget", D(50_000_000), f, s, "B5"),
        (*c, p, ks, ks, "utfall", D(60_000_000), f, s, "C4"),
        (*c, p, sn, sn, "utfall", D(35_000_000), f, s, "C5"),
        (*c, None, ks, ks, "prognos", D(99_000_000), f, s, "D4"),
        (*c, None, sn, sn, "prognos", D(53_000_000), f, s, "D5"),
        (*c, None, ks, ks, "avvikelse", D(1_000_000), f, s, "E4"),
        (*c, None, sn, sn, "avvikelse", D(-3_000_000), f, s, "E5"),
    ]
    assert "4 av 4 summor stämmer på kronan" in report.details["avstämning"]


@pytest.mark.parametrize(
    ("adopted", "change", "revised"),
    [
        ("Budget 2025", "Budgetjustering", "Justerad budget 2025"),
        ("Beslutad budget", "Omdisponeringar", "Budget efter omdisponering"),
        ("Budget 2025", "Tilläggsbudget", "Budget inkl. tilläggsbudget"),
    ],
)
def test_budget_revised_during_the_year_beside_the_adopted_one(
    tmp_path, config, adopted, change, revised
):
    """Bokslut columns showing the adopted budget, the changes during the year and the
    revised budget the outcome is measured against: the revised budget is the year's
    budget; the adopted one and the changes are reported, not stored (the file was refused
    as having two or three budget 2025 columns)."""
    rows = [
        ["Bokslut 2025, tkr"],
        ["Nämnd", adopted, change, revised, "Utfall 2025", "Avvikelse"],
        ["Kommunstyrelsen", 1000, 20, 1020, 1010, 10],
        ["Socialnämnden", 500, -10, 490, 500, -10],
        ["Summa", 1500, 10, 1510, 1510, 0],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2025.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s = "bokslut-2025.xlsx", "Drift"
    c = (2025, 2025, "bokslut", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_020_000), f, s, "D3"),
        (*c, sn, sn, "budget", D(490_000), f, s, "D4"),
        (*c, ks, ks, "utfall", D(1_010_000), f, s, "E3"),
        (*c, sn, sn, "utfall", D(500_000), f, s, "E4"),
        (*c, ks, ks, "avvikelse", D(10_000), f, s, "F3"),
        (*c, sn, sn, "avvikelse", D(-10_000), f, s, "F4"),
    ]
    assert (
        f"B2 '{adopted}': budgeten före justering, bredvid den justerade som sparas; sparas inte"
        in report.messages
    )
    assert any(f"C2 '{change}'" in m for m in report.messages) or any(
        f"C2 '{change}'" in t for t in report.details["_tabeller"][0].get("ignorerade kolumner", [])
    )


def test_namnd_names_with_their_abbreviation(tmp_path, config):
    """Nämnder written with their abbreviation after the name ("Utbildningsnämnden (UN)",
    "Tekniska nämnden, TN", "Kultur- och fritidsnämnden – KFN"): the registry's nämnder,
    the line items as published (they were put on the kommun as posts without a nämnd)."""
    rows = [
        ["Bokslut 2024, tkr"],
        ["Nämnd", "Budget 2024", "Utfall 2024"],
        ["Utbildningsnämnden (UN)", 300, 300],
        ["Tekniska nämnden, TN", 30, 28],
        ["Kultur- och fritidsnämnden – KFN", 20, 21],
        ["Summa", 350, 349],
    ]
    (report,) = run(config, book(tmp_path, "bokslut-2024.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    got = [(r[6], r[7], r[8], r[9]) for r in facts(config)]
    un, tn, kfn = "Utbildningsnämnden", "Tekniska nämnden", "Kultur- och fritidsnämnden"
    assert got == [
        (un, "Utbildningsnämnden (UN)", "budget", D(300_000)),
        (tn, "Tekniska nämnden, TN", "budget", D(30_000)),
        (kfn, "Kultur- och fritidsnämnden – KFN", "budget", D(20_000)),
        (un, "Utbildningsnämnden (UN)", "utfall", D(300_000)),
        (tn, "Tekniska nämnden, TN", "utfall", D(28_000)),
        (kfn, "Kultur- och fritidsnämnden – KFN", "utfall", D(21_000)),
    ]
    assert not any("poster utan nämnd" in m for m in report.messages)
