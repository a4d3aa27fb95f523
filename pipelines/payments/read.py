"""Reading payment files as they come: CSV in any Swedish dialect, and workbooks (xlsx;
.xls and .ods through calamine).

Both readers return `RawTable`s: every cell as text (a workbook's amounts and dates typed
where that is exact, see `_read_typed`), one column per recognised role, and the
row number of each row in the source file, so that every payment keeps its lineage. Header
rows are found wherever they are (title rows, notes and blank rows above are skipped).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import polars as pl

from pipelines.payments.columns import Header, recognise, recognise_all, recognise_two
from pipelines.payments.xlsx import column_letter

HEAD_LINES = 60  # the header must be within the first lines/rows of a file or sheet
SEPARATORS = (";", "\t", ",", "|")
ROW = "_row"  # the row number column of a RawTable


@dataclass
class RawTable:
    """One payments table as read: text cells by role, plus `_row` (1-based source row)."""

    frame: pl.DataFrame
    header: Header
    header_row: int  # 1-based row (CSV: line) of the header in the file or sheet
    letters: dict[str, str]  # role → column letter, for cell references
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    title_year: int | None = None  # the one year the title rows above the header name


def title_year(lines: list[str]) -> int | None:
    """The year the title rows name ("Utbetalningar till leverantörer 2025"), when they
    name exactly one; a year inside a date ("uttag 2025-02-03") does not count."""
    text = " ".join(lines)
    text = re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)
    years = {int(y) for y in re.findall(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)", text)}
    return years.pop() if len(years) == 1 else None


# --- CSV ---------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in.

    A BOM decides; otherwise strict UTF-8, then Mac Roman (Excel for Mac's "CSV") or cp850
    (Excel's "CSV (MS-DOS)") when the Swedish letters are where that encoding has them,
    then Windows-1252 (Swedish Excel's "CSV"), then Latin-1, which accepts every byte.
    Windows-1252 and Latin-1 agree on å, ä and ö; they differ on a few bytes (€, curly
    quotes, dashes) that Latin-1 maps to control characters.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = _legacy_encoding(raw[: 1 << 16])
    if legacy:
        return raw.decode(legacy), legacy
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


# Where each 8-bit encoding has Å Ä Ö å ä ö. The three sets share no byte.
_SWEDISH_BYTES = {
    "cp1252": b"\xc5\xc4\xd6\xe5\xe4\xf6",  # also Latin-1
    "mac_roman": b"\x81\x80\x85\x8c\x8a\x9a",  # Excel for Mac's "CSV"
    "cp850": b"\x8f\x8e\x99\x86\x84\x94",  # Excel's "CSV (MS-DOS)", old DOS systems
}


def _legacy_encoding(head: bytes) -> str | None:
    """Mac Roman or cp850 when the Swedish letters of the file's head are more often where
    that encoding has them than where Windows-1252 has them; else None."""
    counts = {
        encoding: sum(head.count(b) for b in letters)
        for encoding, letters in _SWEDISH_BYTES.items()
    }
    best = max(counts, key=counts.__getitem__)
    return best if best != "cp1252" and counts[best] > counts["cp1252"] else None


def _decode_head(raw: bytes) -> str:
    """The text of a file's first bytes, cut at the last complete line."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw[: len(raw) // 2 * 2].decode("utf-16", errors="ignore")
        return text[: text.rfind("\n") + 1] or text
    cut = max(raw.rfind(b"\n"), raw.rfind(b"\r"))  # (old Macs end lines with CR alone)
    if cut > 0:
        raw = raw[: cut + 1]
    return decode(raw)[0]


def find_csv_header(text: str) -> tuple[int, str, Header] | None:
    """(0-based line of the header, separator, header) in the first lines of `text`."""
    head = text[: 1 << 16]
    lines = head.splitlines()[:HEAD_LINES]
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        for sep in SEPARATORS:
            if sep not in line:
                continue
            try:
                cells = next(csv.reader([line], delimiter=sep))
            except csv.Error:
                continue
            header = recognise(cells)
            if header is not None:
                if index + 1 < len(lines):
                    # the first row of a two-row header: the data starts under the second
                    try:
                        lower = next(csv.reader([lines[index + 1]], delimiter=sep))
                    except csv.Error:
                        lower = []
                    both = recognise_two(cells, lower)
                    if both is not None:
                        return index + 1, sep, both
                return index, sep, header
    if '"' in head:
        # A header cell with a line break in it (Alt+Enter in Excel: "Belopp<br>exkl moms")
        # is quoted across lines; read records rather than lines. polars skips the lines
        # above the header and reads the quoted header itself.
        for sep in SEPARATORS:
            reader = csv.reader(io.StringIO(head, newline=""), delimiter=sep)
            start = 0
            try:
                for cells in reader:
                    if start >= HEAD_LINES:
                        break
                    header = recognise(cells)
                    if header is not None:
                        return start, sep, header
                    start = reader.line_num
            except csv.Error:
                continue
    # A two-row header ("Belopp" merged over "exkl moms | inkl moms"): the line returned is
    # the lower one, under which the data starts.
    for index in range(1, len(lines)):
        for sep in SEPARATORS:
            if sep not in lines[index - 1] or sep not in lines[index]:
                continue
            try:
                upper = next(csv.reader([lines[index - 1]], delimiter=sep))
                lower = next(csv.reader([lines[index]], delimiter=sep))
            except csv.Error:
                continue
            header = recognise_two(upper, lower)
            if header is not None:
                return index, sep, header
    return None


def sniff_csv(path: Path, head: bytes) -> bool:
    """True when the file's first lines hold a payments header."""
    if head.startswith(b"PK") or (
        b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        return False  # a zip (xlsx) or some other binary file
    with open(path, "rb") as fh:
        raw = fh.read(1 << 16)
    try:
        text = _decode_head(raw)
    except UnicodeDecodeError:
        return False
    return find_csv_header(text) is not None


def read_csv(path: Path) -> RawTable:
    """The payments table in a CSV file, every cell as text."""
    raw = path.read_bytes()
    text, encoding = decode(raw)
    found = find_csv_header(text)
    if found is None:
        raise ValueError("ingen rubrikrad med leverantör och belopp")
    line, sep, header = found
    year = title_year(text[: 1 << 16].splitlines()[:line])
    if encoding != "utf-8":
        # polars reads UTF-8 only; transcode once (a BOM is gone after decoding).
        raw = text.encode("utf-8")
    del text
    if b"\n" not in raw and b"\r" in raw:
        # Excel for Mac's "CSV" ends lines with CR alone, which polars does not split on.
        raw = raw.replace(b"\r", b"\n")
    try:
        frame = _read_columns(raw, sep, line, header, ragged=False)
    except pl.exceptions.ComputeError:
        # Some exports end every data line, but not the header, with a separator: one
        # empty field more than the header names. Read past it only when every such field
        # is empty; otherwise the error stands (and names the line).
        try:
            beyond = pl.read_csv(
                raw,
                separator=sep,
                skip_lines=line + 1,
                has_header=False,
                infer_schema=False,
                columns=[len(header.names)],
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError:
            beyond = None
        if beyond is None or beyond.width != 1 or beyond.to_series().is_not_null().any():
            raise
        frame = _read_columns(raw, sep, line, header, ragged=True)
    # Numbered after reading: polars' own row_index option costs a third of the parse
    # (measured: 0.28 s against 0.18 s CPU for a million rows). Header on line+1 (1-based);
    # data starts below it.
    frame = frame.with_row_index(ROW, offset=line + 2)
    frame = _true_line_numbers(frame, raw, line, sep)
    # By position: header names may repeat, and polars renames repeats.
    order = sorted(header.columns.items(), key=lambda kv: kv[1])
    frame.columns = [ROW] + [role for role, _ in order]
    letters = {role: column_letter(idx) for role, idx in header.columns.items()}
    return RawTable(frame, header, line + 1, letters, None, encoding, sep, year)


def _read_columns(raw: bytes, sep: str, line: int, header: Header, ragged: bool) -> pl.DataFrame:
    """The role columns of the table under the header on `line` (0-based), as text."""
    return pl.read_csv(
        raw,
        separator=sep,
        skip_lines=line,
        has_header=True,
        infer_schema=False,
        columns=sorted(header.columns.values()),
        truncate_ragged_lines=ragged,
        raise_if_empty=False,
    )


def _true_line_numbers(frame: pl.DataFrame, raw: bytes, line: int, sep: str) -> pl.DataFrame:
    """Row numbers that are file line numbers even when quoted fields hold line breaks.

    polars numbers records; a record equals a line unless a quoted field spans lines. That
    is checked by counting line breaks (fast); only then are the lines recounted record by
    record with the csv module (slow, but exact).
    """
    breaks = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    if breaks - (line + 1) == frame.height:
        return frame
    text = raw.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    starts = []
    for _ in range(line + 1):  # title rows and the header
        next(reader, None)
    start = reader.line_num + 1
    for _ in reader:
        starts.append(start)
        start = reader.line_num + 1
    if len(starts) != frame.height:
        return frame  # the csv module splits differently; keep the record numbers
    return frame.with_columns(pl.Series(ROW, starts, dtype=frame.schema[ROW]))


# --- xlsx --------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _cell_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref or "")
    if not letters:
        return -1
    index = 0
    for ch in letters.group(0):
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_targets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    workbook = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    sheets = []
    for el in workbook.iter():
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            if rid in targets:
                sheets.append((el.get("name", ""), targets[rid]))
    return sheets


def _shared_strings(zf: zipfile.ZipFile, needed: set[int]) -> dict[int, str]:
    """The shared strings with the given indices, streaming only as far as needed."""
    if not needed or "xl/sharedStrings.xml" not in zf.namelist():
        return {}
    found: dict[int, str] = {}
    last = max(needed)
    index = 0
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, el in ET.iterparse(fh, events=("end",)):
            if _local(el.tag) != "si":
                continue
            if index in needed:
                found[index] = "".join(
                    t.text or "" for t in el.iter() if _local(t.tag) == "t"
                )  # phonetic runs (rPh) are rare in Swedish files; read with the text
            el.clear()
            index += 1
            if index > last:
                break
    return found


def peek_xlsx(path: Path, rows: int = HEAD_LINES) -> list[tuple[str, list[tuple[int, list]]]]:
    """The first `rows` rows of each sheet as (sheet, [(row number, cells)]), streamed.

    Reads only the start of each sheet and of the shared strings, so sniffing a workbook
    of a million rows takes milliseconds rather than a full parse.
    """
    result = []
    with zipfile.ZipFile(path) as zf:
        for name, part in _sheet_targets(zf):
            if part not in zf.namelist():
                continue
            sheet_rows: list[tuple[int, dict[int, tuple[str, str]]]] = []
            with zf.open(part) as fh:
                for _, el in ET.iterparse(fh, events=("end",)):
                    if _local(el.tag) != "row":
                        continue
                    cells: dict[int, tuple[str, str]] = {}
                    for pos, c in enumerate(x for x in el if _local(x.tag) == "c"):
                        col = _cell_index(c.get("r", "")) if c.get("r") else pos
                        kind = c.get("t", "n")
                        value = None
                        for child in c:
                            tag = _local(child.tag)
                            if tag == "v":
                                value = child.text
                            elif tag == "is":
                                value = "".join(
                                    t.text or "" for t in child.iter() if _local(t.tag) == "t"
                                )
                        if value is not None:
                            cells[col] = (kind, value)
                    sheet_rows.append((int(el.get("r", len(sheet_rows) + 1)), cells))
                    el.clear()
                    if len(sheet_rows) >= rows:
                        break
            needed = {int(v) for _, cells in sheet_rows for k, v in cells.values() if k == "s"}
            strings = _shared_strings(zf, needed)
            table = []
            for rownum, cells in sheet_rows:
                width = max(cells) + 1 if cells else 0
                values: list = [None] * width
                for col, (kind, value) in cells.items():
                    values[col] = strings.get(int(value)) if kind == "s" else value
                table.append((rownum, values))
            result.append((name, table))
    return result


XML_SUFFIXES = {".xlsx", ".xlsm"}  # workbooks whose sheet XML peek_xlsx reads


def peek_calamine(path: Path, rows: int = HEAD_LINES) -> list[tuple[str, list[tuple[int, list]]]]:
    """As peek_xlsx, for the workbooks calamine reads that are no xlsx (.xls, .ods).

    With `skip_rows=0` calamine gives the rows from row 1, empty ones too, and each
    column's place in the sheet, so the row numbers and letters are the sheet's own.
    """
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    result = []
    for name in reader.sheet_names:
        loaded = reader.load_sheet(name, header_row=None, skip_rows=0, n_rows=rows, dtypes="string")
        places = [info.absolute_index for info in loaded.available_columns()]
        width = max(places) + 1 if places else 0
        table = []
        for index, row in enumerate(loaded.to_polars().iter_rows()):
            values: list = [None] * width
            for place, value in zip(places, row, strict=True):
                values[place] = value
            table.append((index + 1, values))
        result.append((name, table))
    return result


def peek(path: Path) -> list[tuple[str, list[tuple[int, list]]]]:
    """The first rows of each sheet of a workbook, as peek_xlsx gives them."""
    return peek_xlsx(path) if path.suffix.lower() in XML_SUFFIXES else peek_calamine(path)


def find_xlsx_headers(path: Path, peeked: list | None = None) -> list[tuple[str, int, Header]]:
    """(sheet, 1-based header row, header) for every sheet that holds a payments table.
    `peeked`: what peek(path) gave, when the caller has it."""
    found = []
    for sheet, rows in peek(path) if peeked is None else peeked:
        for index, (rownum, cells) in enumerate(rows):
            headers = recognise_all(cells)  # (tables side by side: one each)
            if len(headers) == 1 and index + 1 < len(rows) and rows[index + 1][0] == rownum + 1:
                # the first row of a two-row header: the data starts under the second
                both = recognise_two(cells, rows[index + 1][1])
                if both is not None:
                    rownum, headers = rownum + 1, [both]
            found.extend((sheet, rownum, header) for header in headers)
            if headers:
                break
        else:
            # a two-row header: the lower row is the header row, the data under it
            for (above, upper), (rownum, lower) in zip(rows, rows[1:], strict=False):
                header = recognise_two(upper, lower) if rownum == above + 1 else None
                if header is not None:
                    found.append((sheet, rownum, header))
                    break
    return found


def sniff_xlsx(path: Path) -> bool:
    """True when a sheet of the workbook holds a payments header, unless every such header
    is the weak "Leverantör | Belopp" and another sheet holds a budget table (see
    budget_beside)."""
    try:
        peeked = peek(path)
        headers = find_xlsx_headers(path, peeked)
        return bool(headers) and not budget_beside(peeked, headers)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError):
        return False
    except Exception:  # noqa: BLE001 - calamine's errors come in many types; not ours then
        if path.suffix.lower() in XML_SUFFIXES:
            raise
        return False


# What a payments header has beyond a supplier and an amount (columns.recognise)
_PAYMENT_ROLES = {"organisation", "konto", "org_nr", "date", "period", "invoice"}
# A column of a budget table: a year, or budget, utfall, bokslut, prognos, plan, avvikelse
_BUDGET_HEADER = re.compile(
    r"(?i)((19|20)\d\d(\.0+)?|(års)?(budget|utfall|bokslut|prognos|plan|avvikelse)\b.*)"
)
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def budget_beside(peeked: list, headers: list[tuple[str, int, Header]]) -> bool:
    """True when every payments header found is only "Leverantör | Belopp" and another
    sheet holds a budget table: numbers under a header of years or budget/utfall columns.

    An årsredovisning or a budget workbook may have a sheet of its largest suppliers
    ("Största leverantörer"); the workbook is the workbook importer's then, not a payments
    file with its budget sheets left unread. A workbook of payments sheets with cover or
    information sheets of text stays payments. Only the peeked first rows are looked at.
    """
    if any(_PAYMENT_ROLES & header.columns.keys() for _, _, header in headers):
        return False
    payments = {sheet for sheet, _, _ in headers}
    for sheet, rows in peeked:
        if sheet in payments:
            continue
        for index, (_, cells) in enumerate(rows):
            columns = [
                i
                for i, cell in enumerate(cells)
                if cell is not None and _BUDGET_HEADER.fullmatch(str(cell).strip())
            ]
            if not columns:
                continue
            numbers = sum(
                1
                for _, below in rows[index + 1 :]
                for i in columns
                if i < len(below)
                and below[i] is not None
                and _NUMBER.fullmatch(re.sub(r"\s", "", str(below[i])))
            )
            if numbers >= 2:
                return True
    return False


def read_xlsx(path: Path, typed: bool = True) -> list[RawTable]:
    """Every payments table in a workbook (one per sheet that has one).

    Read typed where that is sure to lose nothing (`_read_typed`: every cell of a column
    decides its type, the rows are checked against the XML), else as text: fastexcel
    infers a column's type from a sample of rows and turns a later cell of another type
    into null without a word, so a "1 234,50" typed as text among numbers sampled away
    would vanish. As text, every cell is parsed and checked. `typed=False`: text only.
    """
    import fastexcel

    peeked = peek(path)
    typed = typed and path.suffix.lower() in XML_SUFFIXES
    headers = find_xlsx_headers(path, peeked)
    if not headers:
        raise ValueError("inget blad med en rubrikrad med leverantör och belopp")
    reader = fastexcel.read_excel(str(path))
    heads = dict(peeked)
    tables = []
    for sheet, header_rownum, header in headers:
        letters = {role: column_letter(idx) for role, idx in header.columns.items()}
        year = title_year(
            [
                " ".join(str(c) for c in cells if c is not None)
                for rownum, cells in heads[sheet]
                if rownum < header_rownum
            ]
        )
        frame = _read_typed(reader, sheet, header_rownum, header, heads[sheet]) if typed else None
        if frame is not None:
            tables.append(RawTable(frame, header, header_rownum, letters, sheet, title_year=year))
            continue
        wanted = sorted(header.columns.values())
        frame = reader.load_sheet(
            sheet, header_row=None, skip_rows=0, dtypes="string", use_columns=wanted
        ).to_polars()
        aligned = _align(frame, header, header_rownum, shift=0, picked=True)
        if aligned is None:
            # calamine's range starts at the first used column, not at A: read every column
            # and find how far the header moved.
            frame = reader.load_sheet(
                sheet, header_row=None, skip_rows=0, dtypes="string"
            ).to_polars()
            supplier = header.row[header.columns["supplier"]] or None
            for row in frame.head(HEAD_LINES).iter_rows():
                cells = [None if c is None else c.strip() for c in row]
                if supplier is not None and supplier in cells:
                    shift = header.columns["supplier"] - cells.index(supplier)
                    aligned = _align(frame, header, header_rownum, shift=shift, picked=False)
                    if aligned is not None:
                        break
        if aligned is None:
            raise ValueError(f"blad '{sheet}': rubrikraden hittades inte igen")
        tables.append(RawTable(aligned, header, header_rownum, letters, sheet, title_year=year))
    return tables


_TEXT_LIKE = (pl.String, pl.Null)
_LARGEST_AMOUNT = 1e13  # below it, a number's cents are exact in a double


def _read_typed(
    reader, sheet: str, header_rownum: int, header: Header, head: list[tuple[int, list]]
) -> pl.DataFrame | None:
    """The sheet's role columns read typed, named by role and numbered as sheet rows, or
    None where the text read must do it.

    calamine reads a column of numbers as numbers and dates as dates faster than it writes
    each as text (0.25–0.4 s CPU on a million rows). Nothing is lost that the text read
    would keep: with `schema_sample_rows=None` every cell of a column decides its type, and
    with `dtype_coercion="strict"` a column that mixes types (a "1 234,50" among numbers, a
    TRUE among numbers, which "coerce" would turn into 1.0 without a word) is an error, and
    the text read takes the sheet. What comes back typed is accepted only where it is
    exactly what the text read gives after parsing:
    amounts as numbers with at most two decimals (under 10^13), dates as dates, and, in
    the other roles, whole numbers (as their text). Anything else (a period or konto
    column of dates, fractions in an invoice column, booleans) returns None.

    The rows are checked, not assumed: the header row must give the header's names, and
    the first rows below it must hold the supplier texts that the XML itself has there
    (`head`, from peek_xlsx); otherwise None.
    """
    if header.cells is not None:
        return None  # a two-row header: calamine names the columns by the lower row alone
    order = sorted(header.columns.items(), key=lambda kv: kv[1])
    wanted = [idx for _, idx in order]
    try:
        loaded = reader.load_sheet(
            sheet,
            header_row=header_rownum - 1,
            use_columns=wanted,
            schema_sample_rows=None,
            dtype_coercion="strict",
        )
        # "n/a", "NA", "null" or "None" among numbers come back empty without an error of
        # their own: only the cell errors tell, and the text read must see them
        batch, errors = loaded.to_arrow_with_errors()
        if errors is not None and errors.errors:
            return None
        frame = pl.from_arrow(batch)
    except Exception:  # noqa: BLE001 - calamine's errors come in many types; the text read reports
        return None
    if [c.strip() for c in frame.columns] != [header.names[idx] for idx in wanted]:
        return None
    frame.columns = [role for role, _ in order]
    columns = []
    for role in frame.columns:
        col = frame.get_column(role)
        if col.dtype in _TEXT_LIKE:
            columns.append(col.cast(pl.String))
        elif role == "date" and col.dtype in (pl.Date, pl.Datetime):
            columns.append(col.cast(pl.Date))
        elif col.dtype.is_numeric():
            col = col.cast(pl.Float64)
            if col.is_nan().any():
                return None  # "nan" written as text: the text read says where
            if col.drop_nulls().len() and not col.abs().max() < _LARGEST_AMOUNT:
                return None
            if role in ("amount", "debet", "kredit"):
                cents = col * 100
                if col.drop_nulls().len() and not (cents.round(0) - cents).abs().max() < 1e-6:
                    return None
                columns.append(col)
            else:
                if not (col.round(0) == col).fill_null(True).all():
                    return None
                columns.append(col.cast(pl.Int64).cast(pl.String))
        else:
            return None
    frame = pl.DataFrame(columns)
    # The supplier texts of the first rows below the header, as the XML has them.
    supplier = frame.get_column("supplier")
    if supplier.dtype != pl.String:
        return None
    col = header.columns["supplier"]
    cells = {rownum: values for rownum, values in head}
    below = [r for r in cells if r > header_rownum]
    last = max(below, default=header_rownum)
    if last - header_rownum > frame.height:
        return None
    for rownum in range(header_rownum + 1, last + 1):
        values = cells.get(rownum, [])
        expected = values[col] if col < len(values) else None
        got = supplier[rownum - header_rownum - 1]
        if (expected or None) != (got or None):
            return None
    first_data = header_rownum + 1
    return frame.with_columns(
        pl.int_range(first_data, first_data + frame.height, dtype=pl.Int64).alias(ROW)
    )


def _align(
    frame: pl.DataFrame, header: Header, header_rownum: int, shift: int, picked: bool
) -> pl.DataFrame | None:
    """The frame's role columns, named by role and numbered as sheet rows; None if the
    header is not where it should be.

    `picked`: the frame holds exactly the role columns, in column order. Otherwise it holds
    the sheet's used range, whose first column is `shift` columns right of A.
    """
    order = sorted(header.columns.items(), key=lambda kv: kv[1])
    if picked:
        if frame.width != len(order):
            return None
        positions = list(range(len(order)))
    else:
        positions = [idx - shift for _, idx in order]
        if min(positions) < 0 or max(positions) >= frame.width:
            return None
    frame = frame.select(
        pl.col(frame.columns[pos]).alias(role)
        for pos, (role, _) in zip(positions, order, strict=True)
    )
    # Find the header row inside the frame: calamine drops empty rows above the used range.
    names = [header.row[idx] or None for _, idx in order]
    offset = None
    for i, row in enumerate(frame.head(HEAD_LINES).iter_rows()):
        if [None if c is None else c.strip() or None for c in row] == names:
            offset = i
            break
    if offset is None:
        return None
    first_data = header_rownum + 1
    return frame.slice(offset + 1).with_columns(
        pl.int_range(first_data, first_data + frame.height - offset - 1, dtype=pl.Int64).alias(ROW)
    )
