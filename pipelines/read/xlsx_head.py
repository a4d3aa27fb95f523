"""The first rows of an xlsx sheet, read from its XML without parsing the rest.

The fast path of files.read_workbook: calamine can only read a whole sheet, and reading it
as text (needed to find titles and headers) costs far more than reading its numbers as
numbers. With the header found in the first rows, the sheet is read once, typed, from the
first data row; these head rows supply the text above it.

Only what is sure is returned: a head with a boolean, a date-formatted number or a cell
without an address gives None, and the caller reads the whole sheet as text. An error cell
(#REF!) is returned as its text, as the reader writes it into the text read too.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath

from defusedxml import ElementTree

from pipelines.read.headers import find_unit

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]*)$")
# Excel's built-in number formats that show a date or time
_DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_MAX_SHARED = 200_000  # a head whose strings sit further down the table is not read here


class _Unsure(Exception):
    """The head holds something only the full text read renders right."""


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def format_number(value: float) -> str:
    """A number as calamine writes it when a sheet is read as text: 2026, 12.5, 0.1."""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _part(archive: zipfile.ZipFile, rel_type: str) -> str | None:
    """The path of the workbook part with the given relationship type, if any."""
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    for rel in rels.iter(f"{_REL}Relationship"):
        if rel.get("Type", "").endswith("/" + rel_type):
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles (cellXfs) that show numbers as dates or times."""
    part = _part(archive, "styles")
    if part is None:
        return set()
    try:
        root = ElementTree.fromstring(archive.read(part))
    except (KeyError, ElementTree.ParseError):
        return set()
    custom = set()
    for fmt in root.iter(f"{_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode", "")).lower()
        if re.search(r"[dmyhs]", code):
            custom.add(int(fmt.get("numFmtId", "0")))
    dates = set()
    xfs = root.find(f"{_MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        if fid in _DATE_FORMAT_IDS or fid in custom:
            dates.add(i)
    return dates


def format_scale(code: str) -> int:
    """The divisor a number format applies to what it shows: Excel's trailing commas
    ("#,##0," shows 1 234 567 as "1 235", "#,##0.0,," as "1,2"). 1 when it does not scale.
    Only the first section (positive numbers) is read; quoted text, [colour] and [condition]
    parts, escaped characters and padding are left out first."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|[_*].', "", code).split(";")[0]
    commas = 0
    for m in re.finditer(r"[#0?][#0?,.]*", plain):
        number = m.group(0)
        # commas at the end of the number, or right before its decimal point, scale it
        commas += len(number) - len(number.rstrip(","))
        if "." in number:
            whole = number.split(".")[0]
            commas += len(whole) - len(whole.rstrip(","))
    return 1000**commas


def format_text(code: str) -> str:
    """The literal text a number format writes beside the number: quoted ("#,##0 \"tkr\""),
    escaped (#,##0\\ \\t\\k\\r) or a currency symbol ([$kr-41D])."""
    first = code.split(";")[0]
    quoted = re.findall(r'"([^"]*)"', first)
    escaped = "".join(re.findall(r"\\(.)", re.sub(r'"[^"]*"', "", first)))
    currency = re.findall(r"\[\$([^\]-]*)", first)
    return " ".join([*quoted, escaped, *currency]).strip()


def shows_no_number(code: str) -> bool:
    """A format whose sections for positive, negative and zero numbers are all empty
    (";;;", ";;"): the cell shows nothing, whatever number it holds."""
    sections = code.split(";")
    return len(sections) >= 3 and not any(s.strip() for s in sections[:3])


def scaled_styles(archive: zipfile.ZipFile) -> dict[int, tuple[int, str]]:
    """Cell styles (cellXfs indexes) whose number format changes what the number means as
    shown: it divides it ("#,##0,"), writes a unit beside it ("#,##0 \"tkr\"") or shows
    nothing (";;;", divisor 0) or a percentage (divisor -1): index → (divisor, format
    code). Empty for almost every workbook."""
    part = _part(archive, "styles")
    if part is None:
        return {}
    try:
        root = ElementTree.fromstring(archive.read(part))
    except (KeyError, ElementTree.ParseError):
        return {}
    scaling = {}
    for fmt in root.iter(f"{_MAIN}numFmt"):
        code = fmt.get("formatCode", "")
        divisor = format_scale(code) if "," in code else 1
        if shows_no_number(code):
            divisor = 0  # ";;;": the cell looks empty whatever it holds
        elif "%" in re.sub(r'"[^"]*"|\\.', "", code.split(";")[0]):
            divisor = -1  # a share: 0,05 shown as 5 %
        if divisor != 1 or find_unit(format_text(code)):
            scaling[int(fmt.get("numFmtId", "0"))] = (divisor, code)
    scaling.setdefault(9, (-1, "0%"))  # Excel's built-in percent formats
    scaling.setdefault(10, (-1, "0.00%"))
    out = {}
    xfs = root.find(f"{_MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        if fid in scaling:
            out[i] = scaling[fid]
    return out


class _SharedStrings:
    """The shared-string table, read in a stream only as far as the head needs."""

    def __init__(self, archive: zipfile.ZipFile):
        part = _part(archive, "sharedStrings")
        self._stream = archive.open(part) if part and part in archive.namelist() else None
        self._events = (
            ElementTree.iterparse(self._stream, events=("end",)) if self._stream else iter(())
        )
        self._strings: list[str] = []

    def get(self, index: int) -> str:
        if index >= _MAX_SHARED:
            raise _Unsure
        for _, elem in self._events:
            if elem.tag == f"{_MAIN}si":
                # plain text, or rich text runs in order; phonetic hints (rPh) are not shown
                plain = elem.find(f"{_MAIN}t")
                runs = [r.find(f"{_MAIN}t") for r in elem.findall(f"{_MAIN}r")]
                self._strings.append(
                    plain.text or ""
                    if plain is not None
                    else "".join(t.text or "" for t in runs if t is not None)
                )
                elem.clear()
                if len(self._strings) > index:
                    break
        if index >= len(self._strings):
            raise _Unsure
        return self._strings[index]

    def close(self) -> None:
        if self._stream:
            self._stream.close()


def read_head(
    archive: zipfile.ZipFile, part: str, max_rows: int
) -> tuple[list[tuple[int, int, str | float]], bool] | None:
    """(row, column, value) of the non-empty cells in the sheet's first `max_rows` rows
    (0-based, absolute; text as str, numbers as float), and whether the sheet goes on
    below them. None when unsure (see above)."""
    dates = _date_styles(archive)
    shared = _SharedStrings(archive)
    cells: list[tuple[int, int, str | float]] = []
    more = False
    try:
        with archive.open(part) as stream:
            for _, elem in ElementTree.iterparse(stream, events=("end",)):
                if elem.tag == f"{_MAIN}row":
                    row = int(elem.get("r", "0")) - 1
                    elem.clear()
                    if row < 0:
                        raise _Unsure
                    if row + 1 >= max_rows:
                        more = True
                        break
                    continue
                if elem.tag != f"{_MAIN}c":
                    continue
                m = _REF.match(elem.get("r", ""))
                if not m:
                    raise _Unsure
                row, col = int(m.group(2)) - 1, _col_index(m.group(1))
                if row >= max_rows:
                    more = True
                    break
                kind = elem.get("t", "n")
                v = elem.find(f"{_MAIN}v")
                if kind == "inlineStr":
                    value: str | float | None = "".join(
                        t.text or "" for t in elem.iter(f"{_MAIN}t")
                    )
                elif v is None or v.text is None:
                    value = None
                elif kind == "s":
                    value = shared.get(int(v.text))
                elif kind in ("str", "e"):
                    value = v.text
                elif kind == "n":
                    if int(elem.get("s", "0")) in dates:
                        raise _Unsure
                    value = float(v.text)
                else:  # b, d
                    raise _Unsure
                if value is not None and value != "":
                    cells.append((row, col, value))
    except (_Unsure, ValueError, KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return None
    finally:
        shared.close()
    return cells, more
