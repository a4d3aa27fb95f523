"""Tables to xlsx (openpyxl) and CSV, every text cell escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pipelines.export.cells import escape_cell

_SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, dict, tuple)):
        return str(value)
    return value


def _sheet_name(name: str, taken: set[str]) -> str:
    base = (name.translate(_SHEET_NAME_BAD).strip("'") or "Blad")[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _rows(frame: pl.DataFrame) -> Iterable[Sequence[Any]]:
    for row in frame.iter_rows():
        yield [escape_cell(_plain(v)) for v in row]


def to_xlsx_bytes(sheets: dict[str, pl.DataFrame], notes: Sequence[str] = ()) -> bytes:
    """A workbook with one sheet per frame (header row first); `notes` go on a last sheet.

    Text cells are escaped with `escape_cell` and written as strings, never as formulas.
    """
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(name, taken))
        ws.append([escape_cell(str(c)) for c in frame.columns])
        for row in _rows(frame):
            ws.append(row)
            # openpyxl turns a str starting with "=" into a formula; escape_cell already
            # prevents that, and data_type "s" makes it explicit for every text cell.
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
        ws.freeze_panes = "A2"
    if notes:
        ws = wb.create_sheet(_sheet_name("Om data", taken))
        for note in notes:
            ws.append([escape_cell(note)])
    if not wb.sheetnames:
        wb.create_sheet("Tom")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    """CSV for Swedish Excel: UTF-8 with BOM, `;` separated, decimal comma, cells escaped."""

    def cell(value: Any) -> Any:
        value = _plain(value)
        if isinstance(value, float):
            return repr(value).replace(".", ",")
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return escape_cell(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(str(c)) for c in frame.columns])
    for row in frame.iter_rows():
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
