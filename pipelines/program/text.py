"""Printed lines → clean text: page-break debris out, wrapped lines and hyphenation joined."""

from __future__ import annotations

import re
import unicodedata

BULLETS = ("•", "●", "▪", "◦", "\uf0b7")
# A word broken at the line end is rejoined without a space, except a hanging hyphen before
# a conjunction, which is Swedish for a shared word part ("Kultur- och fritidsnämnden").
_HANGING = {"och", "eller", "samt", "till", "som"}
_PAGE_NUMBER = re.compile(r"^(?:sida\s+)?\d{1,3}(?:\s*(?:av|/)\s*\d{1,3})?$", re.IGNORECASE)


def content_lines(text: str) -> list[str]:
    """Non-blank lines, whitespace-trimmed. Blank and whitespace-only lines (page breaks,
    the double spacing of a PDF export) carry no structure here, and page numbers none."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\f", "\n")
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        if line and not _PAGE_NUMBER.match(line):
            lines.append(line)
    return lines


def is_bullet(line: str) -> bool:
    return line.startswith(BULLETS)


def strip_bullet(line: str) -> str:
    return line.lstrip("".join(BULLETS)).strip()


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph or bullet as one string."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif re.search(r"\w[-–]$", out):
            first = line.split(" ", 1)[0].casefold()
            out += (" " if first in _HANGING else "") + line
        else:
            out += " " + line
    out = re.sub(r"\s+", " ", out).strip()
    return re.sub(r"\s+([.,;:])", r"\1", out)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph: a period, '!' or '?' followed by a capital letter."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ])", text)
    return [p.strip() for p in parts if p.strip()]
