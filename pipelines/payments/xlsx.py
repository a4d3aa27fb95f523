"""A fast, minimal xlsx writer for generated payment files (bench, demo, tests).

openpyxl's write-only mode needs about a minute for a million rows; this writer builds the
sheet XML with vectorised polars string expressions instead. It writes what calamine, Excel
and LibreOffice read: shared strings, numbers, dates as serials with a date format, and
optional title rows above the table.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

# Style 0 is general, style 1 a date (built-in format 14), style 2 "# ##0,00".
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""

_EXCEL_EPOCH = date(1899, 12, 30)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(
    df: pl.DataFrame,
    path: Path,
    *,
    sheet: str = "Blad1",
    title_rows: Sequence[str] = (),
) -> Path:
    """Write `df` as a one-sheet workbook: title rows (column A), a blank row, header, data.

    String columns become shared strings, numeric columns numbers, date columns date
    serials shown as dates. Nulls become empty cells.
    """
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        return strings.setdefault(text, len(strings))

    first_row = len(title_rows) + (2 if title_rows else 1)  # 1-based row of the header
    head_xml = []
    for i, title in enumerate(title_rows, start=1):
        head_xml.append(f'<row r="{i}"><c r="A{i}" t="s"><v>{sst(title)}</v></c></row>')
    head_xml.append(
        f'<row r="{first_row}">'
        + "".join(
            f'<c r="{column_letter(j)}{first_row}" t="s"><v>{sst(name)}</v></c>'
            for j, name in enumerate(df.columns)
        )
        + "</row>"
    )

    rownum = pl.int_range(first_row + 1, first_row + 1 + df.height, eager=False).cast(pl.String)
    cells = []
    for j, name in enumerate(df.columns):
        letter = column_letter(j)
        dtype = df.schema[name]
        col = pl.col(name)
        if dtype == pl.String or dtype == pl.Categorical:
            uniques = df.get_column(name).cast(pl.String).drop_nulls().unique(maintain_order=True)
            mapping = {text: sst(text) for text in uniques.to_list()}
            value = col.cast(pl.String).replace_strict(mapping, return_dtype=pl.Int64)
            cell = pl.format('<c r="{}{}" t="s"><v>{}</v></c>', pl.lit(letter), rownum, value)
        elif dtype == pl.Date:
            serial = (col - pl.lit(_EXCEL_EPOCH)).dt.total_days()
            cell = pl.format('<c r="{}{}" s="1"><v>{}</v></c>', pl.lit(letter), rownum, serial)
        elif dtype.is_numeric():
            cell = pl.format(
                '<c r="{}{}" s="2"><v>{}</v></c>', pl.lit(letter), rownum, col.cast(pl.String)
            )
        else:
            raise TypeError(f"column {name}: cannot write {dtype}")
        cells.append(pl.when(col.is_null()).then(pl.lit("")).otherwise(cell))
    rows = df.lazy().select(
        pl.format('<row r="{}">', rownum) + pl.concat_str(cells) + pl.lit("</row>")
    )
    body = rows.collect().to_series().str.join("").item() if df.height else ""

    sst_xml = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet, {'"': "&quot;"})))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst_xml}</sst>',
        )
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<sheetData>" + "".join(head_xml) + body + "</sheetData></worksheet>",
        )
    return path
