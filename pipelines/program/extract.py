"""Program documents (.txt, .pdf, .docx) → plain text, one printed line per line."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".txt", ".pdf", ".docx")
PARAGRAPH_SUFFIXES = (".docx",)  # formats whose lines are whole paragraphs
BULLET = "•"


class UnreadableProgram(ValueError):
    """The file cannot be read as text (wrong format, damaged, or no text layer)."""


def read_text(path: Path, max_pages: int | None = None) -> str:
    """The document's text. Bullets of Word lists come out as '• ' lines, like in the PDF.
    `max_pages` reads only the first pages of a PDF (enough to recognise one)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UnreadableProgram("texten är varken UTF-8 eller Windows-1252")
    if suffix == ".pdf":
        return _pdf_text(path, max_pages)
    if suffix == ".docx":
        return _docx_text(path)
    raise UnreadableProgram(f"filtypen {suffix or '(ingen)'} stöds inte för programmet")


def _pdf_text(path: Path, max_pages: int | None = None) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except (PdfReadError, OSError, ValueError) as exc:
        raise UnreadableProgram(f"PDF-filen kunde inte läsas: {exc}") from exc
    # A page break is whitespace to the parser, exactly as in the text export.
    return "\n \n".join(pages)


def _docx_text(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableProgram(f"Word-filen kunde inte läsas: {exc}") from exc
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.replace("\v", " ").strip()
        if not text:
            continue
        if _is_list_item(paragraph) and not text.startswith(BULLET):
            text = f"{BULLET} {text}"
        lines.append(text)
    return "\n".join(lines)


def _is_list_item(paragraph) -> bool:
    """A Word list paragraph: a list style, or direct list numbering on the paragraph."""
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    if style.lower().startswith(("list", "liststycke")):
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None
