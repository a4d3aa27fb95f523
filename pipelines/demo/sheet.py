"""A small writer for report-style sheets: title rows, notes, one- or two-row headers, tables.

It keeps the row cursor and records what it wrote (tables with their line and total rows)
so tests can check that every table's own totals add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.demo.style import NumStyle

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True, size=9)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")


@dataclass
class WrittenTable:
    """What one table holds, in printed units, for self-checks."""

    sheet: str
    header_row: int
    lines: list[tuple[str, list[Decimal | None]]] = field(default_factory=list)
    totals: list[tuple[str, list[Decimal | None], int, int]] = field(default_factory=list)
    # (label, values, first and one-past-last index into `lines` that it sums)


class Sheet:
    """Writes rows top to bottom on one worksheet."""

    def __init__(self, ws: Worksheet, num: NumStyle, label_cols: int = 1):
        self.ws = ws
        self.num = num
        self.label_cols = label_cols
        self.row = 1
        self.tables: list[WrittenTable] = []
        self._since_total: list[int] = []

    def text(self, text: str, font: Font | None = None, col: int = 1) -> None:
        cell = self.ws.cell(self.row, col, text)
        if font:
            cell.font = font
        self.row += 1

    def blank(self, n: int = 1) -> None:
        self.row += n

    def titles(self, *lines: str) -> None:
        for i, line in enumerate(lines):
            self.text(line, TITLE if i == 0 else BOLD)

    def header(self, labels: list[str], values: list[str | tuple[str, str]]) -> None:
        """One header row, or two when a value column is given as (top, bottom).

        Consecutive equal top labels are merged across their columns, as in "Helår 2025"
        spanning "Budget" and "Prognos".
        """
        two = any(isinstance(v, tuple) for v in values)
        first = self.row
        if two:
            tops = [v[0] if isinstance(v, tuple) else "" for v in values]
            col = self.label_cols + 1
            i = 0
            while i < len(tops):
                j = i
                while j + 1 < len(tops) and tops[j + 1] == tops[i] and tops[i]:
                    j += 1
                if tops[i]:
                    cell = self.ws.cell(first, col + i, tops[i])
                    cell.font = BOLD
                    cell.alignment = Alignment(horizontal="center")
                    if j > i:
                        self.ws.merge_cells(
                            start_row=first, start_column=col + i, end_row=first, end_column=col + j
                        )
                i = j + 1
            self.row += 1
        for c, label in enumerate(labels, start=1):
            self.ws.cell(self.row, c, label).font = BOLD
        for c, value in enumerate(values, start=self.label_cols + 1):
            bottom = value[1] if isinstance(value, tuple) else value
            cell = self.ws.cell(self.row, c, bottom)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="right", wrap_text=True)
        for c in range(1, len(labels) + 1):
            self.ws.cell(self.row, c).fill = HEADER_FILL
        self.tables.append(WrittenTable(self.ws.title, self.row))
        self._since_total = []
        self.row += 1

    def line(
        self,
        labels: list[str],
        values: list[Decimal | None],
        marks: dict[int, str] | None = None,
    ) -> None:
        """A line item: labels in the label columns, printed values after them."""
        self._write(labels, values, marks or {}, font=None)
        self.tables[-1].lines.append((" / ".join(labels), values))
        self._since_total.append(len(self.tables[-1].lines) - 1)

    def group(self, label: str) -> None:
        """A group heading inside a table (e.g. the nämnd above its verksamheter)."""
        self.ws.cell(self.row, 1, label).font = BOLD
        self.row += 1

    def total(self, label: str, values: list[Decimal | None], scope: str = "all") -> None:
        """A subtotal ('group': lines since the last subtotal) or a total ('all')."""
        table = self.tables[-1]
        end = len(table.lines)
        start = end - len(self._since_total) if scope == "group" else 0
        self._write([label] + [""] * (self.label_cols - 1), values, {}, font=BOLD, top=True)
        table.totals.append((label, values, start, end))
        if scope == "group":
            self._since_total = []

    def below(self, label: str, values: list[Decimal | None], bold: bool = False) -> None:
        """Rows below the operating budget (skatteintäkter, finansnetto, resultat)."""
        self._write([label] + [""] * (self.label_cols - 1), values, {}, BOLD if bold else None)

    def _write(self, labels, values, marks, font, top: bool = False) -> None:
        for c, label in enumerate(labels, start=1):
            cell = self.ws.cell(self.row, c, label)
            if font:
                cell.font = font
        for i, value in enumerate(values):
            cell = self.ws.cell(
                self.row, self.label_cols + 1 + i, self.num.cell(value, marks.get(i, ""))
            )
            if isinstance(cell.value, (int, float)):
                cell.number_format = self.num.number_format
            if isinstance(cell.value, str):
                cell.alignment = Alignment(horizontal="right")
            if font:
                cell.font = font
            if top:
                cell.border = Border(top=THIN)
        self.row += 1

    def widths(self, first: int = 34, rest: int = 14, label_extra: tuple[int, ...] = ()) -> None:
        self.ws.column_dimensions["A"].width = first
        for i, w in enumerate(label_extra, start=2):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        for c in range(self.label_cols + 1, self.label_cols + 10):
            self.ws.column_dimensions[get_column_letter(c)].width = rest
