"""Files → grids of cells: xlsx, xlsm, xlsb, xls, ods through fastexcel/calamine, CSV
through polars. Calamine only reads cell values: macros and formulas never run.

A Sheet keeps its cells as text (numbers as calamine prints them), its absolute row and
column positions (for A1 lineage), and the merged ranges (read from the xlsx XML, so the
fast path never needs openpyxl). A big xlsx sheet is read faster: its first rows from the
XML (xlsx_head) to find where the first table's data begins, then the rest typed, so that
a column holding only numbers arrives as numbers (Float64) instead of as text to be parsed
back; text above the data in such a column is kept in `overrides`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl
from defusedxml import ElementTree

from pipelines.config import Limits
from pipelines.ingest import IngestError
from pipelines.read.xlsx_head import format_number, read_head, scaled_styles

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_EXTENSIONS = {".csv", ".tsv"}


@dataclass
class SheetLayout:
    """What an xlsx sheet's XML says about its cells beyond their values."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # 0-based sheet rows
    # absolute column → {row: (divisor, format code)}: numbers shown divided by 1 000 or
    # 1 000 000 ("#,##0," under "tkr" shows 1 234 567 kronor as 1 235)
    scaled: dict[int, dict[int, tuple[int, str]]] = field(default_factory=dict)
    # rows grouped with Excel's outline (Data > Group): row → level (1-7); the summary
    # row of a group sits below it unless the sheet says otherwise
    outline: dict[int, int] = field(default_factory=dict)
    summary_below: bool = True


@dataclass
class Sheet:
    """One sheet as text. Row i of `frame` is sheet row i + 1; column j is `columns[j]`.

    Merged ranges (r1, c1, r2, c2; 0-based, inclusive) are read on first use: they sit at
    the end of the sheet's XML, and most tables never need them.
    """

    name: str
    frame: pl.DataFrame
    columns: list[int]  # absolute 0-based column index of each frame column
    merge_loader: Callable[[], list[tuple[int, int, int, int]]] | None = None
    _merges: list[tuple[int, int, int, int]] | None = field(default=None, repr=False)
    hidden: bool = False  # a hidden sheet: often the workings behind the visible tables
    # text cells (row, column position) of a Float64 column: titles and headers above
    # the data (the column itself holds null there)
    overrides: dict[tuple[int, int], str] = field(default_factory=dict)
    # hidden rows and scaled number formats (xlsx only), read from the sheet's XML on use
    layout_loader: Callable[[], SheetLayout] | None = None
    # hidden columns (xlsx only): they sit before the cells, so reading them is cheap
    hidden_columns_loader: Callable[[], set[int]] | None = None
    _layout: SheetLayout | None = field(default=None, repr=False)
    _hidden_columns: set[int] | None = field(default=None, repr=False)

    @property
    def merges(self) -> list[tuple[int, int, int, int]]:
        if self._merges is None:
            self._merges = self.merge_loader() if self.merge_loader else []
        return self._merges

    @property
    def layout(self) -> SheetLayout:
        """Hidden rows and cells whose number format divides what they show."""
        if self._layout is None:
            self._layout = self.layout_loader() if self.layout_loader else SheetLayout()
        return self._layout

    @property
    def hidden_columns(self) -> set[int]:
        """Absolute 0-based indexes of the columns hidden in the sheet (not its width 0)."""
        if self._hidden_columns is None:
            loader = self.hidden_columns_loader
            self._hidden_columns = loader() if loader else set()
        return self._hidden_columns

    @property
    def has_merge_info(self) -> bool:
        """False for formats without merge information (CSV, xls, ods)."""
        return self.merge_loader is not None

    @property
    def height(self) -> int:
        return self.frame.height

    def cell_text(self, row: int, col: int) -> str | None:
        """A cell as text, numbers as calamine prints them; None when empty."""
        value = self.frame[row, col]
        if value is None:
            return self.overrides.get((row, col))
        if isinstance(value, float):
            return format_number(value)
        return value

    def text_frame(
        self, offset: int = 0, length: int | None = None, cols: list[int] | None = None
    ) -> pl.DataFrame:
        """Rows `offset`… of the columns `cols` (positions; all by default) as text."""
        names = [self.frame.columns[c] for c in (range(self.frame.width) if cols is None else cols)]
        part = self.frame.slice(offset, length).select(names)
        typed = [n for n in names if part[n].dtype != pl.String]
        if not typed:
            return part
        part = part.with_columns(_number_text(pl.col(n)).alias(n) for n in typed)
        for name in typed:
            col = self.frame.columns.index(name)
            cells = [
                (row - offset, text)
                for (row, c), text in self.overrides.items()
                if c == col and offset <= row < offset + part.height
            ]
            if cells:
                rows, texts = zip(*cells, strict=True)
                part = part.with_columns(part[name].scatter(list(rows), list(texts)))
        return part


def _number_text(col: pl.Expr) -> pl.Expr:
    """Numbers as text the way calamine prints them (xlsx_head.format_number, in bulk)."""
    whole = (col == col.round(0)) & (col.abs() < 9e18)
    return (
        pl.when(whole)
        .then(col.cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(col.cast(pl.String))
    )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1-style reference of a 0-based row and absolute column."""
    return f"{column_letter(col)}{row + 1}"


def _parse_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def file_format(path: Path, head: bytes) -> str | None:
    """xlsx, xls, ods, csv, or None when the file is none of them."""
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        if suffix == ".ods":
            return "ods"
        if suffix in WORKBOOK_EXTENSIONS or suffix not in CSV_EXTENSIONS:
            return "xlsx" if suffix != ".xlsb" else "xlsb"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if suffix in WORKBOOK_EXTENSIONS:
        return suffix.lstrip(".").replace("xlsm", "xlsx")
    if suffix in CSV_EXTENSIONS:
        return "csv"
    return None


def _check_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(
            name, f"inte en läsbar arbetsbok: zip-arkivet är trasigt ({exc})"
        ) from exc
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > limits.max_uncompressed_bytes:
        raise IngestError(
            name,
            f"arbetsboken packas upp till {total:,} byte, gränsen är "
            f"{limits.max_uncompressed_bytes:,}",
        )
    if total / packed > limits.max_compression_ratio:
        raise IngestError(
            name,
            f"misstänkt zip-bomb: packningsgrad {total / packed:.0f}, gränsen är "
            f"{limits.max_compression_ratio:.0f}",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise IngestError(name, "arbetsboken är lösenordsskyddad (krypterat zip-arkiv)")
    return archive


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the path of its XML part inside an xlsx archive."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                parts[sheet.get("name")] = targets[rid]
    return parts


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z$]+\d+):([A-Z$]+\d+)"')


_HIDDEN_ROW_RE = re.compile(rb'<(?:\w+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER_RE = re.compile(rb'\sr="(\d+)"')
_OUTLINE_ROW_RE = re.compile(rb'<(?:\w+:)?row\s[^>]*?\boutlineLevel="(\d+)"[^>]*>')
_SUMMARY_ABOVE_RE = re.compile(rb'<(?:\w+:)?outlinePr\s[^>]*?\bsummaryBelow="(?:0|false)"')
_COL_RE = re.compile(rb"<(?:\w+:)?col\s[^>]*>")
_ATTR_RE = re.compile(rb'(\w+)="([^"]*)"')


def _scan_sheet(
    archive: zipfile.ZipFile, part: str, scaled_styles: dict[int, tuple[int, str]]
) -> SheetLayout:
    """Merged ranges, hidden rows and scaled number cells of one sheet, in one streamed
    pass over its XML. Scaled cells are looked for only when the workbook has such a style
    (rare), so the usual cost is one decompression and a byte search per block."""
    merges: set[tuple[int, int, int, int]] = set()
    hidden: set[int] = set()
    outline: dict[int, int] = {}
    summary_below = True
    head = True
    scaled: dict[int, dict[int, tuple[int, str]]] = {}
    cell_re = None
    if scaled_styles:
        ids = b"|".join(str(i).encode() for i in sorted(scaled_styles))
        cell_re = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bs="(?:' + ids + rb')"[^>]*)>')
    try:
        with archive.open(part) as fh:
            tail = b""
            while block := fh.read(1 << 20):
                chunk = tail + block
                if b"mergeCell" in chunk:
                    for m in _MERGE_RE.finditer(chunk):
                        r1, c1 = _parse_ref(m.group(1).decode().replace("$", ""))
                        r2, c2 = _parse_ref(m.group(2).decode().replace("$", ""))
                        merges.add((r1, c1, r2, c2))
                if head:
                    summary_below = _SUMMARY_ABOVE_RE.search(chunk) is None
                    head = False
                if b'hidden="' in chunk:
                    for m in _HIDDEN_ROW_RE.finditer(chunk):
                        if r := _ROW_NUMBER_RE.search(m.group(0)):
                            hidden.add(int(r.group(1)) - 1)
                if b'outlineLevel="' in chunk:
                    for m in _OUTLINE_ROW_RE.finditer(chunk):
                        level = int(m.group(1))
                        if level and (r := _ROW_NUMBER_RE.search(m.group(0))):
                            outline[int(r.group(1)) - 1] = level
                if cell_re is not None:
                    for m in cell_re.finditer(chunk):
                        attrs = dict(_ATTR_RE.findall(m.group(1)))
                        if attrs.get(b"t", b"n") != b"n" or b"r" not in attrs:
                            continue  # text shows as written, whatever its number format
                        try:
                            row, col = _parse_ref(attrs[b"r"].decode())
                        except ValueError:
                            continue
                        scaled.setdefault(col, {})[row] = scaled_styles[int(attrs[b"s"])]
                # keep a tail so a tag split between blocks is seen whole next time
                tail = chunk[-1000:]
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return SheetLayout()
    return SheetLayout(sorted(merges), hidden, scaled, outline, summary_below)


_OUTLINE_HEAD_RE = re.compile(rb'<(?:\w+:)?sheetFormatPr\s[^>]*?\boutlineLevelRow="[1-9]')
HEAD_BYTES = 1 << 18  # the start of a sheet's XML looked at for signs of hidden rows
FULL_SCAN_BYTES = 16 << 20  # a sheet's XML up to this size is always scanned whole


def _sheet_head(archive: zipfile.ZipFile, part: str) -> tuple[set[int], bool]:
    """Columns hidden by the sheet's <cols> (which comes before its cells), and whether its
    first rows show signs of hidden or grouped rows (Excel also marks grouped rows in
    <sheetFormatPr outlineLevelRow>)."""
    out: set[int] = set()
    try:
        with archive.open(part) as fh:
            head = fh.read(HEAD_BYTES)
            while b"sheetData" not in head and len(head) < 1 << 22:
                block = fh.read(1 << 16)
                if not block:
                    break
                head += block
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return out, True
    before, _, rows = head.partition(b"sheetData")
    for m in _COL_RE.finditer(before):
        attrs = dict(_ATTR_RE.findall(m.group(0)))
        if attrs.get(b"hidden") in (b"1", b"true"):
            try:
                lo, hi = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
            except (KeyError, ValueError):
                continue
            out.update(range(lo - 1, min(hi, 16384)))
    signs = (
        b'hidden="' in rows
        or b'outlineLevel="' in rows
        or _OUTLINE_HEAD_RE.search(before) is not None
    )
    return out, signs


_SCANNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sheet-layout")


class _Layout:
    """One sheet's layout, scanned once (shared by its loaders).

    Merged ranges are scanned when asked for. Hidden rows, outline levels and styled
    numbers are scanned for every sheet whose XML is at most FULL_SCAN_BYTES (published
    budget tables: milliseconds), and for a bigger one when its workbook has styled
    numbers or its first rows show hidden or grouped rows; the scan then starts in a
    thread before calamine reads the sheet (decompressing releases the GIL). A big export
    without such signs is not scanned: a row hidden far down in it goes unseen."""

    def __init__(self, path: Path, part: str, scaled_styles: dict[int, tuple[int, str]]):
        self.path, self.part, self.scaled_styles = path, part, scaled_styles
        self._future: Future[SheetLayout] | None = None
        self._head: tuple[set[int], bool] | None = None

    def _head_info(self) -> tuple[set[int], bool]:
        if self._head is None:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    size = archive.getinfo(self.part).file_size
                    columns, signs = _sheet_head(archive, self.part)
            except (zipfile.BadZipFile, OSError, KeyError):
                columns, signs, size = set(), False, 0
            self._head = (columns, signs or size <= FULL_SCAN_BYTES or bool(self.scaled_styles))
        return self._head

    def wanted(self) -> bool:
        """Whether hidden rows, outline and styled numbers are read for this sheet."""
        return self._head_info()[1]

    def start(self) -> None:
        if self._future is None:
            self._future = _SCANNER.submit(self._scan)

    def _scan(self) -> SheetLayout:
        try:
            with zipfile.ZipFile(self.path) as archive:
                return _scan_sheet(archive, self.part, self.scaled_styles)
        except (zipfile.BadZipFile, OSError):
            return SheetLayout()

    def get(self) -> SheetLayout:
        self.start()
        assert self._future is not None
        return self._future.result()

    def layout(self) -> SheetLayout:
        return self.get() if self.wanted() else SheetLayout()

    def merges(self) -> list[tuple[int, int, int, int]]:
        return self.get().merges

    def hidden_columns(self) -> set[int]:
        return self._head_info()[0]


def is_encrypted_ole(path: Path) -> bool:
    """An OLE2 container holding an encrypted OOXML package (a password-protected xlsx)."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            if marker in block:
                return True
    return False


def read_workbook(
    path: Path,
    fmt: str,
    limits: Limits,
    boolean_parts: set[str] | None = None,
    error_parts: set[str] | None = None,
) -> list[Sheet]:
    """Every sheet of a workbook as text grids. Raises IngestError when it cannot be read.

    boolean_parts: the xlsx sheet parts the guard saw TRUE or FALSE cells in (None: not
    known, looked for here when it matters). error_parts: likewise for error cells (#REF!),
    which calamine reads as empty: in an xlsx they are read from the XML and written into
    the sheet as the error text (#REF!), so that they are named, not counted as empty."""
    import fastexcel

    name = path.name
    parts: dict[str, str] = {}
    styles: dict[int, tuple[int, str]] = {}
    if fmt in ("xlsx", "xlsb", "ods"):
        archive = _check_zip(path, limits)
        with archive:
            if fmt == "xlsx":
                names = set(archive.namelist())
                if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                    raise IngestError(
                        name, "zip-arkivet är ingen Excel-arbetsbok (xl/workbook saknas)"
                    )
                parts = _sheet_parts(archive)
                styles = scaled_styles(archive)
    elif fmt == "xls" and is_encrypted_ole(path):
        raise IngestError(
            name, "arbetsboken är lösenordsskyddad (krypterad), spara den utan lösenord"
        )
    try:
        reader = fastexcel.read_excel(path)
        sheet_names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - calamine's errors come in many types
        raise IngestError(name, f"inte en läsbar arbetsbok ({type(exc).__name__}: {exc})") from exc
    if len(sheet_names) > limits.max_sheets:
        raise IngestError(
            name, f"arbetsboken har {len(sheet_names)} blad, gränsen är {limits.max_sheets}"
        )
    sheets = []
    for sheet_name in sheet_names:
        layout = _Layout(path, parts[sheet_name], styles) if sheet_name in parts else None
        loader = layout.merges if layout else None
        sheet = None
        errors: dict[tuple[int, int], str] = {}
        if fmt == "xlsx" and layout:
            part = parts[sheet_name]
            if error_parts is None or part in error_parts:
                errors = _error_cells(path, part)
            if layout.wanted():
                layout.start()
            sheet = _read_typed(
                reader, path, sheet_name, part, layout, limits, boolean_parts, errors
            )
        if sheet is None:
            sheet = _read_text(reader, name, sheet_name, loader, limits)
        if errors:
            _put_errors(sheet, errors)
        if layout:
            sheet.layout_loader = layout.layout
            sheet.hidden_columns_loader = layout.hidden_columns
        sheets.append(sheet)
    return sheets


def _load(
    reader,
    file_name: str,
    sheet_name: str,
    limits: Limits,
    strict: bool = False,
    known: set[tuple[int, int]] | None = None,
    **options,
):
    """fastexcel's load_sheet with the row limit and its errors as IngestError.

    strict: None instead of a frame when a cell could not be converted to its column's
    type (fastexcel reads "n/a", "NA", "null" or "#N/A" in a column of numbers as empty and
    "nan" as a number: the text read must decide what they are), unless every such cell is
    one of the `known` error cells (row, absolute column), written in afterwards.
    """
    try:
        loaded = reader.load_sheet(sheet_name, header_row=None, **options)
        if loaded.total_height > limits.max_rows_per_sheet:
            raise IngestError(
                file_name,
                f"{loaded.total_height:,} rader, gränsen är {limits.max_rows_per_sheet:,}",
                sheet=sheet_name,
            )
        columns = [info.absolute_index for info in loaded.available_columns()]
        if strict:
            batch, errors = loaded.to_arrow_with_errors()
            if errors is not None and any(
                tuple(e.position) not in (known or ()) for e in errors.errors
            ):
                return None, columns, False
            frame = pl.from_arrow(batch)
        else:
            frame = loaded.to_polars()
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors come in many types
        raise IngestError(
            file_name, f"bladet kan inte läsas ({type(exc).__name__}: {exc})", sheet=sheet_name
        ) from exc
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    hidden = str(getattr(loaded, "visible", "visible")) != "visible"
    return frame, columns, hidden


def _read_text(reader, file_name: str, sheet_name: str, loader, limits: Limits) -> Sheet:
    """A whole sheet, every cell as text."""
    frame, columns, hidden = _load(
        reader, file_name, sheet_name, limits, skip_rows=0, dtypes="string", schema_sample_rows=1
    )
    if frame.width and any(dt != pl.String for dt in frame.dtypes):
        frame = frame.cast(pl.String)
    return Sheet(sheet_name, frame, columns, loader, hidden=hidden)


HEAD_ROWS = 100  # the rows read from the XML to find where the first table's data begins
_NUMBERS = (pl.Float64, pl.Int64, pl.Float32, pl.Int32)
_FLOATS = (pl.Float64, pl.Float32)


def _read_typed(
    reader,
    path: Path,
    sheet_name: str,
    part: str,
    layout: _Layout,
    limits: Limits,
    boolean_parts: set[str] | None = None,
    errors: dict[tuple[int, int], str] | None = None,
) -> Sheet | None:
    """A big xlsx sheet read fast (see the module docstring); None where the text read must
    do it: a sheet of at most HEAD_ROWS rows, a head this reader is not sure of, no table
    found in the head, body cells that are neither text nor numbers (dates), or TRUE/FALSE
    cells where a number column holds 1 or 0 (calamine reads them as those numbers).

    errors: the sheet's error cells (row, absolute column) → text; calamine cannot type
    them and leaves them empty, read_workbook writes them in afterwards."""
    from pipelines.read.tables import find_tables, make_grid  # tables builds on this module

    try:
        with zipfile.ZipFile(path) as archive:
            found = read_head(archive, part, HEAD_ROWS)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if found is None or not found[1] or not found[0]:
        return None  # unsure, or a small sheet: the text read is as quick
    head = found[0]
    head_cols = sorted({c for _, c, _ in head})
    pos = {c: i for i, c in enumerate(head_cols)}
    texts: list[list[str | None]] = [[None] * HEAD_ROWS for _ in head_cols]
    for row, col, value in head:
        texts[pos[col]][row] = value if isinstance(value, str) else format_number(value)
    head_sheet = Sheet(
        sheet_name,
        pl.DataFrame(
            {f"c{i}": t for i, t in enumerate(texts)},
            schema_overrides={f"c{i}": pl.String for i in range(len(texts))},
        ),
        head_cols,
        layout.merges,
        hidden_columns_loader=layout.hidden_columns,
    )
    tables, goals = find_tables(make_grid(head_sheet))
    starts = [t.first_row for t in tables] + [g.first_row for g in goals]
    if not starts or min(starts) >= HEAD_ROWS:
        return None
    skip = min(starts)
    body, columns, hidden = _load(
        reader,
        path.name,
        sheet_name,
        limits,
        strict=True,
        skip_rows=skip,
        schema_sample_rows=None,
        known=set(errors or ()),
    )
    if body is None or any(dt not in (pl.String, pl.Null, *_NUMBERS) for dt in body.dtypes):
        return None
    if any(body[c].is_nan().any() for c in body.columns if body[c].dtype in _FLOATS):
        return None  # "nan" written as text: a number column cannot hold it otherwise
    if (boolean_parts is None or part in boolean_parts) and any(
        body[c].is_in([0.0, 1.0]).any() for c in body.columns if body[c].dtype in _NUMBERS
    ):
        if boolean_parts is not None or _has_booleans(path, part):
            return None
    if any(c not in columns for c in head_cols):
        return None
    at = {c: i for i, c in enumerate(columns)}
    above: list[list[str | float | None]] = [[None] * skip for _ in columns]
    for row, col, value in head:
        if row < skip:
            above[at[col]][row] = value
    overrides: dict[tuple[int, int], str] = {}
    out = []
    for i, name in enumerate(body.columns):
        col = body[name]
        if col.dtype in _NUMBERS:
            numbers = []
            for row, value in enumerate(above[i]):
                if isinstance(value, str):
                    overrides[(row, i)] = value
                    value = None
                numbers.append(value)
            top = pl.Series(name, numbers, dtype=pl.Float64)
            out.append(pl.concat([top, col.cast(pl.Float64)], rechunk=False))
        else:
            top = pl.Series(
                name,
                [v if isinstance(v, str) or v is None else format_number(v) for v in above[i]],
                dtype=pl.String,
            )
            out.append(pl.concat([top, col.cast(pl.String)], rechunk=False))
    return Sheet(
        sheet_name, pl.DataFrame(out), columns, layout.merges, hidden=hidden, overrides=overrides
    )


def _has_booleans(path: Path, part: str) -> bool:
    """Whether a sheet's XML has a TRUE or FALSE cell (t="b"), in one streamed pass."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as fh:
            tail = b""
            while block := fh.read(1 << 20):
                if b't="b"' in tail + block[:8] or b't="b"' in block:
                    return True
                tail = block[-8:]
    except (zipfile.BadZipFile, OSError, KeyError):
        return True  # unsure: the text read
    return False


_ERROR_CELL_RE = re.compile(
    rb"<(?:\w+:)?c\s([^>/]*?\bt=[\"']e[\"'][^>/]*)>(.*?)</(?:\w+:)?c>", re.DOTALL
)
_VALUE_RE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</")
_REF_ATTR_RE = re.compile(rb"\br=[\"']([A-Z]{1,3}[0-9]+)[\"']")


def _error_cells(path: Path, part: str) -> dict[tuple[int, int], str]:
    """The error cells of an xlsx sheet (t="e": #REF!, #DIV/0!, #N/A): (row, absolute
    column) → the error as shown, in one streamed pass over the sheet's XML. Cells without
    an address (rare writers) are left out."""
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as fh:
            tail = b""
            while block := fh.read(1 << 20):
                chunk = tail + block
                if b'"e"' in chunk or b"'e'" in chunk:
                    for m in _ERROR_CELL_RE.finditer(chunk):
                        ref = _REF_ATTR_RE.search(m.group(1))
                        value = _VALUE_RE.search(m.group(2))
                        if ref is None or value is None:
                            continue
                        text = value.group(1).decode("utf-8", "replace").strip()
                        if text:
                            found[_parse_ref(ref.group(1).decode())] = text
                # a cell split between blocks is seen whole next time (a formula is at
                # most 8 192 characters)
                tail = chunk[-(1 << 16) :]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return found
    return found


def _put_errors(sheet: Sheet, errors: dict[tuple[int, int], str]) -> None:
    """Write error cells into a sheet as their text (#REF!): into a text column, or as an
    override of a typed one (where the cell is empty)."""
    at = {c: i for i, c in enumerate(sheet.columns)}
    by_col: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in errors.items():
        if col in at and row < sheet.height:
            by_col.setdefault(at[col], []).append((row, text))
    for i, cells in by_col.items():
        name = sheet.frame.columns[i]
        if sheet.frame[name].dtype == pl.String:
            rows, texts = zip(*sorted(cells), strict=True)
            sheet.frame = sheet.frame.with_columns(
                sheet.frame[name].scatter(list(rows), list(texts))
            )
        else:
            for row, text in cells:
                sheet.overrides[(row, i)] = text


def head_rows(path: Path, n_rows: int) -> tuple[str, list[list[str]]] | None:
    """The first sheet's name and its first `n_rows` rows as text ("" for empty cells), read
    from the XML without parsing the rest; None when that cannot be done with certainty."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            if not parts:
                return None
            name, part = next(iter(parts.items()))
            found = read_head(archive, part, n_rows)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if found is None:
        return None
    cells = found[0]
    if not cells:
        return name, []
    first = min(c for _, c, _ in cells)
    width = max(c for _, c, _ in cells) - first + 1
    rows = [[""] * width for _ in range(max(r for r, _, _ in cells) + 1)]
    for r, c, value in cells:
        rows[r][c - first] = value if isinstance(value, str) else format_number(value)
    return name, rows


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252
        return raw.decode("cp1252", errors="replace")


def read_csv(path: Path, limits: Limits) -> list[Sheet]:
    """A CSV file (`;`, `,` or tab separated, UTF-8 with or without BOM, or cp1252) as one sheet."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(path.name, "inte en textfil (binärt innehåll), alltså ingen CSV")
    text = _decode(raw)
    sample = text[:20000].splitlines()[:50]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (";", "\t", ",")}
    separator = max(counts, key=lambda s: (counts[s], s == ";"))
    if counts[separator] == 0:
        separator = ";"
    width = max((line.count(separator) + 1 for line in sample), default=1)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            has_header=False,
            infer_schema=False,
            truncate_ragged_lines=True,
            # a schema, not new_columns: title rows with fewer separators than the table
            # (as other tools than Excel write them) are filled with nulls, not refused
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
        )
    except Exception as exc:  # noqa: BLE001
        raise IngestError(path.name, f"CSV-filen kan inte läsas ({exc})") from exc
    if frame.height > limits.max_rows_per_sheet:
        raise IngestError(
            path.name, f"{frame.height:,} rader, gränsen är {limits.max_rows_per_sheet:,}"
        )
    frame = frame.with_columns(pl.all().replace("", None))
    return [Sheet(path.stem, frame, list(range(frame.width)))]
