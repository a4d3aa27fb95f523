"""Broken and hostile input, generated here in tmp_path, fed to `verkstad ingest`.

Each file is either refused (exit code 1, a reason that names the file, the facts of a
database that already holds data unchanged) or loaded correctly. The README table
"Felaktiga filer" lists the same cases.
"""

from __future__ import annotations

import functools
import json
import os
import random
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.config import ROOT
from pipelines.db import connect_read

GOOD_ROWS = [
    ["Mål och budget 2026"],
    ["Belopp i mnkr"],
    [],
    ["Nämnd", "Bokslut 2024", "Budget 2025", "Budget 2026"],
    ["Kommunstyrelsen", 250, 260, 265],
    ["Utbildningsnämnden", 3100, 3200, 3300],
    ["Summa", 3350, 3460, 3565],
]


def workbook(path: Path, rows=GOOD_ROWS, title="Drift", cells=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref, value in (cells or {}).items():
        ws[ref] = value
    wb.save(path)
    return path


def rezip(src: Path, dst: Path, replace=None, add=None, method=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of the zip `src` with some members replaced or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def ingest_json(db: Path, *paths: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(
        cli, ["ingest", *map(str, paths), "--db", str(db), "--json"], catch_exceptions=False
    )
    start = result.output.find("[")
    return result.exit_code, json.loads(result.output[start:])


def snapshot(db: Path) -> tuple[list, list]:
    con = connect_read(db)
    try:
        facts = con.execute("select * from facts order by all").fetchall()
        docs = con.execute("select doc_id, file_name from documents order by all").fetchall()
        return facts, docs
    finally:
        con.close()


@pytest.fixture
def db(tmp_path) -> Path:
    """A database that already holds one accepted budget workbook."""
    db = tmp_path / "db" / "verkstad.duckdb"
    db.parent.mkdir()
    code, reports = ingest_json(db, workbook(tmp_path / "mob-2026.xlsx"))
    assert code == 0, reports
    assert snapshot(db)[0], "the fixture database should hold facts"
    return db


# --- the corpus: each builder writes one file and returns its path ---------------------


def not_a_workbook(tmp: Path) -> Path:
    path = tmp / "budget-2026.xlsx"
    path.write_text("Det här är ingen arbetsbok, bara text.\n" * 20, encoding="utf-8")
    return path


def random_binary(tmp: Path) -> Path:
    path = tmp / "budget-2026.xlsx"
    path.write_bytes(bytes(range(256)) * 64)
    return path


def truncated_zip(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    path = tmp / "trasig-2026.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def damaged_member(tmp: Path) -> Path:
    """Central directory intact, one member's compressed bytes overwritten: a CRC error."""
    good = workbook(tmp / "good.xlsx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size - 2, 60)):
        data[i] ^= 0x5A
    path = tmp / "skadad-2026.xlsx"
    path.write_bytes(bytes(data))
    return path


def encrypted_workbook(tmp: Path) -> Path:
    """What Excel writes for a password-protected xlsx: an OLE2 container with an
    EncryptionInfo and an EncryptedPackage stream (directory entries in UTF-16)."""
    sector = bytearray(512)
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    header[0x1A:0x1C] = (0x3E).to_bytes(2, "little")
    directory = bytearray()
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[: len(encoded)] = encoded
        entry[64:66] = (len(encoded) + 2).to_bytes(2, "little")
        directory += entry
    path = tmp / "hemlig-budget-2026.xlsx"
    path.write_bytes(bytes(header) + bytes(sector) + bytes(directory) + os.urandom(4096))
    return path


def empty_workbook(tmp: Path) -> Path:
    path = tmp / "tom-2026.xlsx"
    openpyxl.Workbook().save(path)
    return path


def no_table(tmp: Path) -> Path:
    rows = [["Protokoll från sammanträde"], ["Närvarande: Anna, Olle"], ["Inga beslut fattades."]]
    return workbook(tmp / "protokoll-2026.xlsx", rows=rows)


def absurd_size(tmp: Path) -> Path:
    """Larger than Limits.max_file_bytes; sparse, so it costs no disk."""
    path = tmp / "jattestor-2026.xlsx"
    with open(path, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(201 * 1024 * 1024)
    return path


def zip_bomb(tmp: Path) -> Path:
    """A valid workbook whose sheet part inflates 1000-fold (50 MB of blanks)."""
    good = workbook(tmp / "good.xlsx")
    path = tmp / "bomb-2026.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info.filename, zin.read(info.filename))
                continue
            sheet = zin.read(info.filename)
            cut = sheet.index(b"<sheetData>")
            with zout.open(info.filename, "w") as out:
                out.write(sheet[:cut])
                for _ in range(50):
                    out.write(b" " * (1 << 20))
                out.write(sheet[cut:])
    return path


def lying_sizes(tmp: Path) -> Path:
    """A member whose headers claim 100 bytes while it inflates to 20 MB."""
    good = workbook(tmp / "good.xlsx")
    bomb = rezip(
        good, tmp / "x.xlsx", add={"xl/media/pad.xml": b"<a>" + b"A" * 20_000_000 + b"</a>"}
    )
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo("xl/media/pad.xml")
    local = info.header_offset
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == b"xl/media/pad.xml":
            data[pos + 24 : pos + 28] = (100).to_bytes(4, "little")
        pos += 4
    path = tmp / "ljuger-2026.xlsx"
    path.write_bytes(bytes(data))
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def xml_bomb(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    return rezip(
        good, tmp / "xmlbomb-2026.xlsx", replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}
    )


def xml_bomb_utf16(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    text = BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    return rezip(good, tmp / "xmlbomb16-2026.xlsx", replace={"xl/worksheets/sheet1.xml": data})


def external_entity(tmp: Path) -> Path:
    """XXE: an entity that would read a local file."""
    good = workbook(tmp / "good.xlsx")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&e;</workbook>'
    )
    return rezip(good, tmp / "xxe-2026.xlsx", replace={"xl/workbook.xml": xxe})


def docx_bomb(tmp: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Handlingsprogram")
    plain = tmp / "plain.docx"
    doc.save(plain)
    return rezip(plain, tmp / "program-bomb.docx", replace={"word/document.xml": BILLION_LAUGHS})


def xlsx_named_csv(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    path = tmp / "budget-2026.csv"
    path.write_bytes(good.read_bytes())
    return path


def csv_named_xlsx(tmp: Path) -> Path:
    path = tmp / "budget-2026.xlsx"
    path.write_text("Nämnd;Budget 2026\nKommunstyrelsen;265\n", encoding="utf-8")
    return path


def xlsx_named_xls(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    path = tmp / "budget-2026.xls"
    path.write_bytes(good.read_bytes())
    return path


def html_named_xls(tmp: Path) -> Path:
    path = tmp / "export-2026.xls"
    path.write_text(
        "<html><body><table><tr><td>Nämnd</td><td>Budget 2026</td></tr>"
        "<tr><td>Kommunstyrelsen</td><td>265</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return path


def formulas_without_values(tmp: Path) -> Path:
    """openpyxl writes formulas without cached values: read naively, the total is empty."""
    rows = [*GOOD_ROWS[:6], ["Summa", "=SUM(B5:B6)", "=SUM(C5:C6)", "=SUM(D5:D6)"]]
    return workbook(tmp / "formler-2026.xlsx", rows=rows)


def thousand_sheets(tmp: Path) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    for i in range(1000):
        ws = wb.create_sheet(f"Blad {i + 1}")
        ws.append(["Nämnd", "Budget 2026"])
        ws.append(["Kommunstyrelsen", i])
    path = tmp / "tusen-blad-2026.xlsx"
    wb.save(path)
    return path


@functools.lru_cache(maxsize=4)
def noise(n: int) -> str:
    """Text that does not compress much (so the zip-bomb check is not what refuses it)."""
    return "".join(random.Random(n).choices(string.ascii_letters + "åäö ", k=n))


def huge_cell(tmp: Path) -> Path:
    """A 10 MB shared string used by cell E5 (openpyxl itself cuts text at 32 767 characters,
    so the parts are written by hand, as Excel would)."""
    good = workbook(tmp / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
        types = z.read("[Content_Types].xml")
    row5 = sheet.index(b'<row r="5"')
    end = sheet.index(b"</row>", row5)
    sheet = sheet[:end] + b'<c r="E5" t="s"><v>0</v></c>' + sheet[end:]
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + noise(10_000_000).encode() + b"</t></si></sst>"
    )
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return rezip(
        good,
        tmp / "stor-cell-2026.xlsx",
        replace={
            "xl/worksheets/sheet1.xml": sheet,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
        },
        add={"xl/sharedStrings.xml": strings},
    )


def huge_inline_cell(tmp: Path) -> Path:
    """The same 10 MB text as an inline string in the sheet part (no shared strings)."""
    good = workbook(tmp / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    cell = b'<c r="F6" t="inlineStr"><is><t>' + noise(5_000_000).encode() + b"</t></is></c>"
    sheet = sheet.replace(b"</row>", cell + b"</row>", 6).replace(cell + b"</row>", b"</row>", 5)
    return rezip(good, tmp / "stor-inline-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})


def huge_csv_cell(tmp: Path) -> Path:
    path = tmp / "stor-cell-2026.csv"
    path.write_text(
        "Nämnd;Budget 2026\nKommunstyrelsen;265\n" + noise(10_000_000) + ";1\n", encoding="utf-8"
    )
    return path


def far_cell(tmp: Path) -> Path:
    """Two cells at opposite corners: calamine would allocate 17 billion cells and die."""
    return workbook(tmp / "glest-2026.xlsx", cells={"XFD1048576": 1})


def shared_string_count_bomb(tmp: Path) -> Path:
    """A shared-string table that claims four billion strings: calamine would reserve 96 GB
    for them and the process would die."""
    good = workbook(tmp / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        rels = z.read("xl/_rels/workbook.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    return rezip(
        good,
        tmp / "strangbomb-2026.xlsx",
        replace={"xl/_rels/workbook.xml.rels": rels},
        add={"xl/sharedStrings.xml": strings},
    )


def very_wide_csv(tmp: Path) -> Path:
    path = tmp / "bred-2026.csv"
    path.write_text("Nämnd" + ";" * 100_000 + "\nKommunstyrelsen;1\n", encoding="utf-8")
    return path


def too_many_rows_csv(tmp: Path) -> Path:
    path = tmp / "langa-2026.csv"
    path.write_bytes(b"Namnd;Budget 2026\n" + b"Kommunstyrelsen;1\n" * 2_000_001)
    return path


def garbage_ole_xls(tmp: Path) -> Path:
    path = tmp / "gammal-2026.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(1).randbytes(20_000))
    return path


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(path: Path, tables: list[tuple[str, list[list]]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no ods writer is installed)."""

    def cell(c) -> str:
        if isinstance(c, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{c}"><text:p>{c}</text:p></table:table-cell>'
        return (
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
        )

    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in tables
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
    return path


def ods_huge_cell(tmp: Path) -> Path:
    return ods(tmp / "stor-cell-2026.ods", [("Drift", [*GOOD_ROWS, ["Not", noise(10_000_000)]])])


def ods_thousand_sheets(tmp: Path) -> Path:
    return ods(tmp / "tusen-blad-2026.ods", [(f"Blad {i}", GOOD_ROWS) for i in range(1000)])


def many_merged_ranges(tmp: Path) -> Path:
    """200 000 merged ranges: table detection would compare each with every header row."""
    good = workbook(tmp / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(10, 200_010))
    sheet = sheet.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="200000">' + merges + b"</mergeCells>"
    )
    return rezip(good, tmp / "sammanfogat-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})


def duplicated_headers(tmp: Path) -> Path:
    rows = [
        ["Mål och budget 2026"],
        ["Belopp i mnkr"],
        [],
        ["Nämnd", "Budget 2026", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", 265, 999, 270],
        ["Utbildningsnämnden", 3300, 111, 3400],
    ]
    return workbook(tmp / "dubbla-rubriker-2026.xlsx", rows=rows)


def mixed_encodings(tmp: Path) -> Path:
    path = tmp / "blandad-2026.csv"
    head = "Mål och budget 2026;\nBelopp i tkr;\nNämnd;Budget 2026\n".encode()
    path.write_bytes(head + b"Kommunstyrelsen;265\n" + "Äldreomsorgsnämnden;900\n".encode("cp1252"))
    return path


def too_many_members(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    add = {f"customXml/item{i}.xml": b"<a/>" for i in range(10_001)}
    return rezip(good, tmp / "manga-delar-2026.xlsx", add=add, method=zipfile.ZIP_STORED)


def duplicate_member(tmp: Path) -> Path:
    good = workbook(tmp / "good.xlsx")
    path = tmp / "dubbel-del-2026.xlsx"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rezip(good, path, add={"xl/worksheets/sheet1.xml": b"<worksheet/>"})
    return path


def pdf_named_txt(tmp: Path) -> Path:
    path = tmp / "program.txt"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path


def empty_file(tmp: Path) -> Path:
    path = tmp / "tom.csv"
    path.write_bytes(b"")
    return path


# (builder, words the reason must contain)
REJECTED = [
    (not_a_workbook, "textfil"),
    (random_binary, "inte en Excel-arbetsbok"),
    (truncated_zip, "trasigt zip-arkiv"),
    (damaged_member, "trasigt zip-arkiv"),
    (encrypted_workbook, "krypterad"),
    (empty_workbook, "tom"),
    (no_table, "ingen tabell"),
    (absurd_size, "gränsen är"),
    (zip_bomb, "zip-bomb"),
    (lying_sizes, "trasigt zip-arkiv"),
    (xml_bomb, "DOCTYPE"),
    (xml_bomb_utf16, "DOCTYPE"),
    (external_entity, "DOCTYPE"),
    (docx_bomb, "DOCTYPE"),
    (xlsx_named_csv, "byt filändelse till .xlsx"),
    (csv_named_xlsx, "textfil"),
    (xlsx_named_xls, "byt filändelse till .xlsx"),
    (html_named_xls, "webbsida"),
    (formulas_without_values, "formler utan sparade värden"),
    (thousand_sheets, "1 000 blad"),
    (huge_cell, "10 000 000 tecken"),
    (huge_inline_cell, "5 000 000 tecken"),
    (huge_csv_cell, "Limits.max_cell_chars"),
    (very_wide_csv, "kolumner, gränsen är 16 384"),
    (ods_huge_cell, "blad 'Drift': en cell har 10 000 000 tecken"),
    (ods_thousand_sheets, "1 000 blad"),
    (too_many_rows_csv, "Limits.max_rows_per_sheet"),
    (many_merged_ranges, "200 000 sammanfogade cellområden"),
    (garbage_ole_xls, "inte en läsbar arbetsbok"),
    (duplicated_headers, "dubblerad kolumnrubrik"),
    (mixed_encodings, "blandad teckenkodning"),
    (too_many_members, "delar, gränsen är"),
    (duplicate_member, "två gånger"),
    (pdf_named_txt, "PDF"),
    (empty_file, "tom"),
]


@pytest.mark.parametrize(("build", "words"), REJECTED, ids=[b.__name__ for b, _ in REJECTED])
def test_rejected_and_database_unchanged(tmp_path, db, build, words):
    before = snapshot(db)
    bad = build(tmp_path)
    code, reports = ingest_json(db, bad)
    assert code == 1, reports
    (report,) = reports
    assert report["status"] == "rejected"
    assert bad.name in report["reason"], report["reason"]
    assert words in report["reason"], report["reason"]
    assert snapshot(db) == before


def test_cell_named_for_huge_and_formula_cells(tmp_path, db):
    _, (report,) = ingest_json(db, huge_cell(tmp_path))
    assert "blad 'Drift', cell E5" in report["reason"]
    _, (report,) = ingest_json(db, huge_inline_cell(tmp_path))
    assert "blad 'Drift', cell F6" in report["reason"]
    _, (report,) = ingest_json(db, formulas_without_values(tmp_path))
    assert "blad 'Drift', cell B7" in report["reason"]


def test_bad_file_among_good_ones_rejects_only_itself(tmp_path, db):
    """One bad file in a folder: the good ones load, the run exits 1 naming the bad one."""
    folder = tmp_path / "in"
    folder.mkdir()
    workbook(
        folder / "mob-2027.xlsx",
        rows=[
            [c.replace("2026", "2027") if isinstance(c, str) else c for c in r] for r in GOOD_ROWS
        ],
    )
    xml_bomb(tmp_path).rename(folder / "xmlbomb-2026.xlsx")
    code, reports = ingest_json(db, folder)
    assert code == 1
    status = {r["file"]: r["status"] for r in reports}
    assert status == {"mob-2027.xlsx": "accepted", "xmlbomb-2026.xlsx": "rejected"}


# Files that kill the reading process (calamine aborts on a huge allocation) when the
# guard misses them: tried in a subprocess, so that a regression fails this test only.
CRASHERS = [(far_cell, "gränsen är"), (shared_string_count_bomb, "manipulerad fil")]


@pytest.mark.parametrize(("build", "words"), CRASHERS, ids=[b.__name__ for b, _ in CRASHERS])
def test_files_that_would_crash_the_reader_are_refused(tmp_path, db, build, words):
    bad = build(tmp_path)
    before = snapshot(db)
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "ingest", str(bad), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"{bad.name}" in result.stdout and words in result.stdout, result.stdout
    assert "memory allocation" not in result.stderr
    assert snapshot(db) == before


# --- loaded correctly --------------------------------------------------------------------


def facts_of(db: Path, file: str) -> list[tuple]:
    con = connect_read(db)
    try:
        return con.execute(
            "select organisation, measure, year, period, amount_sek, source_cell from facts"
            " where source_file = ? order by source_cell",
            [file],
        ).fetchall()
    finally:
        con.close()


def test_xlsm_with_macros_loads_and_never_runs_them(tmp_path, db):
    """A macro that would create a file if it ever ran; its presence is only reported."""
    marker = tmp_path / "makrot-korde"
    vba = (
        b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()\r\n'
        b'  Shell "touch ' + str(marker).encode() + b'"\r\nEnd Sub\r\n'
    )
    good = workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        types = z.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
    path = rezip(
        good,
        tmp_path / "makron-2026.xlsm",
        replace={"[Content_Types].xml": types},
        add={"xl/vbaProject.bin": vba},
    )
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    assert any("makron" in m and "körs aldrig" in m for m in report["messages"])
    assert report["facts"] == 6
    assert not marker.exists()


def test_dates_written_as_text_load_and_are_reported(tmp_path, db):
    rows = [
        ["Delårsrapport 2 2025"],
        ["Belopp i mnkr"],
        ["Uppdaterad 2025-09-15"],
        ["Nämnd", "Budget 2025", "Utfall 2025-01-01–2025-08-31", "Prognos 2025"],
        ["Kommunstyrelsen", 265, "2025-08-31", 270],
        ["Utbildningsnämnden", 3300, "2 200", 3400],
    ]
    path = workbook(tmp_path / "datum-som-text-2025.xlsx", rows=rows)
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    from decimal import Decimal

    assert facts_of(db, path.name) == [
        ("Kommunstyrelsen", "budget", 2025, None, Decimal("265000000.00"), "B5"),
        ("Utbildningsnämnden", "budget", 2025, None, Decimal("3300000000.00"), "B6"),
        ("Utbildningsnämnden", "utfall", 2025, "2025-08", Decimal("2200000000.00"), "C6"),
        ("Kommunstyrelsen", "prognos", 2025, None, Decimal("270000000.00"), "D5"),
        ("Utbildningsnämnden", "prognos", 2025, None, Decimal("3400000000.00"), "D6"),
    ]
    # the date in an amount cell is reported as text, never read as a number
    assert "C5 '2025-08-31'" in json.dumps(report["details"], ensure_ascii=False)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_csv_in_one_encoding_loads_with_swedish_letters(tmp_path, db, encoding):
    text = (
        "Mål och budget 2026;\nBelopp i tkr;\n;\nNämnd;Budget 2026\n"
        "Äldreomsorgsnämnden;900\nKultur- och fritidsnämnden;\u00a01\u00a0234,5\n"
    )
    path = tmp_path / f"mob-{encoding}-2026.csv"
    path.write_bytes(text.encode(encoding))
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    from decimal import Decimal

    assert facts_of(db, path.name) == [
        ("Äldreomsorgsnämnden", "budget", 2026, None, Decimal("900000.00"), "B5"),
        ("Kultur- och fritidsnämnden", "budget", 2026, None, Decimal("1234500.00"), "B6"),
    ]


def test_ods_loads(tmp_path, db):
    """The hand-made ods of the bad cases is itself readable: the guard passes it."""
    path = ods(tmp_path / "mob-2026.ods", [("Drift", GOOD_ROWS)])
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    assert report["facts"] == 6


def test_csv_title_rows_without_separators_load(tmp_path, db):
    """Title rows written without the table's separators (not every tool pads them)."""
    path = tmp_path / "mob-titlar-2026.csv"
    path.write_text(
        "Mål och budget 2026\nBelopp i tkr\n\nNämnd;Budget 2026\nKommunstyrelsen;265\n",
        encoding="utf-8",
    )
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    from decimal import Decimal

    assert facts_of(db, path.name) == [
        ("Kommunstyrelsen", "budget", 2026, None, Decimal("265000.00"), "B5")
    ]


def test_exactly_max_cell_chars_is_accepted(tmp_path, db):
    """The limit is inclusive: Excel's own maximum (32 767 characters) still loads."""
    path = workbook(tmp_path / "lang-text-2026.xlsx", cells={"E5": "å" * 32_767})
    code, (report,) = ingest_json(db, path)
    assert code == 0, report


# --- uploads (the Importera page, pipelines.sources.upload) --------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../../etc/cron.d/mob-2026.xlsx", "mob-2026.xlsx"),
        ("/etc/passwd.csv", "passwd.csv"),
        ("..\\..\\Windows\\mob 2026.xlsx", "mob 2026.xlsx"),
        (".bashrc.csv", "bashrc.csv"),
        ("Mål och budget 2026.xlsx", "Mål och budget 2026.xlsx"),
        ("program.exe", "uppladdning-1.bin"),
        ("..", "uppladdning-1.bin"),
    ],
)
def test_upload_name_never_becomes_a_path(tmp_path, monkeypatch, name, label):
    """The browser's name is reduced to a label inside a folder we generate."""
    import tempfile

    from pipelines.sources import upload

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with upload._staged([upload.Upload(name, b"data")]) as (path,):
        assert path.name == label
        assert path.parent.parent == tmp_path
        assert path.parent.name.startswith("verkstad-upload-")
        assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]
    assert list(tmp_path.iterdir()) == []


def test_upload_type_size_and_count_are_limited(config):
    from dataclasses import replace

    from pipelines.config import Limits
    from pipelines.sources import upload

    small = replace(config, limits=replace(Limits(), max_file_bytes=1000))
    problems = upload.check_uploads(
        [
            upload.Upload("program.exe", b"MZ"),
            upload.Upload("stor.csv", b"a;b\n" * 300),
            upload.Upload("tom.xlsx", b""),
            upload.Upload("ok.csv", b"a;b\n"),
        ],
        small,
    )
    assert len(problems) == 3
    assert "program.exe" in problems[0] and "stor.csv" in problems[1] and "tom" in problems[2]
    many = [upload.Upload(f"f{i}.csv", b"a") for i in range(upload.MAX_FILES + 1)]
    assert any("högst" in p for p in upload.check_uploads(many, config))


def test_uploaded_hostile_file_is_refused_by_the_guard(tmp_path, config):
    """An upload goes through the same pre-read guard as `verkstad ingest`."""
    from pipelines.sources import upload

    bomb = xml_bomb(tmp_path)
    reports = upload.preview([upload.Upload("../" + bomb.name, bomb.read_bytes())], config)
    assert [r.status for r in reports] == ["rejected"]
    assert "DOCTYPE" in reports[0].reason and bomb.name in reports[0].reason
    assert not config.db_path.exists()


def test_empty_styled_cells_far_out_do_not_count(tmp_path, db):
    """calamine skips empty cells, so a styled but empty cell at XFD1048576 (common in real
    files) is no reason to refuse; the same cell with a value is (see far_cell)."""
    good = workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="XFD1048576" s="0"/><c r="XFC1048576"></c></row>'
    sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    path = rezip(
        good, tmp_path / "formaterad-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet}
    )
    code, (report,) = ingest_json(db, path)
    assert code == 0, report
    assert report["facts"] == 6


def test_far_row_of_cells_without_references_is_refused(tmp_path, db):
    """Cells without r="…" are placed by their row's number: a far row with such a cell and
    a far column elsewhere still make the reader span the whole sheet."""
    good = workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c><v>1</v></c></row>'
    sheet = sheet.replace(b'<c r="A1"', b'<c r="XFD1"><v>1</v></c><c r="A1"', 1)
    sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    path = rezip(good, tmp_path / "utan-ref-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})
    from pipelines.config import Limits
    from pipelines.ingest import IngestError
    from pipelines.read.guard import check_file

    with pytest.raises(IngestError, match="rad 1 048 576"):
        check_file(path, Limits())


def _long_sheet(tmp_path: Path, rows: int = 60_000) -> tuple[Path, bytes]:
    """A good workbook whose sheet XML spans several of the guard's 1 MB blocks."""
    good = workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Rad %d</t></is></c></row>' % (r, r, r)
        for r in range(100, 100 + rows)
    )
    return good, sheet.replace(b"</sheetData>", body + b"</sheetData>")


def test_damage_deep_in_a_long_part_is_refused_and_the_reader_thread_stops(tmp_path):
    """The guard decompresses the next block in a thread while it scans this one: damage
    found there, megabytes into the sheet, is still the file's rejection, and no thread
    is left running."""
    import threading

    from pipelines.config import Limits
    from pipelines.ingest import IngestError
    from pipelines.read.guard import CHUNK, check_file

    good, sheet = _long_sheet(tmp_path)
    assert len(sheet) > 3 * CHUNK
    path = rezip(
        good, tmp_path / "skadad-langt-in-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet}
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + info.compress_size - 400, start + info.compress_size - 300):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    threads = threading.active_count()
    with pytest.raises(IngestError, match="trasigt zip-arkiv"):
        check_file(path, Limits())
    assert threading.active_count() == threads


def test_bomb_late_in_a_long_part_is_refused_and_the_reader_thread_stops(tmp_path):
    """A refusal from the scan (here a DOCTYPE megabytes in) stops the decompressing thread
    while it may be waiting to hand over the next block."""
    import threading

    from pipelines.config import Limits
    from pipelines.ingest import IngestError
    from pipelines.read.guard import check_file

    good, sheet = _long_sheet(tmp_path, rows=120_000)
    cut = len(sheet) // 3
    sheet = sheet[:cut] + b'<!DOCTYPE x [<!ENTITY a "b">]>' + sheet[cut:]
    path = rezip(
        good, tmp_path / "bomb-langt-in-2026.xlsx", replace={"xl/worksheets/sheet1.xml": sheet}
    )
    threads = threading.active_count()
    with pytest.raises(IngestError, match="DOCTYPE"):
        check_file(path, Limits())
    assert threading.active_count() == threads
