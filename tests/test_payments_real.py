"""Supplier-payment files as kommuner really publish them: exports from Raindance,
Agresso/Unit4, Visma and Hypergene, and hand-made workbooks, each built small in tmp_path and
ingested through `verkstad ingest`. Every row must be loaded once and the loaded total must
be the file's own sum."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from test_payments import db_total, rows, run

# the payments view, whole rows, in the order of its columns (source_file left out: the
# tests load one file each)
VIEW = (
    "select date, period, year, quarter, organisation, konto, kontotext, supplier, org_nr,"
    " invoice, amount_sek, category, category_rule, source_sheet, source_row, source_cell"
    " from payments order by source_sheet, source_row, source_cell"
)


def test_excel_csv_utf8_comma_separated_with_quoted_commas_and_line_breaks(config, tmp_path):
    """Excel's "CSV UTF-8" saved with a comma list separator: BOM, CRLF, fields with commas
    and a line break quoted. (Already read right before this file's fixes.)"""
    path = tmp_path / "leverantorsbetalningar.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + (
            "Förvaltning,Leverantörsnamn,Organisationsnummer,Konto,Kontobenämning,"
            "Verifikationsdatum,Belopp SEK\r\n"
            'Socialnämnden,"Demo Bygg, Mark & Anläggning AB",556000-1234,6410,'
            '"Förbrukningsmaterial, övrigt",2025-01-15,"1 234,50"\r\n'
            'Socialnämnden,Demo HVB Ett AB,5560005678,4610,"Köp av\r\nhuvudverksamhet",'
            '2025-01-16,"-200,00"\r\n'
            "Socialnämnden,Demo HVB Ett AB,5560005678,4610,Köp av huvudverksamhet,"
            '2025-02-03,"3 000,00"\r\n'
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["avgränsare"] == ","
    assert rows(config, VIEW) == [
        (date(2025, 1, 15), "2025-01", 2025, 1, "Socialnämnden", "6410",
         "Förbrukningsmaterial, övrigt", "Demo Bygg, Mark & Anläggning AB", "556000-1234",
         None, Decimal("1234.50"), "övriga", "ovriga-konto", None, 2, "G2"),
        (date(2025, 1, 16), "2025-01", 2025, 1, "Socialnämnden", "4610",
         "Köp av huvudverksamhet", "Demo HVB Ett AB", "556000-5678", None,
         Decimal("-200.00"), "privata välfärdsaktörer", "privat-valfard-namn", None, 3, "G3"),
        (date(2025, 2, 3), "2025-02", 2025, 1, "Socialnämnden", "4610",
         "Köp av huvudverksamhet", "Demo HVB Ett AB", "556000-5678", None,
         Decimal("3000.00"), "privata välfärdsaktörer", "privat-valfard-namn", None, 5, "G5"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("4034.50")


def test_unicode_text_utf16_tab_with_abbreviated_headers(config, tmp_path):
    """Excel's "Unicode text" (UTF-16 LE with BOM, tabs, quotes doubled) from a Raindance
    report with its shortened headers "Lev.namn", "Org nr", "Bokf.datum", "Ver.nr" and
    "Belopp, SEK". "Bokf.datum" was not taken for a date: the file was rejected for want of
    one."""
    path = tmp_path / "utbetalningar.txt"
    path.write_bytes(
        codecs.BOM_UTF16_LE
        + (
            'Ansvar\tLev.namn\tOrg nr\tBokf.datum\tVer.nr\t"Belopp, SEK"\r\n'
            "Tekniska nämnden\tDemo Städ AB\t556000-1234\t2025-02-01\t1001\t1 000,00\r\n"
            'Tekniska nämnden\t"Demo ""Ren"" Luft AB"\t556111-2222\t2025-03-31\t1002\t'
            "-250,75\r\n"
        ).encode("utf-16-le")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["kolumner"] == (
        "leverantör: Lev.namn, org.nr: Org nr, datum: Bokf.datum, faktura: Ver.nr,"
        " belopp: Belopp, SEK"
    )
    assert rows(config, VIEW) == [
        (date(2025, 2, 1), "2025-02", 2025, 1, None, None, None, "Demo Städ AB",
         "556000-1234", "1001", Decimal("1000.00"), "oklassad", None, None, 2, "F2"),
        (date(2025, 3, 31), "2025-03", 2025, 1, None, None, None, 'Demo "Ren" Luft AB',
         "556111-2222", "1002", Decimal("-250.75"), "oklassad", None, None, 3, "F3"),
    ]  # fmt: skip


def test_supplier_name_is_read_beside_a_supplier_number_column(config, tmp_path):
    """An Agresso export with "Leverantör" (the supplier's number in the ledger) before
    "Leverantörsnamn": the name is the supplier, not the number."""
    path = tmp_path / "agresso.csv"
    path.write_bytes(
        (
            "Leverantör\tLeverantörsnamn\tKonto\tPeriod\tBelopp\r\n"
            "10234\tDemo Konsult AB\t7379\t202503\t5000.00\r\n"
            "10877\tDemo Bemanning AB\t5890\t202503\t-125.50\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (None, "2025-03", 2025, 1, None, "7379", None, "Demo Konsult AB", None, None,
         Decimal("5000.00"), "konsulter", "konsulter-namn", None, 2, "E2"),
        (None, "2025-03", 2025, 1, None, "5890", None, "Demo Bemanning AB", None, None,
         Decimal("-125.50"), "bemanning", "bemanning-namn", None, 3, "E3"),
    ]  # fmt: skip


def test_cp1252_with_trailing_separators_total_and_source_line_in_the_first_column(
    config, tmp_path
):
    """Windows-1252 with ";" and CRLF, ";;;" at the end of every line, credit notes with a
    trailing minus, a "kr" suffix, a "Summa" row and the source line under the table in
    column A — which is the supplier's column here. The source line was read as a payment
    without an amount and rejected the file."""
    path = tmp_path / "leverantorer-januari.csv"
    path.write_bytes(
        (
            "Leverantörsbetalningar januari 2025;;;;;;;\r\n"
            ";;;;;;;\r\n"
            "Leverantör;Org.nr;Betaldatum;Belopp;Förvaltning;;;\r\n"
            "Demo Åkeri AB;5560001234;2025-01-10;1 234,50-;TN;;;\r\n"
            "Demo Åkeri AB;5560001234;2025-01-11;10 000,00;TN;;;\r\n"
            "Demo Åkeri AB;556000-1234;2025-01-12;99 kr;TN;;;\r\n"
            "Summa;;;8 864,50;;;;\r\n"
            ";;;;;;;\r\n"
            "Källa: Ekonomisystemet, uttag 2025-02-03;;;;;;;\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summa stämmer"] == "ja"
    assert report.details["text under tabellen (ej inläst)"] == (
        "Källa: Ekonomisystemet, uttag 2025-02-03"
    )
    assert rows(config, VIEW) == [
        (date(2025, 1, 10), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Åkeri AB", "556000-1234", None, Decimal("-1234.50"), "oklassad", None,
         None, 4, "D4"),
        (date(2025, 1, 11), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Åkeri AB", "556000-1234", None, Decimal("10000.00"), "oklassad", None,
         None, 5, "D5"),
        (date(2025, 1, 12), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Åkeri AB", "556000-1234", None, Decimal("99.00"), "oklassad", None,
         None, 6, "D6"),
    ]  # fmt: skip


def test_dot_decimal_amounts_in_an_otherwise_swedish_column(config, tmp_path):
    """A hand-kept list where a few amounts were pasted as "1234.50" among "1 234,50": the
    dot there can only be a decimal point (it was read as thousands, 123 450 kr)."""
    path = tmp_path / "handgjord.csv"
    path.write_bytes(
        (
            "Nämnd;Leverantör;Datum;Belopp\r\n"
            "SN;Demo Familjehem AB;2025-04-01;1 234,50\r\n"
            "SN;Demo Familjehem AB;2025-04-02;1234.50\r\n"
            "SN;Demo Familjehem AB;2025-04-03;-99.5\r\n"
            "Summa;;;2 369,50\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summa stämmer"] == "ja"
    assert [r[10] for r in rows(config, VIEW)] == [
        Decimal("1234.50"),
        Decimal("1234.50"),
        Decimal("-99.50"),
    ]


def test_amounts_exported_with_four_decimals(config, tmp_path):
    """A database export (Visma, Hypergene) writes amounts as "1234.5000": a dot before four
    digits cannot group thousands. Read as 12 345 000 kr before, without a word."""
    path = tmp_path / "visma-export.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Konto;Bokföringsdatum;Belopp\r\n"
            "UN;Demo Skolmat AB;6410;2025-05-02;1234.5000\r\n"
            "UN;Demo Skolmat AB;6410;2025-05-09;-200.0000\r\n"
            "UN;Demo Skolmat AB;6410;2025-05-16;10.0000\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (date(2025, 5, 2), "2025-05", 2025, 2, "Utbildningsnämnden", "6410", None,
         "Demo Skolmat AB", None, None, Decimal("1234.50"), "övriga", "ovriga-konto",
         None, 2, "E2"),
        (date(2025, 5, 9), "2025-05", 2025, 2, "Utbildningsnämnden", "6410", None,
         "Demo Skolmat AB", None, None, Decimal("-200.00"), "övriga", "ovriga-konto",
         None, 3, "E3"),
        (date(2025, 5, 16), "2025-05", 2025, 2, "Utbildningsnämnden", "6410", None,
         "Demo Skolmat AB", None, None, Decimal("10.00"), "övriga", "ovriga-konto",
         None, 4, "E4"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("1044.50")


def test_org_nr_written_three_ways_is_one_supplier(config, tmp_path):
    """ "5560001234", "556000-1234" and the VAT number "SE556000123401" are the same company;
    a kommun's VAT number "SE212000014201" is a kommun's org.nr (offentlig sektor), not
    "20" + a personnummer. The VAT numbers were kept wrong ("600012-3401")."""
    path = tmp_path / "momsregnr.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Momsreg.nr;Konto;Period;Belopp\r\n"
            "SN;Demo Omsorg AB;5560001234;4620;2025-06;100,00\r\n"
            "SN;Demo Omsorg AB;556000-1234;4620;2025-06;200,00\r\n"
            "SN;Demo Omsorg AB;SE556000123401;4620;2025-06;300,00\r\n"
            "SN;Demo kommun;SE212000014201;4620;2025-06;400,00\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(
        config,
        "select supplier, org_nr, category, count(*), sum(amount_sek) from payments"
        " group by all order by supplier",
    ) == [
        ("Demo Omsorg AB", "556000-1234", "privata välfärdsaktörer", 3, Decimal("600.00")),
        ("Demo kommun", "212000-0142", "offentlig sektor", 1, Decimal("400.00")),
    ]
    assert rows(config, "select count(*) from payment_lines") == [(2,)]


def test_exkl_and_inkl_moms_columns_one_is_chosen_and_named(config, tmp_path):
    """Both "Belopp SEK exkl moms" and "Belopp SEK inkl moms" (Hypergene's wording): the
    exkl column is loaded, never both, and the report names it; periods written three ways.
    (With "Belopp exkl moms" / "Belopp inkl moms" this already worked; with "SEK" before
    "moms" neither column was recognised and the file was declined.)"""
    path = tmp_path / "hypergene.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + (
            "Period;Förvaltning/bolag;Leverantörsnamn;Konto (kod);Kontobenämning;"
            "Belopp SEK exkl moms;Belopp SEK inkl moms\r\n"
            "202501;Miljönämnden;Demo Labb AB;6410;Material;100,00;125,00\r\n"
            "2025-02;Miljönämnden;Demo Labb AB;6410;Material;200,00;250,00\r\n"
            "jan 2025;Miljönämnden;Demo Labb AB;6410;Material;-40,00;-50,00\r\n"
            "Totalt;;;;;260,00;325,00\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert "belopp: Belopp SEK exkl moms" in report.details["kolumner"]
    assert "inkl" not in report.details["kolumner"]
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (None, "2025-01", 2025, 1, "Miljönämnden", "6410", "Material", "Demo Labb AB",
         None, None, Decimal("100.00"), "övriga", "ovriga-konto", None, 2, "F2"),
        (None, "2025-02", 2025, 1, "Miljönämnden", "6410", "Material", "Demo Labb AB",
         None, None, Decimal("200.00"), "övriga", "ovriga-konto", None, 3, "F3"),
        (None, "2025-01", 2025, 1, "Miljönämnden", "6410", "Material", "Demo Labb AB",
         None, None, Decimal("-40.00"), "övriga", "ovriga-konto", None, 4, "F4"),
    ]  # fmt: skip


def test_periods_as_excel_shows_a_month_cell(config, tmp_path):
    """A period column of date cells formatted "mmm-yy" is written into a CSV as "jan-25";
    it was rejected as unreadable."""
    path = tmp_path / "perioder.csv"
    path.write_bytes(
        (
            "Period;Leverantör;Nämnd;Belopp\r\n"
            "jan-25;Demo Buss AB;TN;10,00\r\n"
            "dec-24;Demo Buss AB;TN;20,00\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, "select period, year, quarter, amount_sek from payments") == [
        ("2025-01", 2025, 1, Decimal("10.00")),
        ("2024-12", 2024, 4, Decimal("20.00")),
    ]


def _month_sheet(wb, title, payments):
    ws = wb.create_sheet(title)
    ws.append(["Förvaltning", "Leverantörsnamn", "Org.nr", "Betaldatum", "Belopp"])
    for row in payments:
        ws.append(list(row))
    ws.append(["Summa", None, None, None, sum(row[4] for row in payments)])


def test_one_sheet_per_month_and_a_summary_sheet_are_loaded_once(config, tmp_path):
    """A hand-made workbook: "Sammanställning" per supplier and month (its own Totalt row),
    then one sheet per month. The summary has the columns of a payments table and was
    loaded beside the months, doubling every krona."""
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Sammanställning"
    summary.append(["Sammanställning leverantörsbetalningar 2025"])
    summary.append([])
    summary.append(["Förvaltning", "Leverantör", "Månad", "Belopp"])
    summary.append(["SN", "Demo HVB Ett AB", "2025-01", 1500.0])
    summary.append(["TN", "Demo Asfalt AB", "2025-01", 500.5])
    summary.append(["SN", "Demo HVB Ett AB", "2025-02", 2000.0])
    summary.append(["Totalt", None, None, 4000.5])
    _month_sheet(
        wb,
        "Januari",
        [
            ("SN", "Demo HVB Ett AB", "556000-0001", date(2025, 1, 5), 1000.0),
            ("SN", "Demo HVB Ett AB", "556000-0001", date(2025, 1, 20), 500.0),
            ("TN", "Demo Asfalt AB", "556000-0002", date(2025, 1, 7), 500.5),
        ],
    )
    _month_sheet(
        wb, "Februari", [("SN", "Demo HVB Ett AB", "556000-0001", date(2025, 2, 5), 2000.0)]
    )
    path = tmp_path / "betalningar-2025.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["blad 'Sammanställning'"] == (
        "sammanställning: summan 4\u00a0000,50 kr upprepar de andra bladens summa (ej inläst)"
    )
    assert report.details["blad 'Januari', summa stämmer"] == "ja"
    assert report.details["blad 'Februari', summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 2, 5), "2025-02", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", "556000-0001", None, Decimal("2000.00"),
         "privata välfärdsaktörer", "privat-valfard-namn", "Februari", 2, "E2"),
        (date(2025, 1, 5), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", "556000-0001", None, Decimal("1000.00"),
         "privata välfärdsaktörer", "privat-valfard-namn", "Januari", 2, "E2"),
        (date(2025, 1, 20), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", "556000-0001", None, Decimal("500.00"),
         "privata välfärdsaktörer", "privat-valfard-namn", "Januari", 3, "E3"),
        (date(2025, 1, 7), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", "556000-0002", None, Decimal("500.50"), "oklassad", None,
         "Januari", 4, "E4"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("4000.50")

    # Two months that happen to sum alike, without dates: neither repeats the other.
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for month in ("2025-03", "2025-04"):
        ws = wb.create_sheet(month)
        ws.append(["Förvaltning", "Leverantör", "Period", "Belopp"])
        ws.append(["SN", "Demo Hyra AB", month, 100.0])
    wb.save(tmp_path / "mars-april.xlsx")
    [report] = run(config, tmp_path / "mars-april.xlsx")
    assert report.status == "accepted", report.reason
    assert rows(
        config,
        "select source_sheet, period, amount_sek from payments where year = 2025"
        " and period >= '2025-03' order by 1",
    ) == [("2025-03", "2025-03", Decimal("100.00")), ("2025-04", "2025-04", Decimal("100.00"))]


def test_excel_subtotals_are_not_payments(config, tmp_path):
    """A list run through Excel's Data ▸ Delsummor, grouped by supplier: "Demo HVB Ett AB
    Summa" under each group and "Totalsumma" at the end. Those rows were loaded as payments
    (or, without a date, rejected the file)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Leverantör", "Org nr", "Konto", "Betaldatum", "Belopp"])
    ws.append(["Demo HVB Ett AB", "556000-0001", 4610, date(2025, 1, 5), 1000])
    ws.append(["Demo HVB Ett AB", "556000-0001", 4610, date(2025, 1, 9), 250.5])
    ws.append(["Demo HVB Ett AB Summa", None, None, None, 1250.5])
    ws.append(["Demo Städ AB", "556111-2222", 6410, date(2025, 1, 5), 300])
    ws.append(["Demo Städ AB Summa", None, None, None, 300])
    ws.append(["Totalsumma", None, None, None, 1550.5])
    path = tmp_path / "delsummor.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summarader (ej inlästa)"] == 3
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 5), "2025-01", 2025, 1, None, "4610", None, "Demo HVB Ett AB",
         "556000-0001", None, Decimal("1000.00"), "privata välfärdsaktörer",
         "privat-valfard-namn", "Sheet", 2, "E2"),
        (date(2025, 1, 9), "2025-01", 2025, 1, None, "4610", None, "Demo HVB Ett AB",
         "556000-0001", None, Decimal("250.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", "Sheet", 3, "E3"),
        (date(2025, 1, 5), "2025-01", 2025, 1, None, "6410", None, "Demo Städ AB",
         "556111-2222", None, Decimal("300.00"), "övriga", "ovriga-konto", "Sheet", 5, "E5"),
    ]  # fmt: skip


def test_total_label_in_the_date_column_and_a_source_line(config, tmp_path):
    """A Visma list with the date first: "Totalt" stands in the date column. It was read as
    a date that cannot be read and rejected the file."""
    path = tmp_path / "visma.csv"
    path.write_bytes(
        (
            "Datum;Leverantör;Org.nr;Fakturanr;Belopp\r\n"
            "2025-01-02;Demo Konsult AB;5560001234;F-1;10 000,00\r\n"
            "2025-01-03;Demo Konsult AB;5560001234;F-2;-1 000,00\r\n"
            "Totalt;;;;9 000,00\r\n"
            '"Källa: Ekonomisystemet, uttag 2025-02-03";;;;\r\n'
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, None, None, None, "Demo Konsult AB",
         "556000-1234", "F-1", Decimal("10000.00"), "konsulter", "konsulter-namn", None,
         2, "E2"),
        (date(2025, 1, 3), "2025-01", 2025, 1, None, None, None, "Demo Konsult AB",
         "556000-1234", "F-2", Decimal("-1000.00"), "konsulter", "konsulter-namn", None,
         3, "E3"),
    ]  # fmt: skip


def test_masked_persons_are_loaded_and_never_classified_as_companies(config, tmp_path):
    """ "Skyddad identitet" and "Privatperson" rows (org.nr blank or masked) are payments:
    loaded with their money, on a konto where companies are classified by org.nr, and left
    oklassad. (Already right before this file's fixes.)"""
    path = tmp_path / "skyddade.csv"
    path.write_bytes(
        (
            "Nämnd;Leverantör;Org.nr;Konto;Betaldatum;Belopp\r\n"
            "SN;Skyddad identitet;;4620;2025-03-01;5 000,00\r\n"
            "SN;Privatperson;XXXXXX-XXXX;4620;2025-03-02;2 500,00\r\n"
            "SN;Demo Stöd AB;556000-0003;4620;2025-03-03;1 000,00\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(
        config, "select supplier, org_nr, category, amount_sek from payments order by source_row"
    ) == [
        ("Skyddad identitet", None, "oklassad", Decimal("5000.00")),
        ("Privatperson", "XXXXXX-XXXX", "oklassad", Decimal("2500.00")),
        ("Demo Stöd AB", "556000-0003", "privata välfärdsaktörer", Decimal("1000.00")),
    ]


def test_header_cells_with_line_breaks(config, tmp_path):
    """Hand-made headers wrapped with Alt+Enter: "Betal-⏎datum" in a workbook was not taken
    for a date (the file was rejected for want of one); in a CSV the quoted header spans
    three lines and the file was not recognised as payments at all."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Utbetalningar"
    ws.append(["Förvaltning", "Leverantörens\nnamn", "Belopp\nexkl moms", "Betal-\ndatum"])
    ws.append(["SN", "Demo HVB Ett AB", 100.5, date(2025, 1, 2)])
    wb.save(tmp_path / "radbrutna.xlsx")
    [report] = run(config, tmp_path / "radbrutna.xlsx")
    assert report.status == "accepted", report.reason
    assert report.details["blad 'Utbetalningar', kolumner"] == (
        "förvaltning/nämnd: Förvaltning, leverantör: Leverantörens namn,"
        " belopp: Belopp exkl moms, datum: Betal- datum"
    )
    path = tmp_path / "radbrutna.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + (
            'Förvaltning;"Leverantörens\r\nnamn";"Belopp\r\nexkl moms";Datum\r\n'
            "TN;Demo Asfalt AB;200,00;2025-02-03\r\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", None, None, Decimal("100.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", "Utbetalningar", 2, "C2"),
        (date(2025, 2, 3), "2025-02", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", None, None, Decimal("200.00"), "oklassad", None, None, 4, "C4"),
    ]  # fmt: skip


def test_header_repeated_inside_the_table(config, tmp_path):
    """A report exported page by page (or one block per förvaltning under its own header)
    repeats the header row inside the table; it was read as an amount "Belopp" and
    rejected the file."""
    path = tmp_path / "sidor.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Belopp;Datum\r\n"
            "SN;Demo HVB Ett AB;100,50;2025-01-02\r\n"
            ";;;\r\n"
            "Förvaltning;Leverantör;Belopp;Datum\r\n"
            "TN;Demo Asfalt AB;10,00;2025-01-03\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["upprepade rubrikrader (ej inlästa)"] == 1
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", None, None, Decimal("100.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 2, "C2"),
        (date(2025, 1, 3), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", None, None, Decimal("10.00"), "oklassad", None, None, 5, "C5"),
    ]  # fmt: skip


@pytest.mark.parametrize("as_text", [False, True])
def test_whole_year_sheet_beside_the_month_sheets_is_loaded_once(config, tmp_path, as_text):
    """ "Helår" holds every row of the month sheets again, dates and all; it was loaded
    beside them, doubling every krona. Also when one amount typed as text sends Helår to
    the text read, which gives its dates as "2025-02-05 00:00:00"."""
    payments = {
        "Januari": [
            ("SN", "Demo HVB Ett AB", "556000-0001", date(2025, 1, 5), 1000.0),
            ("TN", "Demo Asfalt AB", "556000-0002", date(2025, 1, 7), 500.5),
        ],
        "Februari": [("SN", "Demo HVB Ett AB", "556000-0001", date(2025, 2, 5), 2000.0)],
    }
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _month_sheet(wb, "Helår", payments["Januari"] + payments["Februari"])
    if as_text:
        wb["Helår"]["E4"] = "2 000,00"
    for month, rows_of_month in payments.items():
        _month_sheet(wb, month, rows_of_month)
    path = tmp_path / "helar.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["blad 'Helår'"] == (
        "kopia: summan 3\u00a0500,50 kr upprepar de andra bladens rader och summa (ej inläst)"
    )
    assert rows(
        config, "select source_sheet, source_row, date, amount_sek from payments order by all"
    ) == [
        ("Februari", 2, date(2025, 2, 5), Decimal("2000.00")),
        ("Januari", 2, date(2025, 1, 5), Decimal("1000.00")),
        ("Januari", 3, date(2025, 1, 7), Decimal("500.50")),
    ]


def test_dates_with_two_digit_years_are_rejected_not_moved_to_year_15(config, tmp_path):
    """A short date format ("15.01.25", dd.mm.yy) read as 25 January of the year 15, and the
    file loaded with it; now the file is rejected naming the cell, as for any date that
    cannot be read."""
    path = tmp_path / "kortdatum.csv"
    path.write_bytes(
        (
            "Nämnd;Leverantör;Bokföringsdatum;Belopp\r\nSN;Demo HVB Ett AB;15.01.25;100,00\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "rejected"
    assert report.reason == (
        "kortdatum.csv, cell C2: rad 2: datumet går inte att läsa ('15.01.25')"
    )
    assert rows(config, "select count(*) from payment_entries") == [(0,)]


def test_separator_at_the_end_of_every_data_line_but_not_the_header(config, tmp_path):
    """An export that ends each data line, but not the header, with ";" has one empty field
    more than the header names; the file was rejected as ragged. A line whose extra field
    holds something is still rejected, naming that line."""
    path = tmp_path / "semikolon.csv"
    lines = [
        "Förvaltning;Leverantör;Belopp;Bokföringsdatum",
        "SN;Demo HVB Ett AB;100,50;2025-01-02;",
        "TN;Demo Asfalt AB;-10,00;2025-01-03;",
    ]
    path.write_bytes("\r\n".join([*lines, ""]).encode("cp1252"))
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", None, None, Decimal("100.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 2, "C2"),
        (date(2025, 1, 3), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", None, None, Decimal("-10.00"), "oklassad", None, None, 3, "C3"),
    ]  # fmt: skip
    ragged = tmp_path / "forskjuten.csv"
    ragged.write_bytes("\r\n".join([*lines, "TN;Demo;Asfalt AB;5,00;2025-01-04", ""]).encode())
    [report] = run(config, ragged)
    assert report.status == "rejected"
    assert report.reason == "forskjuten.csv: rad 4: 5 fält, rubrikraden har 4"


def test_ids_written_as_excel_text_formulas(config, tmp_path):
    """An export meant for Excel writes ids as ="…" so that leading zeros survive: org.nr,
    konto, invoice, period (and here the amount too). The period was unreadable and the
    file rejected; konto and invoice were kept with the formula around them."""
    path = tmp_path / "excelvanlig.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Org.nr;Konto;Fakturanr;Period;Belopp\r\n"
            'SN;Demo HVB Ett AB;="5560001234";="4610";="00123";="202501";="1 234,50"\r\n'
            'SN;Demo HVB Ett AB;="5560001234";="4610";="00124";="202502";-34,50\r\n'
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (None, "2025-01", 2025, 1, "Socialnämnden", "4610", None, "Demo HVB Ett AB",
         "556000-1234", "00123", Decimal("1234.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 2, "G2"),
        (None, "2025-02", 2025, 1, "Socialnämnden", "4610", None, "Demo HVB Ett AB",
         "556000-1234", "00124", Decimal("-34.50"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 3, "G3"),
    ]  # fmt: skip


def test_whole_kronor_written_with_comma_dash(config, tmp_path):
    """A hand-kept workbook with amounts typed as text the way Swedes write whole kronor:
    "1 500,-" was read as a trailing minus, −1 500 kr. ("250:-" already read right.)"""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Fakturor"
    ws.append(["Nämnd", "Leverantör", "Datum", "Belopp"])
    ws.append(["KFN", "Demo Teknik AB", "2025-06-01", "1 500,-"])
    ws.append(["KFN", "Demo Teknik AB", "2025-06-02", "250:-"])
    ws.append(["KFN", "Demo Teknik AB", "2025-06-03", -300])
    ws.append(["Summa", None, None, "1 450,-"])
    wb.save(tmp_path / "fakturor.xlsx")
    [report] = run(config, tmp_path / "fakturor.xlsx")
    assert report.status == "accepted", report.reason
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 6, 1), "2025-06", 2025, 2, "Kultur- och fritidsnämnden", None, None,
         "Demo Teknik AB", None, None, Decimal("1500.00"), "oklassad", None, "Fakturor",
         2, "D2"),
        (date(2025, 6, 2), "2025-06", 2025, 2, "Kultur- och fritidsnämnden", None, None,
         "Demo Teknik AB", None, None, Decimal("250.00"), "oklassad", None, "Fakturor",
         3, "D3"),
        (date(2025, 6, 3), "2025-06", 2025, 2, "Kultur- och fritidsnämnden", None, None,
         "Demo Teknik AB", None, None, Decimal("-300.00"), "oklassad", None, "Fakturor",
         4, "D4"),
    ]  # fmt: skip


def test_excel_for_mac_csv_mac_roman_with_cr_line_ends(config, tmp_path):
    """Excel for Mac's plain "CSV": Mac Roman, lines ended by CR alone. The header's "ö"
    read as "š" under Windows-1252 and the file was not taken for payments; and in any
    encoding polars found a single line ("a header but no payments")."""
    path = tmp_path / "mac.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Betaldatum;Belopp\r"
            "Äldreomsorgsnämnden;Demo Älvsjö Åkeri AB;2025-01-02;1 234,50\r"
            "Äldreomsorgsnämnden;Demo Öst Omsorg AB;2025-01-03;-10,00\r"
        ).encode("mac_roman")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["teckenkodning"] == "mac_roman"
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, "Äldreomsorgsnämnden", None, None,
         "Demo Älvsjö Åkeri AB", None, None, Decimal("1234.50"), "oklassad", None, None,
         2, "D2"),
        (date(2025, 1, 3), "2025-01", 2025, 1, "Äldreomsorgsnämnden", None, None,
         "Demo Öst Omsorg AB", None, None, Decimal("-10.00"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 3, "D3"),
    ]  # fmt: skip


def test_old_excel_xls_export_is_payments_not_a_budget(config, tmp_path):
    """An Excel 97–2003 .xls (older Raindance and Agresso exports, many kommuner's web
    pages) with the table from B3 under two empty rows: it was offered to the budget
    workbook importer, which loaded the amounts as budget facts. Rows and cells are the
    sheet's own."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Leverantörsreskontra")
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    table = [
        ["Förvaltning", "Leverantörsnamn", "Org.nr", "Verifikationsdatum", "Belopp"],
        ["SN", "Demo HVB Ett AB", "556000-0001", date(2025, 1, 5), 1000.5],
        ["TN", "Demo Asfalt AB", "556000-0002", date(2025, 1, 7), -200],
        ["Summa", None, None, None, 800.5],
    ]
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if value is not None:
                style = as_date if isinstance(value, date) else xlwt.Style.default_style
                ws.write(i + 2, j + 1, value, style)
    path = tmp_path / "reskontra.xls"
    wb.save(str(path))
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 5), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", "556000-0001", None, Decimal("1000.50"),
         "privata välfärdsaktörer", "privat-valfard-namn", "Leverantörsreskontra", 4, "F4"),
        (date(2025, 1, 7), "2025-01", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", "556000-0002", None, Decimal("-200.00"), "oklassad", None,
         "Leverantörsreskontra", 5, "F5"),
    ]  # fmt: skip


def test_opendocument_ods_is_payments(config, tmp_path):
    """A list saved from LibreOffice as .ods: offered to the budget importer before."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Utbetalningar")
    for values in (
        ["Utbetalningar 2025"],
        [],
        ["Nämnd", "Leverantör", "Betaldatum", "Belopp exkl moms"],
        ["UN", "Demo Skolmat AB", date(2025, 3, 1), 1234.5],
        ["UN", "Demo Skolmat AB", date(2025, 3, 2), -34.5],
    ):
        tr = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="float", value=value)
            elif isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "utbetalningar.ods"
    doc.save(str(path))
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert rows(config, VIEW) == [
        (date(2025, 3, 1), "2025-03", 2025, 1, "Utbildningsnämnden", None, None,
         "Demo Skolmat AB", None, None, Decimal("1234.50"), "oklassad", None,
         "Utbetalningar", 4, "D4"),
        (date(2025, 3, 2), "2025-03", 2025, 1, "Utbildningsnämnden", None, None,
         "Demo Skolmat AB", None, None, Decimal("-34.50"), "oklassad", None,
         "Utbetalningar", 5, "D5"),
    ]  # fmt: skip


def test_excel_csv_ms_dos_cp850(config, tmp_path):
    """Excel's "CSV (MS-DOS)" (and old DOS-era systems) write cp850: "ö" is byte 0x94, which
    Windows-1252 reads as a quotation mark, and the header was not recognised."""
    path = tmp_path / "dos.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Betaldatum;Belopp\r\n"
            "Äldreomsorgsnämnden;Demo Älvsjö Åkeri AB;2025-01-02;1 234,50\r\n"
        ).encode("cp850")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["teckenkodning"] == "cp850"
    assert rows(config, "select organisation, supplier, amount_sek from payments") == [
        ("Äldreomsorgsnämnden", "Demo Älvsjö Åkeri AB", Decimal("1234.50"))
    ]


def test_payment_with_the_name_left_out_is_loaded_not_taken_for_a_total(config, tmp_path):
    """A three-column list (name, org.nr, amount) where a protected person's payment has
    name and org.nr blank: a row with only an amount, which was dropped as an unlabelled
    total — 5 000 kr lost, and the Totalt row then disagreed. A bare row is a total only
    when it adds up (here the unlabelled subtotal under the first two payments)."""
    path = tmp_path / "skyddad.csv"
    path.write_bytes(
        (
            "Leverantör;Organisationsnummer;Belopp\r\n"
            "Demo Stöd AB;5560001234;100,00\r\n"
            "Demo Stöd AB;5560001234;20,00\r\n"
            ";;120,00\r\n"
            ";;5 000,00\r\n"
            "Demo Buss AB;5560005678;50,00\r\n"
            "Totalt;;5 170,00\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path, year=2025)
    assert report.status == "accepted", report.reason
    assert report.details["rader med bara belopp (inlästa som betalningar)"] == 1
    assert report.details["summarader (ej inlästa)"] == 2
    assert report.details["summa stämmer"] == "ja"
    assert rows(
        config, "select supplier, org_nr, amount_sek, source_row from payments order by 4"
    ) == [
        ("Demo Stöd AB", "556000-1234", Decimal("100.00"), 2),
        ("Demo Stöd AB", "556000-1234", Decimal("20.00"), 3),
        (None, None, Decimal("5000.00"), 5),
        ("Demo Buss AB", "556000-5678", Decimal("50.00"), 6),
    ]

    # Nested unlabelled subtotals (per supplier, then per block) all add up: none is a
    # payment; nor is a figure under the table that adds up to nothing (a count, its label
    # in a column not read).
    nested = tmp_path / "nivaer.csv"
    nested.write_bytes(
        (
            "Leverantör;Organisationsnummer;Belopp\r\n"
            "Demo Taxi AB;5560001111;10,00\r\n"
            ";;10,00\r\n"
            "Demo Färja AB;5560002222;5,00\r\n"
            ";;5,00\r\n"
            ";;15,00\r\n"
            "Demo Tåg AB;5560003333;1,00\r\n"
            ";;1,00\r\n"
            ";;1,00\r\n"
            ";;16,00\r\n"
            ";;3\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, nested, year=2024)
    assert report.status == "accepted", report.reason
    assert report.details["summarader (ej inlästa)"] == 7
    assert "rader med bara belopp (inlästa som betalningar)" not in report.details
    assert rows(config, "select sum(amount_sek), count(*) from payments where year = 2024") == [
        (Decimal("16.00"), 3)
    ]


def test_companies_named_total_or_summa_are_payments(config, tmp_path):
    """ "Total Sverige AB" and "Summa Konsult AB" (with their org.nr) are suppliers, not
    total rows; both were dropped as totals and the total row then disagreed. ("Total …"
    in the förvaltning's column is still a total.)"""
    path = tmp_path / "drivmedel.csv"
    path.write_bytes(
        (
            "Förvaltning;Leverantör;Org.nr;Betaldatum;Belopp\r\n"
            "TN;Total Sverige AB;556000-1111;2025-02-01;4 000,00\r\n"
            "TN;Summa Konsult AB;556000-2222;2025-02-02;1 000,00\r\n"
            "TN;Demo Asfalt AB;556000-3333;2025-02-03;500,00\r\n"
            "Total tekniska nämnden;;;;5 500,00\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, "select supplier, org_nr, amount_sek from payments order by all") == [
        ("Demo Asfalt AB", "556000-3333", Decimal("500.00")),
        ("Summa Konsult AB", "556000-2222", Decimal("1000.00")),
        ("Total Sverige AB", "556000-1111", Decimal("4000.00")),
    ]


def test_months_side_by_side_on_one_sheet(config, tmp_path):
    """A hand-made sheet with January in A–D and February in F–I, an empty column between:
    only January was read, February's payments left out without a word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kvartal 1"
    ws.append(["Januari", None, None, None, None, "Februari"])
    header = ["Leverantör", "Förvaltning", "Belopp", "Datum"]
    ws.append([*header, None, *header])
    ws.append(["Demo A AB", "SN", 100, date(2025, 1, 2), None,
               "Demo B AB", "TN", 50, date(2025, 2, 3)])  # fmt: skip
    ws.append(["Demo C AB", "SN", 10, date(2025, 1, 9)])
    wb.save(tmp_path / "kvartal.xlsx")
    [report] = run(config, tmp_path / "kvartal.xlsx")
    assert report.status == "accepted", report.reason
    assert report.details["blad 'Kvartal 1' från kolumn F, rubrikrad"] == 2
    assert rows(config, VIEW) == [
        (date(2025, 1, 2), "2025-01", 2025, 1, "Socialnämnden", None, None, "Demo A AB",
         None, None, Decimal("100.00"), "oklassad", None, "Kvartal 1", 3, "C3"),
        (date(2025, 2, 3), "2025-02", 2025, 1, "Tekniska nämnden", None, None, "Demo B AB",
         None, None, Decimal("50.00"), "oklassad", None, "Kvartal 1", 3, "H3"),
        (date(2025, 1, 9), "2025-01", 2025, 1, "Socialnämnden", None, None, "Demo C AB",
         None, None, Decimal("10.00"), "oklassad", None, "Kvartal 1", 4, "C4"),
    ]  # fmt: skip

    # One wide table with an empty column in it and a second supplier and amount column
    # of other wordings is one table, read once.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bred"
    ws.append(["Leverantör", "Belopp", "Datum", None, "Leverantörsnamn", "Belopp inkl moms"])
    ws.append([1001, 80, date(2025, 3, 2), None, "Demo D AB", 100])
    wb.save(tmp_path / "bred.xlsx")
    [report] = run(config, tmp_path / "bred.xlsx")
    assert report.status == "accepted", report.reason
    assert rows(
        config, "select supplier, amount_sek, source_cell from payments where period = '2025-03'"
    ) == [("Demo D AB", Decimal("80.00"), "B2")]


def test_amount_headed_utbetalt_or_kronor(config, tmp_path):
    """ "Mottagare … Utbetalt" and "Leverantör … Kronor": the amount column went
    unrecognised and the file was refused (as no budget either)."""
    path = tmp_path / "utbetalt.csv"
    path.write_bytes(
        (
            "Utbetalningar till leverantörer 2025\r\n"
            "Mottagare;Förvaltning;Utbetalt;Datum\r\n"
            "Demo HVB Ett AB;Socialnämnden;1 000,00;2025-01-02\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["kolumner"] == (
        "leverantör: Mottagare, förvaltning/nämnd: Förvaltning, belopp: Utbetalt, datum: Datum"
    )
    kronor = tmp_path / "kronor.csv"
    kronor.write_bytes(
        "Leverantör;Nämnd;Kronor;Period\r\nDemo Buss AB;TN;250,00;2025-02\r\n".encode("cp1252")
    )
    [report] = run(config, kronor)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (None, "2025-02", 2025, 1, "Tekniska nämnden", None, None, "Demo Buss AB", None,
         None, Decimal("250.00"), "oklassad", None, None, 2, "C2"),
        (date(2025, 1, 2), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", None, None, Decimal("1000.00"), "privata välfärdsaktörer",
         "privat-valfard-namn", None, 3, "C3"),
    ]  # fmt: skip


def test_ledger_export_with_supplier_number_and_name(config, tmp_path):
    """A Visma ledger export names the supplier "Lev.nr" and "Namn": no supplier column was
    recognised, and with --year the budget importer loaded the amounts as a budget."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reskontra"
    ws.append(["Lev.nr", "Namn", "Fakturanr", "Fakturadatum", "Betaldatum", "Belopp"])
    ws.append([1001, "Demo Bygg AB", "F1", date(2025, 1, 2), date(2025, 1, 30), 1000.5])
    ws.append([1002, "Demo Städ AB", "F2", date(2025, 1, 3), date(2025, 1, 31), 200])
    wb.save(tmp_path / "visma.xlsx")
    [report] = run(config, tmp_path / "visma.xlsx", year=2025)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert rows(config, VIEW) == [
        (date(2025, 1, 30), "2025-01", 2025, 1, None, None, None, "Demo Bygg AB", None,
         "F1", Decimal("1000.50"), "oklassad", None, "Reskontra", 2, "F2"),
        (date(2025, 1, 31), "2025-01", 2025, 1, None, None, None, "Demo Städ AB", None,
         "F2", Decimal("200.00"), "oklassad", None, "Reskontra", 3, "F3"),
    ]  # fmt: skip


def test_payments_per_supplier_with_the_year_in_the_title(config, tmp_path):
    """ "Utbetalningar per leverantör 2025": only Leverantör and Belopp, the year in the
    title. It was loaded by the budget importer as the budget of organisations named
    after the suppliers; now it is payments, the year taken from the title (a date in
    the title, "uttag 2025-02-03", is not a year of the payments)."""
    path = tmp_path / "per-leverantor.csv"
    path.write_bytes(
        (
            "Utbetalningar per leverantör 2024 (uttag 2025-02-03)\r\n"
            "\r\n"
            "Leverantör;Belopp\r\n"
            "Demo A AB;1 000,00\r\n"
            "Demo Omsorg AB;250,50\r\n"
            "Summa;1 250,50\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert report.details["år ur titeln (rader utan datum)"] == 2024
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (None, None, 2024, None, None, None, None, "Demo A AB", None, None,
         Decimal("1000.00"), "oklassad", None, None, 4, "B4"),
        (None, None, 2024, None, None, None, None, "Demo Omsorg AB", None, None,
         Decimal("250.50"), "privata välfärdsaktörer", "privat-valfard-namn", None, 5, "B5"),
    ]  # fmt: skip


def test_months_by_name_with_the_year_in_the_title_or_given(config, tmp_path):
    """Månad "Januari", "Februari" or 3, the year only in the title: every row was rejected
    as an unreadable period, even with --year."""
    path = tmp_path / "manader.csv"
    path.write_bytes(
        (
            "Leverantörsbetalningar 2025\r\n"
            "Månad;Leverantör;Förvaltning;Belopp\r\n"
            "Januari;Demo Buss AB;TN;100,00\r\n"
            "Februari;Demo Buss AB;TN;50,00\r\n"
            "3;Demo Buss AB;TN;5,00\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["år ur titeln (rader utan datum)"] == 2025
    assert rows(config, "select period, year, quarter, amount_sek from payments order by 1") == [
        ("2025-01", 2025, 1, Decimal("100.00")),
        ("2025-02", 2025, 1, Decimal("50.00")),
        ("2025-03", 2025, 1, Decimal("5.00")),
    ]
    # --year decides over the title
    again = tmp_path / "manader-2024.csv"
    again.write_bytes(path.read_bytes().replace(b"Buss", b"Taxi"))
    [report] = run(config, again, year=2024)
    assert report.status == "accepted", report.reason
    assert rows(config, "select period from payments where year = 2024 order by 1") == [
        ("2024-01",),
        ("2024-02",),
        ("2024-03",),
    ]


def test_two_row_header_belopp_and_datum_merged_over_their_kinds(config, tmp_path):
    """ "Belopp" merged over "exkl moms | inkl moms" and "Datum" over "Bokförd | Betald",
    as a hand-made workbook has them: the file was refused (no row named an amount)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Betalningar"
    ws.append(["Leverantörsbetalningar 2025"])
    ws.append(["Förvaltning", "Leverantör", "Belopp", None, "Datum", None])
    ws.append([None, None, "exkl moms", "inkl moms", "Bokförd", "Betald"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    ws.merge_cells("E2:F2")
    ws.append(["SN", "Demo HVB Ett AB", 1000.0, 1250.0, "2025-01-10", "2025-01-31"])
    ws.append(["TN", "Demo Asfalt AB", 200.5, 250.63, "2025-02-10", "2025-03-02"])
    ws.append(["Summa", None, 1200.5, 1500.63, None, None])
    path = tmp_path / "betalningar.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["blad 'Betalningar', rubrikrad"] == 3
    assert report.details["blad 'Betalningar', kolumner"] == (
        "förvaltning/nämnd: Förvaltning, leverantör: Leverantör, belopp: Belopp exkl moms,"
        " datum: Datum Betald"
    )
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 31), "2025-01", 2025, 1, "Socialnämnden", None, None, "Demo HVB Ett AB", None,
         None, Decimal("1000.00"), "privata välfärdsaktörer", "privat-valfard-namn",
         "Betalningar", 4, "C4"),
        (date(2025, 3, 2), "2025-03", 2025, 1, "Tekniska nämnden", None, None, "Demo Asfalt AB", None,
         None, Decimal("200.50"), "oklassad", None, "Betalningar", 5, "C5"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("1200.50")


def test_two_row_header_in_a_csv(config, tmp_path):
    """The same two-row header saved as CSV: the merged cells are empty fields."""
    path = tmp_path / "betalningar.csv"
    path.write_bytes(
        (
            "Leverantörsbetalningar 2025;;;;\r\n"
            "Förvaltning;Leverantör;Belopp;;Datum\r\n"
            ";;exkl moms;inkl moms;Bokförd\r\n"
            "SN;Demo HVB Ett AB;1 000,00;1 250,00;2025-01-10\r\n"
            "TN;Demo Asfalt AB;200,50;250,63;2025-02-10\r\n"
            "Summa;;1 200,50;1 500,63;\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["rubrikrad"] == 3
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 10), "2025-01", 2025, 1, "Socialnämnden", None, None, "Demo HVB Ett AB", None,
         None, Decimal("1000.00"), "privata välfärdsaktörer", "privat-valfard-namn", None, 4,
         "C4"),
        (date(2025, 2, 10), "2025-02", 2025, 1, "Tekniska nämnden", None, None, "Demo Asfalt AB", None,
         None, Decimal("200.50"), "oklassad", None, None, 5, "C5"),
    ]  # fmt: skip


def test_ledger_with_debet_and_kredit_columns_and_no_amount(config, tmp_path):
    """A ledger export (huvudbok per leverantör) gives Debet and Kredit, no Belopp: the
    amount is debet − kredit, a credit note negative. The file was refused (no amount)."""
    path = tmp_path / "huvudbok.csv"
    path.write_bytes(
        (
            "Ver.datum;Leverantör;Konto;Debet;Kredit\r\n"
            "2025-01-15;Demo Konsult AB;7379;5 000,00;\r\n"
            "2025-01-20;Demo Konsult AB;7379;;1 250,50\r\n"
            "2025-02-03;Demo Bemanning AB;5890;800,00;0,00\r\n"
            "Summa;;;5 800,00;1 250,50\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["kolumner"] == (
        "datum: Ver.datum, leverantör: Leverantör, konto: Konto, debet: Debet, kredit: Kredit"
    )
    assert report.details["belopp"] == (
        "debet − kredit (kreditposter negativa; cellen anges i debetkolumnen)"
    )
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 15), "2025-01", 2025, 1, None, "7379", None, "Demo Konsult AB", None,
         None, Decimal("5000.00"), "konsulter", "konsulter-namn", None, 2, "D2"),
        (date(2025, 1, 20), "2025-01", 2025, 1, None, "7379", None, "Demo Konsult AB", None,
         None, Decimal("-1250.50"), "konsulter", "konsulter-namn", None, 3, "D3"),
        (date(2025, 2, 3), "2025-02", 2025, 1, None, "5890", None, "Demo Bemanning AB", None,
         None, Decimal("800.00"), "bemanning", "bemanning-namn", None, 4, "D4"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("4549.50")


def test_ledger_workbook_with_debet_and_kredit(config, tmp_path):
    """The same ledger as a workbook, numbers in number cells (read typed)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Huvudbok"
    ws.append(["Bokf.datum", "Leverantörsnamn", "Org.nr", "Debet", "Kredit"])
    ws.append([date(2025, 3, 1), "Demo Städ AB", "556000-1234", 1200.25, None])
    ws.append([date(2025, 3, 9), "Demo Städ AB", "556000-1234", None, 200.25])
    path = tmp_path / "huvudbok.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(config, VIEW) == [
        (date(2025, 3, 1), "2025-03", 2025, 1, None, None, None, "Demo Städ AB",
         "556000-1234", None, Decimal("1200.25"), "oklassad", None, "Huvudbok", 2, "D2"),
        (date(2025, 3, 9), "2025-03", 2025, 1, None, None, None, "Demo Städ AB",
         "556000-1234", None, Decimal("-200.25"), "oklassad", None, "Huvudbok", 3, "D3"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("1000.00")


def test_block_layout_with_each_forvaltning_as_a_heading_row(config, tmp_path):
    """A report printed per förvaltning: its name on a row of its own, its payments under
    it without a förvaltning column, "Summa <förvaltning>" under them, and the grand total
    last. The file was refused ("belopp saknas" on the first heading)."""
    path = tmp_path / "per-forvaltning.csv"
    path.write_bytes(
        (
            "Leverantörsbetalningar per förvaltning 2025\r\n"
            "Leverantör;Org.nr;Betaldatum;Belopp\r\n"
            "Socialnämnden;;;\r\n"
            "Demo HVB Ett AB;556000-1234;2025-01-10;1 000,00\r\n"
            "Demo Städ AB;556111-2222;2025-01-12;-100,00\r\n"
            "Summa Socialnämnden;;;900,00\r\n"
            "\r\n"
            "Tekniska nämnden;;;\r\n"
            "Demo Asfalt AB;556222-3333;2025-02-01;250,50\r\n"
            "Summa Tekniska nämnden;;;250,50\r\n"
            "Totalt;;;1 150,50\r\n"
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["förvaltningar som rubrikrader över sina betalningar"] == (
        "Socialnämnden, Tekniska nämnden"
    )
    assert report.details["summa per förvaltning stämmer"] == "ja"
    assert report.details["summa stämmer"] == "ja"
    assert rows(config, VIEW) == [
        (date(2025, 1, 10), "2025-01", 2025, 1, "Socialnämnden", None, None,
         "Demo HVB Ett AB", "556000-1234", None, Decimal("1000.00"),
         "privata välfärdsaktörer", "privat-valfard-namn", None, 4, "D4"),
        (date(2025, 1, 12), "2025-01", 2025, 1, "Socialnämnden", None, None, "Demo Städ AB",
         "556111-2222", None, Decimal("-100.00"), "oklassad", None, None, 5, "D5"),
        (date(2025, 2, 1), "2025-02", 2025, 1, "Tekniska nämnden", None, None,
         "Demo Asfalt AB", "556222-3333", None, Decimal("250.50"), "oklassad", None, None, 9,
         "D9"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("1150.50")


def test_block_layout_in_a_workbook_with_only_block_totals(config, tmp_path):
    """Blocks per nämnd in a workbook, number cells, each block closed by its own
    "Summa <nämnd>" and no grand total; a block total that disagrees rejects the file.
    (The registry names "Barn- och utbildningsnämnden" Utbildningsnämnden.)"""

    def workbook(second_total):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Utbetalningar"
        ws.append(["Leverantörsnamn", "Fakturanr", "Bokföringsdatum", "Belopp"])
        ws.append(["Barn- och utbildningsnämnden"])
        ws.append(["Demo Skolmat AB", "A-1", date(2025, 4, 2), 300.0])
        ws.append(["Summa Barn- och utbildningsnämnden", None, None, 300.0])
        ws.append(["Kultur- och fritidsnämnden"])
        ws.append(["Demo Scen AB", "B-7", date(2025, 4, 9), 120.25])
        ws.append(["Demo Scen AB", "B-8", date(2025, 5, 9), 79.75])
        ws.append(["Summa Kultur- och fritidsnämnden", None, None, second_total])
        return wb

    path = tmp_path / "block.xlsx"
    workbook(200.0).save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["summa per förvaltning stämmer"] == "ja"
    assert "summa stämmer" not in report.details
    assert rows(config, VIEW) == [
        (date(2025, 4, 2), "2025-04", 2025, 2, "Utbildningsnämnden", None, None,
         "Demo Skolmat AB", None, "A-1", Decimal("300.00"), "oklassad", None,
         "Utbetalningar", 3, "D3"),
        (date(2025, 4, 9), "2025-04", 2025, 2, "Kultur- och fritidsnämnden", None, None,
         "Demo Scen AB", None, "B-7", Decimal("120.25"), "oklassad", None, "Utbetalningar",
         6, "D6"),
        (date(2025, 5, 9), "2025-05", 2025, 2, "Kultur- och fritidsnämnden", None, None,
         "Demo Scen AB", None, "B-8", Decimal("79.75"), "oklassad", None, "Utbetalningar",
         7, "D7"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("500.00")
    wrong = tmp_path / "block-fel.xlsx"
    workbook(210.0).save(wrong)
    [report] = run(config, wrong)
    assert report.status == "rejected"
    assert "summaraden för Kultur- och fritidsnämnden" in report.reason


def test_annual_report_with_a_largest_suppliers_sheet_is_no_payments_file(config, tmp_path):
    """An årsredovisning's workbook: the driftredovisning (budget, utfall and avvikelse per
    nämnd) and a sheet of the largest suppliers, only "Leverantör | Belopp". The payments
    importer took the whole workbook and the budget sheet was left unread; now the
    workbook importer reads it."""
    wb = openpyxl.Workbook()
    drift = wb.active
    drift.title = "Driftredovisning"
    drift.append(["Driftredovisning 2025, mnkr"])
    drift.append([])
    drift.append(["Nämnd", "Budget 2025", "Utfall 2025", "Avvikelse"])
    drift.append(["Kommunstyrelsen", 260, 255.5, 4.5])
    drift.append(["Utbildningsnämnden", 3200, 3210, -10])
    largest = wb.create_sheet("Största leverantörer")
    largest.append(["Största leverantörer 2025"])
    largest.append(["Leverantör", "Belopp"])
    largest.append(["Demo Bygg AB", 12_000_000])
    largest.append(["Demo HVB Ett AB", 8_500_000])
    path = tmp_path / "arsredovisning-2025.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer != "payments"
    assert rows(config, VIEW) == []
    assert rows(
        config,
        "select organisation, measure, year, amount_sek from facts"
        " where source_sheet = 'Driftredovisning' and measure in ('budget', 'utfall')"
        " order by organisation, measure",
    ) == [
        ("Kommunstyrelsen", "budget", 2025, Decimal("260000000.00")),
        ("Kommunstyrelsen", "utfall", 2025, Decimal("255500000.00")),
        ("Utbildningsnämnden", "budget", 2025, Decimal("3200000000.00")),
        ("Utbildningsnämnden", "utfall", 2025, Decimal("3210000000.00")),
    ]


def test_suppliers_sheet_beside_a_cover_sheet_of_text_stays_payments(config, tmp_path):
    """The other side: a published workbook of payments per supplier, "Leverantör | Belopp",
    behind a cover sheet of text (title, source, date). It is payments."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Information"
    cover.append(["Utbetalningar per leverantör 2025"])
    cover.append(["Källa: kommunens ekonomisystem"])
    cover.append(["Uttaget", "2026-01-15"])
    cover.append(["Belopp i kronor exklusive moms"])
    sheet = wb.create_sheet("Leverantörer")
    sheet.append(["Leverantör", "Belopp"])
    sheet.append(["Demo Bygg AB", 12_000.0])
    sheet.append(["Demo HVB Ett AB", 8_500.5])
    path = tmp_path / "leverantorer-2025.xlsx"
    wb.save(path)
    [report] = run(config, path, year=2025)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert rows(config, VIEW) == [
        (None, None, 2025, None, None, None, None, "Demo Bygg AB", None, None,
         Decimal("12000.00"), "oklassad", None, "Leverantörer", 2, "B2"),
        (None, None, 2025, None, None, None, None, "Demo HVB Ett AB", None, None,
         Decimal("8500.50"), "privata välfärdsaktörer", "privat-valfard-namn",
         "Leverantörer", 3, "B3"),
    ]  # fmt: skip
    assert db_total(config) == Decimal("20500.50")
