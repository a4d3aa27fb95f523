"""Files → grids of text cells: xlsx, xlsm, xlsb, xls, ods through fastexcel/calamine, CSV
through polars. Calamine only reads cell values: macros and formulas never run.

A Sheet keeps every cell as text (numbers as calamine prints them), its absolute row and
column positions (for A1 lineage), and the merged ranges (read from the xlsx XML, so the
fast path never needs openpyxl).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

import polars as pl
from defusedxml import ElementTree

from pipelines.config import Limits
from pipelines.ingest import IngestError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_EXTENSIONS = {".csv", ".tsv"}


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

    @property
    def merges(self) -> list[tuple[int, int, int, int]]:
        if self._merges is None:
            self._merges = self.merge_loader() if self.merge_loader else []
        return self._merges

    @property
    def has_merge_info(self) -> bool:
        """False for formats without merge information (CSV, xls, ods)."""
        return self.merge_loader is not None

    @property
    def height(self) -> int:
        return self.frame.height


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


def _merges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges of one sheet, scanned from its XML in a stream (they sit at the end)."""
    merges = []
    try:
        with archive.open(part) as fh:
            tail = b""
            while block := fh.read(1 << 20):
                chunk = tail + block
                if b"mergeCell" in chunk:
                    for m in _MERGE_RE.finditer(chunk):
                        r1, c1 = _parse_ref(m.group(1).decode().replace("$", ""))
                        r2, c2 = _parse_ref(m.group(2).decode().replace("$", ""))
                        merges.append((r1, c1, r2, c2))
                # keep a tail so a tag split between blocks is seen whole next time
                tail = chunk[-200:]
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return []
    return sorted(set(merges))


def _merges_of(path: Path, part: str) -> list[tuple[int, int, int, int]]:
    try:
        with zipfile.ZipFile(path) as archive:
            return _merges(archive, part)
    except (zipfile.BadZipFile, OSError):
        return []


def is_encrypted_ole(path: Path) -> bool:
    """An OLE2 container holding an encrypted OOXML package (a password-protected xlsx)."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            if marker in block:
                return True
    return False


def read_workbook(path: Path, fmt: str, limits: Limits) -> list[Sheet]:
    """Every sheet of a workbook as text grids. Raises IngestError when it cannot be read."""
    import fastexcel

    name = path.name
    parts: dict[str, str] = {}
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
        try:
            loaded = reader.load_sheet(
                sheet_name, header_row=None, skip_rows=0, dtypes="string", schema_sample_rows=1
            )
            if loaded.total_height > limits.max_rows_per_sheet:
                raise IngestError(
                    name,
                    f"{loaded.total_height:,} rader, gränsen är {limits.max_rows_per_sheet:,}",
                    sheet=sheet_name,
                )
            columns = [info.absolute_index for info in loaded.available_columns()]
            frame = loaded.to_polars()
        except IngestError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise IngestError(
                name, f"bladet kan inte läsas ({type(exc).__name__}: {exc})", sheet=sheet_name
            ) from exc
        frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
        if frame.width and frame.dtypes and any(dt != pl.String for dt in frame.dtypes):
            frame = frame.cast(pl.String)
        loader = partial(_merges_of, path, parts[sheet_name]) if sheet_name in parts else None
        hidden = str(getattr(loaded, "visible", "visible")) != "visible"
        sheets.append(Sheet(sheet_name, frame, columns, loader, hidden=hidden))
    return sheets


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
