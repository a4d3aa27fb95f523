"""Supplier payments through `ingest`: column variants, encodings, lineage, idempotence."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest
from pipelines.payments import PaymentsImporter
from pipelines.payments.demo import payments_frame, write_csv, write_xlsx
from pipelines.payments.parse import parse_amount, parse_date, parse_period

BUDGET = {
    "Socialnämnden": 200_000_000.0,
    "Utbildningsnämnden": 300_000_000.0,
    "Tekniska nämnden": 50_000_000.0,
}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return payments_frame(2025, rows=400, seed=1, budget=BUDGET)


def run(config, *paths: Path, **kw):
    return ingest(list(paths), IngestOptions(config=config, **kw))


def rows(config, sql: str = "select * from payments order by source_file, source_row"):
    con = connect_read(config.db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def total(frame: pl.DataFrame) -> Decimal:
    return Decimal(str(frame.get_column("amount").sum()))


def db_total(config) -> Decimal:
    return rows(config, "select sum(amount_sek) from payments")[0][0]


# --- parsing -----------------------------------------------------------------------------


def test_amount_forms():
    values = [
        "1 234,50",
        "1\u00a0234,50",
        "\u22121 234",
        "(1 234)",
        "1234-",
        "1.234,50",
        "12,5 kr",
        "99*",
        "-",
        "",
        "abc",
        "1,2,3",
    ]
    got = parse_amount(pl.Series(values)).to_list()
    expected = ["1234.50", "1234.50", "-1234.00", "-1234.00", "-1234.00", "1234.50", "12.50"]
    assert [str(v) if v is not None else None for v in got] == [
        *expected,
        "99.00",
        "0.00",
        None,  # blank is missing, never zero
        None,
        None,
    ]


def test_amount_decimal_point_column():
    got = parse_amount(pl.Series(["1234.5", "1,234.50", "10"])).to_list()
    assert [str(v) for v in got] == ["1234.50", "1234.50", "10.00"]
    # In a workbook, number cells arrive as "1500.25" beside text cells in Swedish form.
    got = parse_amount(pl.Series(["1500.25", "2 000,00", "1.234", None]), numeric_cells=True)
    assert [str(v) if v is not None else None for v in got] == [
        "1500.25",
        "2000.00",
        "1.23",
        None,
    ]


def test_dates_and_periods():
    dates = parse_date(
        pl.Series(["2025-03-14", "2025-03-14 00:00:00", "14.03.2025", "20250314", "45730", "x"])
    ).to_list()
    assert [str(d) if d else None for d in dates] == ["2025-03-14"] * 5 + [None]
    periods = parse_period(
        pl.Series(["2025-03", "202503", "2025 3", "mars 2025", "3", "13"]),
        pl.Series([None, None, None, None, 2025, 2025], dtype=pl.Int32),
    ).to_list()
    assert periods == ["2025-03"] * 5 + [None]


# --- variants ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("cp1252", ";"), ("utf-8-sig", ";"), ("utf-8", "\t"), ("latin-1", ","), ("utf-16", ";")],
)
def test_csv_encodings_and_separators(config, tmp_path, frame, encoding, separator):
    path = write_csv(
        frame,
        tmp_path / "betalningar.csv",
        encoding=encoding,
        separator=separator,
        title="Leverantörsbetalningar 2025",
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.importer == "payments"
    assert report.facts == frame.height
    assert db_total(config) == total(frame)
    suppliers = {r[0] for r in rows(config, "select distinct supplier from payments")}
    assert suppliers == set(frame.get_column("supplier").unique().to_list())
    assert any("Förskola" in s or "Hemtjänst" in s or "Friskola" in s for s in suppliers)


def test_layout_b_combined_konto_and_period(config, tmp_path, frame):
    path = write_csv(frame, tmp_path / "b.csv", layout="b", encoding="utf-8-sig")
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    got = rows(
        config,
        "select konto, kontotext, org_nr, period, date, quarter from payments where source_row = 2",
    )
    first = frame.row(0, named=True)
    assert got == [
        (
            first["konto"],
            first["kontotext"],
            first["org_nr"],
            first["date"].strftime("%Y-%m"),
            None,
            (first["date"].month - 1) // 3 + 1,
        )
    ]
    assert db_total(config) == total(frame)


def test_xlsx_with_title_rows(config, tmp_path, frame):
    path = write_xlsx(frame, tmp_path / "betalningar.xlsx", title="Leverantörsbetalningar 2025")
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.facts == frame.height
    assert db_total(config) == total(frame)
    # Title rows 1-2, a blank row, the header on row 4: the first payment is on row 5.
    first = frame.row(0, named=True)
    got = rows(
        config,
        "select date, organisation, supplier, org_nr, invoice, amount_sek, source_sheet,"
        " source_row, source_cell from payments order by source_row limit 1",
    )
    assert got == [
        (
            first["date"],
            first["organisation"],
            first["supplier"],
            first["org_nr"],
            first["invoice"],
            first["amount"],
            "Betalningar",
            5,
            "H5",
        )
    ]


def test_openpyxl_workbook_text_amounts_both_nämnd_and_moms_columns(config, tmp_path):
    """A hand-made workbook: amounts as text, inkl and exkl moms, nämnd and förvaltning."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Utbetalningar"
    ws.append(["Utbetalningar till leverantörer jan–mar 2025"])
    ws.append(["Belopp i kronor"])
    ws.append([])
    ws.append(
        [
            "Nämnd",
            "Förvaltning",
            "Kontonr",
            "Konto benämning",
            "Leverantörsnamn",
            "Org nr",
            "Betaldatum",
            "Belopp inkl moms",
            "Belopp exkl moms",
        ]
    )
    ws.append(
        [
            "SN",
            "Socialkontoret",
            4610,
            "HVB",
            "Demo HVB Ett AB",
            "5566778899",
            "2025-01-15",
            "1 250,00",
            "1 000,00",
        ]
    )
    ws.append(
        [
            "Socialnämnden",
            "Socialkontoret",
            4610,
            "HVB",
            "Demo HVB Ett AB",
            "556677-8899",
            "15.02.2025",
            "(125,00)",
            "(100,00)",
        ]
    )
    ws.append(
        [
            "UN",
            "Utbildningskontoret",
            6410,
            "Material",
            "Demo Papper AB",
            None,
            "2025-03-01",
            62.5,
            50,
        ]
    )
    ws.append([None, None, None, None, None, None, None, None, None])
    ws.append(["Summa", None, None, None, None, None, None, "1 187,50", "950,00"])
    path = tmp_path / "utbetalningar.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    got = rows(
        config,
        "select organisation, konto, kontotext, supplier, org_nr, date, amount_sek, source_cell"
        " from payments order by source_row",
    )
    assert got == [
        ("Socialnämnden", "4610", "HVB", "Demo HVB Ett AB", "556677-8899",
         __import__("datetime").date(2025, 1, 15), Decimal("1000.00"), "I5"),
        ("Socialnämnden", "4610", "HVB", "Demo HVB Ett AB", "556677-8899",
         __import__("datetime").date(2025, 2, 15), Decimal("-100.00"), "I6"),
        ("Utbildningsnämnden", "6410", "Material", "Demo Papper AB", None,
         __import__("datetime").date(2025, 3, 1), Decimal("50.00"), "I7"),
    ]  # fmt: skip
    assert report.details["summa stämmer"] == "ja"


# --- lineage, idempotence, replacement ----------------------------------------------------


def test_lineage_points_at_the_source_line(config, tmp_path, frame):
    path = write_csv(frame, tmp_path / "a.csv", encoding="cp1252", title="Titel")
    run(config, path)
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    for supplier, amount, row, cell in rows(
        config,
        "select supplier, amount_sek, source_row, source_cell from payments"
        " using sample 25 rows (reservoir, 3)",
    ):
        line = lines[row - 1]
        assert supplier in line
        whole = f"{abs(int(amount)):,}".replace(",", "\u00a0")
        assert line.endswith(f"{whole},{abs(amount) % 1 * 100:02.0f}")
        assert cell == f"H{row}"


def test_same_file_twice_is_loaded_once(config, tmp_path, frame):
    path = write_csv(frame, tmp_path / "a.csv")
    copy = tmp_path / "kopia.csv"
    copy.write_bytes(path.read_bytes())
    first = run(config, path)
    second = run(config, path, copy)
    assert [r.status for r in first] == ["accepted"]
    assert [r.status for r in second] == ["already loaded", "already loaded"]
    assert rows(config, "select count(*) from payments") == [(frame.height,)]


def test_new_version_replaces_rather_than_doubles(config, tmp_path, frame):
    run(config, write_csv(frame, tmp_path / "v1.csv"))
    corrected = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.col("amount") + Decimal("10"))
        .otherwise(pl.col("amount"))
        .alias("amount")
    )
    [report] = run(config, write_csv(corrected, tmp_path / "v2.csv", layout="b"))
    assert report.status == "accepted", report.reason
    assert any("ersätter" in m for m in report.messages)
    assert rows(config, "select count(*) from payments") == [(frame.height,)]
    assert db_total(config) == total(frame) + 10
    # Another period for the same organisations is added, not replaced.
    other = payments_frame(2024, rows=100, seed=2, budget=BUDGET)
    run(config, write_csv(other, tmp_path / "2024.csv"))
    assert rows(config, "select count(*) from payments") == [(frame.height + other.height,)]


# --- rejection and sniffing --------------------------------------------------------------


def test_broken_amount_is_rejected_with_row_and_cell(config, tmp_path, frame):
    path = write_csv(frame.head(20), tmp_path / "trasig.csv", encoding="utf-8", title="T")
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[9] = lines[9].rsplit(";", 1)[0] + ";12 3x4,00"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    [report] = run(config, path)
    assert report.status == "rejected"
    assert report.reason.startswith("trasig.csv, cell H10: rad 10: beloppet går inte att läsa")
    assert not rows(config, "select * from payment_entries")


def test_ragged_line_and_bad_date_are_rejected(config, tmp_path, frame):
    path = write_csv(frame.head(20), tmp_path / "ragged.csv", encoding="utf-8")
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[5] += ";extra"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    [report] = run(config, path)
    assert report.status == "rejected"
    assert "rad 6: 9 fält, rubrikraden har 8" in report.reason

    path = write_csv(frame.head(20), tmp_path / "datum.csv", encoding="utf-8")
    text = path.read_bytes().decode("utf-8").replace(frame.row(3)[0].isoformat(), "31.02.2025", 1)
    path.write_bytes(text.encode("utf-8"))
    [report] = run(config, path)
    assert report.status == "rejected"
    assert "cell F" in report.reason and "datumet går inte att läsa ('31.02.2025')" in report.reason


def test_mismatched_total_row_is_rejected(config, tmp_path, frame):
    path = write_csv(frame.head(10), tmp_path / "summa.csv", encoding="utf-8")
    path.write_bytes(path.read_bytes() + b"Summa;;;;;;;1,00\r\n")
    [report] = run(config, path)
    assert report.status == "rejected"
    assert "summaraden" in report.reason and "cell H12" in report.reason


def test_sniff_declines_other_tables(tmp_path):
    importer = PaymentsImporter()
    budget = tmp_path / "budget.csv"
    budget.write_text("Nämnd;Budget 2025;Belopp\nSocialnämnden;1 000;2\n", encoding="utf-8")
    text = tmp_path / "program.txt"
    text.write_text("Vi vill:\n• Leverantör och belopp i en mening.\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.append(["Nämnd", "Budget 2025", "Prognos"])
    wb.active.append(["Socialnämnden", 1000, 900])
    book = tmp_path / "budget.xlsx"
    wb.save(book)
    for path in (budget, text, book):
        assert not importer.sniff(path, path.read_bytes()[:8192]), path.name
    payments = tmp_path / "p.csv"
    payments.write_bytes(codecs.BOM_UTF8 + "Titel\n\nLeverantör;Förvaltning;Belopp\n".encode())
    assert importer.sniff(payments, payments.read_bytes())


def test_trailing_separators_notes_and_other_header_words(config, tmp_path):
    path = tmp_path / "uppsala-stil.csv"
    path.write_bytes(
        (
            '"Utbetalningar till leverantörer";;;;;;;\r\n'
            ";;;;;;;\r\n"
            '"Nämnd";"Leverantörens namn";"Leverantörens organisationsnummer";"Kontonummer";'
            '"Kontonamn";"Fakturanummer";"Betalningsdag";"Belopp exkl. moms (kr)";\r\n'
            '"Omsorgsnämnden";"Demo Assistans AB";"5560000001";"4630";"LSS";"A-1";'
            '"2025.04.30";"12 000,50";\r\n'
            '"Omsorgsnämnden";"";"";"4630";"LSS";"A-2";"2025.05.02";"-500";\r\n'
            ";;;;;;;\r\n"
            '"Källa: Demo kommun, ekonomisystemet";;;;;;;\r\n'
        ).encode("cp1252")
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.details["rader utan belopp och leverantör (hoppades över)"] == 1
    assert rows(
        config,
        "select organisation, supplier, org_nr, konto, kontotext, invoice, date, amount_sek,"
        " category, source_cell from payments order by source_row",
    ) == [
        ("Omsorgsnämnden", "Demo Assistans AB", "556000-0001", "4630", "LSS", "A-1",
         __import__("datetime").date(2025, 4, 30), Decimal("12000.50"),
         "privata välfärdsaktörer", "H4"),
        ("Omsorgsnämnden", None, None, "4630", "LSS", "A-2",
         __import__("datetime").date(2025, 5, 2), Decimal("-500.00"), "oklassad", "H5"),
    ]  # fmt: skip


def test_xlsx_table_away_from_a1_and_two_payment_sheets(config, tmp_path):
    """The table starts in column C under empty rows; a second sheet holds more payments."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kvartal 1"
    ws["C3"] = "Leverantörsreskontra, kvartal 1"
    for offset, row in enumerate(
        [
            ["Förvaltning", "Leverantör", "Belopp", "Datum"],
            ["Tekniska nämnden", "Demo Asfalt AB", 1500.25, "2025-03-31"],
            ["Tekniska nämnden", "Demo Asfalt AB", "2 000,00", "2025-03-31"],
        ]
    ):
        for col, value in enumerate(row):
            ws.cell(row=5 + offset, column=3 + col, value=value)
    other = wb.create_sheet("Kvartal 2")
    other.append(["Förvaltning", "Leverantör", "Belopp", "Datum"])
    other.append(["Miljönämnden", "Demo Labb AB", 99, "2025-04-01"])
    wb.create_sheet("Om filen").append(["Leverantör och belopp förklaras här."])
    path = tmp_path / "kvartal.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(
        config,
        "select source_sheet, source_cell, organisation, supplier, amount_sek from payments"
        " order by source_sheet, source_row",
    ) == [
        ("Kvartal 1", "E6", "Tekniska nämnden", "Demo Asfalt AB", Decimal("1500.25")),
        ("Kvartal 1", "E7", "Tekniska nämnden", "Demo Asfalt AB", Decimal("2000.00")),
        ("Kvartal 2", "C2", "Miljönämnden", "Demo Labb AB", Decimal("99.00")),
    ]


def test_line_breaks_inside_quoted_fields_keep_lineage_exact(config, tmp_path):
    path = tmp_path / "radbrytning.csv"
    path.write_bytes(
        (
            "Leverantörer 2025\n"
            "Förvaltning;Leverantör;Kontotext;Belopp;Datum\n"
            'Socialnämnden;Demo HVB Ett AB;"Placering,\nförlängd";100,00;2025-01-02\n'
            "Socialnämnden;Demo HVB Två AB;Placering;200,00;2025-01-03\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(
        config, "select supplier, kontotext, source_row from payments order by source_row"
    ) == [
        ("Demo HVB Ett AB", "Placering, förlängd", 3),
        ("Demo HVB Två AB", "Placering", 5),
    ]


def test_subtotals_and_unlabelled_total_are_not_payments(config, tmp_path):
    path = tmp_path / "delsummor.csv"
    path.write_bytes(
        (
            "Ansvar;Förvaltning;Leverantör;Belopp;Datum\n"
            "100;Socialnämnden;Demo HVB Ett AB;100,00;2025-01-02\n"
            "100;Socialnämnden;Demo HVB Två AB;50,00;2025-01-03\n"
            ";Summa Socialnämnden;;150,00;\n"
            "200;Miljönämnden;Demo Labb AB;25,50;2025-01-04\n"
            ";Summa Miljönämnden;;25,50;\n"
            "Totalt;;;175,50;\n"
        ).encode()
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert report.facts == 3
    assert report.details["summarader (ej inlästa)"] == 3
    assert report.details["summa stämmer"] == "ja"
    assert db_total(config) == Decimal("175.50")


@settings(max_examples=200, deadline=None)
@given(
    ore=st.integers(min_value=-(10**12), max_value=10**12),
    space=st.sampled_from([" ", "\u00a0", "\u202f", ""]),
    minus=st.sampled_from(["-", "\u2212", "paren", "trailing"]),
    suffix=st.sampled_from(["", " kr", "*"]),
)
def test_any_swedish_amount_reads_back_exactly(ore, space, minus, suffix):
    """Every amount written the Swedish way reads back to the same öre, in a column of its kind."""
    whole, frac = divmod(abs(ore), 100)
    digits = f"{whole:,}".replace(",", space)
    text = f"{digits},{frac:02d}"
    if ore < 0:
        text = {"paren": f"({text})", "trailing": f"{text}-"}.get(minus, f"{minus}{text}")
    column = pl.Series([text + suffix, "1 000,50"])  # a neighbour fixes the decimal mark
    got = parse_amount(column).to_list()
    assert got == [Decimal(ore) / 100, Decimal("1000.50")]


@settings(max_examples=100, deadline=None)
@given(
    ores=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=30),
    space=st.sampled_from([" ", "\u00a0", "\u202f", ""]),
    decimals=st.sampled_from([0, 1, 2]),
)
def test_swedish_export_column_fast_path_equals_general_rules(ores, space, decimals):
    """A column entirely in export form ("1 234,50") takes the fast path; it must read every
    value exactly as the general rules do, and as written."""
    from pipelines.payments.parse import _parse_text, _swedish_path

    texts, expected = [], []
    for ore in ores:
        whole, frac = divmod(abs(ore), 100)
        shown = {0: 0, 1: frac // 10 * 10, 2: frac}[decimals]  # the öre the text shows
        text = f"{whole:,}".replace(",", space)
        text += {0: "", 1: f",{frac // 10}", 2: f",{frac:02d}"}[decimals]
        texts.append(("-" if ore < 0 else "") + text)
        expected.append((-1 if ore < 0 else 1) * (Decimal(whole) + Decimal(shown) / 100))
    column = pl.Series([*texts, "0,5", None])  # one comma at least, and a blank
    fast = _swedish_path(column)
    assert fast is not None
    assert fast.to_list() == _parse_text(column).to_list() == parse_amount(column).to_list()
    assert fast.to_list() == [*expected, Decimal("0.50"), None]
    # Any value of another form sends the whole column down the general path.
    assert _swedish_path(pl.Series([*texts, "0,5", "(12,00)"])) is None


def test_ledger_without_förvaltning_and_year_month_columns(config, tmp_path):
    """Per-förvaltning export without an organisation column; År and Månad as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["År", "Månad", "Leverantör", "Organisationsnummer", "Belopp"])
    ws.append([2025, 3, "Demo Buss AB", 5560000001, 1200])
    ws.append([2025, 11, "Demo Buss AB", 5560000001, -200.5])
    path = tmp_path / "socialforvaltningen.xlsx"
    wb.save(path)
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    assert rows(
        config,
        "select organisation, period, year, quarter, org_nr, amount_sek from payments"
        " order by source_row",
    ) == [
        (None, "2025-03", 2025, 1, "556000-0001", Decimal("1200.00")),
        (None, "2025-11", 2025, 4, "556000-0001", Decimal("-200.50")),
    ]
    assert db_total(config) == Decimal("999.50")


# --- workbooks read typed ----------------------------------------------------------------


def _typed_and_text(path: Path):
    """normalise() of each table, read typed (where the reader takes that path) and as text."""
    from pipelines.payments import read
    from pipelines.payments.parse import normalise

    typed = [normalise(t, 2025) for t in read.read_xlsx(path)]
    text = [normalise(t, 2025) for t in read.read_xlsx(path, typed=False)]
    return typed, text


def _typed_count(path: Path) -> int:
    """How many of the workbook's tables _read_typed took."""
    from pipelines.payments import read

    count = 0
    for sheet, header_row, header in read.find_xlsx_headers(path):
        import fastexcel

        head = dict(read.peek_xlsx(path))[sheet]
        reader = fastexcel.read_excel(str(path))
        count += read._read_typed(reader, sheet, header_row, header, head) is not None
    return count


def test_typed_workbook_read_equals_the_text_read(tmp_path, frame):
    """The demo layout (title rows, numbers and dates as numbers) goes the typed way; rows,
    amounts, dates and lineage are what the text read gives."""
    path = write_xlsx(frame, tmp_path / "b.xlsx", title="Leverantörsbetalningar 2025")
    assert _typed_count(path) == 1
    typed, text = _typed_and_text(path)
    assert [f.equals(g) and s == t for (f, s), (g, t) in zip(typed, text, strict=True)] == [True]


def test_typed_workbook_read_with_gaps_text_cells_and_fallbacks(tmp_path):
    """Empty rows above and inside the table, a total below it: typed or not, the same rows
    come out. A text amount among numbers or a text date among dates (a column of mixed
    types), a TRUE among amounts (which calamine's coercion would read as 1.0), amounts with
    three decimals, fractions in an invoice column and dates in a period column are left to
    the text read."""
    import datetime

    def book(name, rows_below, header=("Förvaltning", "Leverantör", "Belopp", "Datum")):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws["C3"] = "Leverantörsreskontra"
        for col, value in enumerate(header):
            ws.cell(row=6, column=3 + col, value=value)
        for offset, row in enumerate(rows_below):
            for col, value in enumerate(row):
                if value is not None:
                    ws.cell(row=7 + offset, column=3 + col, value=value)
        path = tmp_path / name
        wb.save(path)
        return path

    day = datetime.datetime(2025, 3, 31)
    plain = [
        ["Tekniska nämnden", "Demo Asfalt AB", 1500.25, day],
        [None, None, None, None],
        ["Tekniska nämnden", "Demo Asfalt AB", -20, day],
        ["Tekniska nämnden", "Demo Sand AB", 0.1, day],
        [None, "Summa", 1480.35, None],
    ]
    mixed = [
        ["Tekniska nämnden", "Demo Asfalt AB", 1500.25, day],
        ["Tekniska nämnden", "Demo Asfalt AB", "2 000,00", "2025-04-01"],
    ]
    boolean = [
        ["Tekniska nämnden", "Demo Asfalt AB", 1500.25, day],
        ["Tekniska nämnden", "Demo Asfalt AB", True, day],
    ]
    three = [["Tekniska nämnden", "Demo Asfalt AB", 0.125, day]]
    invoice = [["Tekniska nämnden", "Demo Asfalt AB", 10, 12.5]]
    period = [["Tekniska nämnden", "Demo Asfalt AB", 10, day]]
    cases = [
        (book("plain.xlsx", plain), 1),
        (book("mixed.xlsx", mixed), 0),
        (book("boolean.xlsx", boolean), 0),
        (book("three.xlsx", three), 0),
        (book("invoice.xlsx", invoice, ("Nämnd", "Leverantör", "Belopp", "Fakturanr")), 0),
        (book("period.xlsx", period, ("Nämnd", "Leverantör", "Belopp", "Period")), 0),
    ]
    for path, typed_tables in cases:
        assert _typed_count(path) == typed_tables, path.name
        if path.name == "boolean.xlsx":
            from pipelines.payments.parse import CellError

            with pytest.raises(CellError, match="beloppet går inte att läsa"):
                _typed_and_text(path)
            continue
        typed, text = _typed_and_text(path)
        for (f, s), (g, t) in zip(typed, text, strict=True):
            assert f.equals(g) and s == t, (path.name, f, g)
    [(plain_rows, seen)] = _typed_and_text(cases[0][0])[0]
    assert plain_rows.get_column("source_row").to_list() == [7, 9, 10]
    assert seen["summa stämmer"] == "ja"


@pytest.mark.parametrize("word", ["n/a", "NA", "null", "nan"])
def test_words_calamine_reads_as_empty_or_nan_are_named_in_the_rejection(
    config, tmp_path, frame, word
):
    """calamine reads "n/a", "NA" or "null" among amounts as empty and "nan" as a number,
    without a conversion error; the typed read leaves such a sheet to the text read, whose
    rejection names the cell and quotes what it says."""
    path = write_xlsx(frame, tmp_path / "betalningar.xlsx", title="Leverantörsbetalningar 2025")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(c for row in ws.iter_rows(max_row=10) for c in row if c.value == "Belopp")
    ws.cell(row=header.row + 5, column=header.column).value = word
    wb.save(path)
    assert _typed_count(path) == 0
    [report] = run(config, path)
    assert report.status == "rejected"
    cell = f"{header.column_letter}{header.row + 5}"
    assert f"cell {cell}" in report.reason and f"('{word}')" in report.reason, report.reason
