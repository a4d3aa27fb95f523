"""The fast read of big xlsx sheets (head from the XML, the rest typed) reads exactly what
the whole-sheet text read reads: same facts, same reconciliation, same report."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import openpyxl
import polars as pl
import pytest

from pipelines.config import load_config
from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest
from pipelines.read import files
from pipelines.read.xlsx_head import read_head

ORGS = ["Kommunstyrelsen", "Utbildningsnämnden", "Socialnämnden", "Tekniska nämnden"]


def budget_rows(lines_per_org: int = 40, years_as_numbers: bool = False) -> list[list]:
    """A budget sheet the way kommuner publish one: titles, unit, header, lines with
    subtotals, text numbers and dashes, a total, and an investment table further down."""
    years = [2024, 2025, 2026, 2027]
    header = (
        ["Nr", "Nämnd", "Verksamhet", *years]
        if years_as_numbers
        else [
            "Nr",
            "Nämnd",
            "Verksamhet",
            "Bokslut 2024",
            "Budget 2025",
            "Budget 2026",
            "Plan 2027",
        ]
    )
    rows: list[list] = [["Mål och budget 2026"], ["Belopp i tkr"], [], header]
    grand = [0, 0, 0, 0]
    for n, org in enumerate(ORGS):
        sums = [0, 0, 0, 0]
        for i in range(lines_per_org):
            amounts = [1000 + 37 * i + n, 2000 + 11 * i, 3000 + 7 * i + n, 4000 + i]
            cells: list = list(amounts)
            if i % 9 == 4:
                cells[1] = f"{amounts[1]:,}".replace(",", "\u00a0")  # text copied from a PDF
            if i % 13 == 6:
                cells[3], amounts[3] = "–", 0  # a dash: zero
            sums = [s + a for s, a in zip(sums, amounts, strict=True)]
            rows.append([100 * n + i, org, f"Verksamhet {n}-{i}", *cells])
        grand = [g + s for g, s in zip(grand, sums, strict=True)]
        rows.append([None, f"Summa {org}", None, *sums])
    rows.append([None, "Summa nämnder", None, *grand])
    rows += [[], ["Investeringar (tkr)"], ["Projekt", "Nämnd", None, "Budget 2026", "Plan 2027"]]
    for i in range(30):
        rows.append([f"Projekt {i}", ORGS[i % 4], None, 500 + i, 600 + i])
    rows.append(["Summa investeringar", None, None, sum(500 + i for i in range(30)),
                 sum(600 + i for i in range(30))])  # fmt: skip
    return rows


def write(path, rows, extra=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Drift"
    for row in rows:
        ws.append(row)
    if extra:
        extra(ws)
    wb.save(path)
    return path


def load(tmp_path, path, name):
    config = load_config(tmp_path / f"{name}.duckdb")
    (report,) = ingest([path], IngestOptions(config=config))
    assert report.status == "accepted", report.reason
    con = connect_read(config.db_path)
    try:
        facts = con.execute("select * from facts order by source_sheet, source_cell").fetchall()
        recon = con.execute(
            "select * exclude (doc_id) from table_reconciliations order by all"
        ).fetchall()
    finally:
        con.close()
    details = {k: v for k, v in report.details.items()}
    return facts, recon, json.dumps(details, sort_keys=True, default=str), report.messages


def both_ways(tmp_path, monkeypatch, path):
    """(fast, text) results of ingesting `path`; asserts the fast read was taken."""
    used = []
    real = files._read_typed

    def spy(*args, **kw):
        sheet = real(*args, **kw)
        used.append(sheet is not None)
        return sheet

    monkeypatch.setattr(files, "_read_typed", spy)
    fast = load(tmp_path, path, "fast")
    monkeypatch.setattr(files, "_read_typed", lambda *a, **k: None)
    text = load(tmp_path, path, "text")
    return fast, text, used


@pytest.mark.parametrize("years_as_numbers", [False, True])
def test_fast_read_equals_text_read(tmp_path, monkeypatch, years_as_numbers):
    path = write(tmp_path / "budget-2026.xlsx", budget_rows(years_as_numbers=years_as_numbers))
    fast, text, used = both_ways(tmp_path, monkeypatch, path)
    assert used == [True]
    assert fast == text
    facts, recon, _, _ = fast
    assert len(facts) == 4 * 40 * 4 + 30 * 2
    assert recon and all(r[-1] == "ok" for r in recon)


def test_typed_columns_keep_their_header_text(tmp_path):
    path = write(tmp_path / "budget-2026.xlsx", budget_rows())
    (sheet,) = files.read_workbook(path, "xlsx", load_config(tmp_path / "x.duckdb").limits)
    # Budget 2026 holds only numbers below its header: it arrives typed, header kept aside
    assert sheet.frame["c5"].dtype == pl.Float64
    assert sheet.cell_text(3, 5) == "Budget 2026"
    assert sheet.text_frame(3, 2, [5]).to_series().to_list() == ["Budget 2026", "3000"]
    # Budget 2025 has text numbers, Plan 2027 dashes: they stay text
    assert sheet.frame["c4"].dtype == sheet.frame["c6"].dtype == pl.String


def test_head_reader_falls_back_when_unsure(tmp_path, monkeypatch):
    """A date-formatted number in the head (calamine prints it as a date), or a header
    below the head: the whole sheet is read as text, with the same result."""

    def dated(ws):
        ws.insert_rows(2)
        ws["A2"] = dt.datetime(2026, 8, 31)

    path = write(tmp_path / "budget-2026.xlsx", budget_rows(), dated)
    with zipfile.ZipFile(path) as archive:
        assert read_head(archive, "xl/worksheets/sheet1.xml", 100) is None
    fast, text, used = both_ways(tmp_path, monkeypatch, path)
    assert used == [False] and fast == text

    low = [[None]] * 120 + budget_rows()
    path = write(tmp_path / "budget-lagt-2026.xlsx", low)
    fast, text, used = both_ways(tmp_path, monkeypatch, path)
    assert used == [False] and fast == text


def test_small_sheets_are_read_as_text(tmp_path):
    path = write(tmp_path / "budget-2026.xlsx", budget_rows(lines_per_org=3)[:20])
    (sheet,) = files.read_workbook(path, "xlsx", load_config(tmp_path / "x.duckdb").limits)
    assert set(sheet.frame.dtypes) == {pl.String}


@pytest.mark.parametrize("word", ["n/a", "N/A", "NA", "null", "None", "nan", "NaN"])
def test_words_fastexcel_takes_for_empty_or_nan_keep_the_text_read(tmp_path, monkeypatch, word):
    """fastexcel reads "n/a" in a column of numbers as empty and "nan" as a number; the
    sheet is then read as text, so the report names the cell as text, as for a small sheet."""
    rows = budget_rows()
    rows[10][5] = word  # Budget 2026, otherwise only numbers
    path = write(tmp_path / "budget-2026.xlsx", rows)
    fast, text, used = both_ways(tmp_path, monkeypatch, path)
    assert used == [False]
    assert fast == text
    assert f"Drift!F11 '{word}'" in json.loads(fast[2])["celler"]


@pytest.mark.parametrize("through_ingest", [True, False])
def test_true_and_false_among_numbers_keep_the_text_read(tmp_path, monkeypatch, through_ingest):
    """calamine reads TRUE as 1 and FALSE as 0 in a column of numbers: a sheet with such
    cells is read as text, where they are text (no amount), whether the guard saw them
    (verkstad ingest) or the reader looks for itself."""
    rows = budget_rows()
    rows[10][5], rows[11][5] = True, False
    path = write(tmp_path / "budget-2026.xlsx", rows)
    if through_ingest:
        fast, text, used = both_ways(tmp_path, monkeypatch, path)
        assert used == [False] and fast == text
        assert "Drift!F11 'true'" in json.loads(fast[2])["celler"]
    else:
        (sheet,) = files.read_workbook(path, "xlsx", load_config(tmp_path / "x.duckdb").limits)
        assert set(sheet.frame.dtypes) == {pl.String}
        assert sheet.cell_text(10, 5) == "true"


def test_ones_and_zeros_without_booleans_keep_the_fast_read(tmp_path):
    rows = budget_rows()
    rows[10][5], rows[11][5] = 1, 0
    path = write(tmp_path / "budget-2026.xlsx", rows)
    (sheet,) = files.read_workbook(path, "xlsx", load_config(tmp_path / "y.duckdb").limits)
    assert sheet.frame["c5"].dtype == pl.Float64


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<c r="F11" t="b"><v>1</v></c>', True),
        (b"<c r='F11' t='b'><v>0</v></c>", True),
        (b'<c r="F11" t="s"><v>12</v></c><c r="G11" s="3"><v>1</v></c>', False),
        (b'<c r="B2" t="inlineStr"><is><t>"b" och t="c"</t></is></c>', False),
        (b'<c r="F11" t="b"/>', True),
    ],
)
def test_guard_finds_boolean_cells_by_their_type_attribute(xml, found):
    """What sends a big sheet to the text read: the guard's numpy search for t="b"."""
    import numpy as np

    from pipelines.read.guard import _booleans

    data = np.frombuffer(b'<sheetData><row r="11">' + xml + b"</row></sheetData>", np.uint8)
    assert _booleans(data) is found


@pytest.mark.parametrize("in_head", [False, True])
def test_error_cells_keep_the_fast_read_and_are_named(tmp_path, monkeypatch, in_head):
    """#REF! and #N/A among the numbers (calamine reads them as empty, and cannot type
    them): the fast read is kept, the cells hold their error text in both reads and the
    report names them the same way; an error in the head (first rows) too."""
    rows = budget_rows()
    rows[10][5] = "#REF!"  # Budget 2026, otherwise only numbers: a typed column
    rows[20][2] = "#N/A"  # Verksamhet, a text column
    rows[30][6] = "#DIV/0!"  # Plan 2027, text numbers and dashes: a text column
    if in_head:
        rows[5][4] = "#VALUE!"  # Budget 2025, in the rows read from the XML
    path = write(tmp_path / "budget-2026.xlsx", rows)
    (sheet,) = files.read_workbook(path, "xlsx", load_config(tmp_path / "z.duckdb").limits)
    assert sheet.frame["c5"].dtype == pl.Float64
    assert sheet.cell_text(10, 5) == "#REF!" and sheet.cell_text(20, 2) == "#N/A"
    fast, text, used = both_ways(tmp_path, monkeypatch, path)
    assert used == [True]
    assert fast == text
    celler = json.loads(fast[2])["celler"]
    assert "Drift!F11 '#REF!'" in celler and "Drift!G31 '#DIV/0!'" in celler
    assert any("F11 '#REF!'" in m and "G31 '#DIV/0!'" in m for m in fast[3])
    assert ("Drift!E6 '#VALUE!'" in celler) is in_head


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<c r="F11" t="e"><f>#REF!+1</f><v>#REF!</v></c>', True),
        (b"<c r='F11' t='e'><v>#N/A</v></c>", True),
        (b'<c r="F11" t="s"><v>12</v></c><c r="G11" s="3"><v>1</v></c>', False),
        (b'<c r="B2" t="inlineStr"><is><t>"e" och t="c"</t></is></c>', False),
    ],
)
def test_guard_finds_error_cells_by_their_type_attribute(xml, found):
    """Which sheets the reader looks through for error cells: the guard's search for t="e"."""
    import numpy as np

    from pipelines.read.guard import _errors

    data = np.frombuffer(b'<sheetData><row r="11">' + xml + b"</row></sheetData>", np.uint8)
    assert _errors(data) is found
