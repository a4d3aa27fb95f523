"""The program as PDF (pypdf) and Word (python-docx) gives the same proposals as its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import DATA
from pipelines.program.extract import UnreadableProgram, read_text
from pipelines.program.importer import ProgramImporter
from pipelines.program.parse import parse_program

PROGRAM_FILE = DATA / "program" / "handlingsprogram-2026-2030.txt"

LINES = [
    "Om programmet",
    "Detta program gäller för mandatperioden 2026–2030.",
    "Staten och regionens ansvar",
    "Vi vill att staten tar sitt ansvar:",
    "• Höjda och långsiktiga statsbidrag till kommunerna.",
    "Idrott, kultur och folkbildning stärker",
    "demokratin",
    "Kultur är grundläggande för demokratin.",
    "Vi vill:",
    "• Säkerställa avgiftsfri kulturskola i alla kommundelar. [Kommunfullmäktige –",
    "genom mål och budget. Verkställighet och samordning: Kommunstyrelsen, Kultur-",
    "och fritidsnämnden. Lokala behov och dialog: Kommundelsnämnderna.]",
    "Taxor och avgifter",
    "Höga avgifter slår hårdast mot dem med lägst inkomster. Kulturskolan ska vara avgiftsfri.",
]
EXPECTED = [
    (
        "staten-regionens-ansvar--hojda-och-langsiktiga-statsbidrag-till-kommunerna",
        "Staten och regionens ansvar",
        "Höjda och långsiktiga statsbidrag till kommunerna.",
        "stat_region",
        "bullet",
        None,
        [],
        [],
    ),
    (
        "idrott-kultur-folkbildning--sakerstalla-avgiftsfri-kulturskola-i-alla-kommundelar",
        "Idrott, kultur och folkbildning stärker demokratin",
        "Säkerställa avgiftsfri kulturskola i alla kommundelar.",
        "kommun",
        "bullet",
        "Kommunfullmäktige",
        ["Kommunstyrelsen", "Kultur- och fritidsnämnden"],
        ["Kommundelsnämnderna"],
    ),
    (
        "taxor-avgifter--kulturskolan-ska-vara-avgiftsfri",
        "Taxor och avgifter",
        "Kulturskolan ska vara avgiftsfri.",
        "kommun",
        "position",
        None,
        [],
        [],
    ),
]


def _rows(text: str, paragraphs: bool = False):
    return [
        (
            p.proposal_id,
            p.section,
            p.text,
            p.level,
            p.kind,
            p.decision_body,
            p.executing_bodies,
            p.local_bodies,
        )
        for p in parse_program(text, paragraphs=paragraphs).proposals
    ]


def write_pdf(path: Path, lines: list[str], per_page: int = 60) -> None:
    """A minimal PDF with the lines as text (Helvetica, WinAnsiEncoding), `per_page` a page."""

    def literal(line: str) -> bytes:
        raw = line.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    font = 3 + 2 * len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * n) for n in range(len(pages))), len(pages)),
    ]
    for n, page in enumerate(pages):
        stream = b"BT /F1 9 Tf 40 800 Td 12 TL\n"
        stream += b"".join(literal(x) + b" '\n" for x in page) + b"ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * n, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def write_docx(path: Path) -> None:
    """The same program as Word would have it: heading styles, a bulleted list style."""
    from docx import Document

    doc = Document()
    doc.add_heading("Om programmet", level=1)
    doc.add_paragraph(LINES[1])
    doc.add_heading("Staten och regionens ansvar", level=1)
    doc.add_paragraph(LINES[3])
    doc.add_paragraph(LINES[4].removeprefix("• "), style="List Bullet")
    doc.add_heading("Idrott, kultur och folkbildning stärker demokratin", level=1)
    doc.add_paragraph(LINES[7])
    doc.add_paragraph(LINES[8])
    bullet = " ".join(LINES[9:12]).removeprefix("• ")
    doc.add_paragraph(bullet, style="List Bullet")
    doc.add_heading("Taxor och avgifter", level=1)
    doc.add_paragraph(LINES[13])
    doc.save(str(path))


def test_text_version():
    assert _rows("\n".join(LINES)) == EXPECTED


def test_pdf_version(tmp_path):
    pdf = tmp_path / "program.pdf"
    write_pdf(pdf, LINES)
    assert _rows(read_text(pdf)) == EXPECTED
    assert ProgramImporter().sniff(pdf, pdf.read_bytes()[:8192])


def test_docx_version(tmp_path):
    docx = tmp_path / "program.docx"
    write_docx(docx)
    text = read_text(docx)
    assert "• Höjda och långsiktiga statsbidrag till kommunerna." in text.splitlines()
    assert _rows(text, paragraphs=True) == EXPECTED
    assert ProgramImporter().sniff(docx, docx.read_bytes()[:8192])


def test_whole_program_as_pdf_gives_the_same_proposals(tmp_path):
    text = PROGRAM_FILE.read_text(encoding="utf-8")
    pdf = tmp_path / "handlingsprogram.pdf"
    # Printed lines without the text export's blank lines, 45 to a page as in the original.
    write_pdf(pdf, [line for line in text.splitlines() if line.strip()], per_page=45)
    from_pdf = parse_program(read_text(pdf)).proposals
    assert len(from_pdf) == 85
    assert from_pdf == parse_program(text).proposals


def test_damaged_files_are_refused(tmp_path):
    for name in ("trasig.pdf", "trasig.docx"):
        bad = tmp_path / name
        bad.write_bytes(b"inte alls ett dokument")
        with pytest.raises(UnreadableProgram):
            read_text(bad)
        assert not ProgramImporter().sniff(bad, bad.read_bytes())


def test_other_text_files_are_not_the_program(tmp_path):
    note = tmp_path / "anteckning.txt"
    note.write_text("Vi vill mycket, men här finns ingen ansvarsparentes.", encoding="utf-8")
    assert not ProgramImporter().sniff(note, note.read_bytes())
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    assert not ProgramImporter().sniff(sheet, sheet.read_bytes())
