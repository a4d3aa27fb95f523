"""The registry of organisations (data/organisations.csv): normalises names, never invents.

Names, aliases and validity live in the data file; this module only compares them. A name
that matches nothing returns None so the caller can report it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipelines.config import DATA

REGISTRY_FILE = DATA / "organisations.csv"


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str
    kommundel: str | None
    valid_from: date | None
    valid_to: date | None
    aliases: tuple[str, ...]

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        starts = self.valid_from.year if self.valid_from else -1
        ends = self.valid_to.year if self.valid_to else 10_000
        return starts <= year <= ends


def name_key(text: str) -> str:
    """A comparison key: case, dashes, spaces, punctuation and 'nämnd'/'nämnden' folded."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"[.,:;()\[\]\"'*]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    # "Kultur- och fritidsnämnden" ~ "Kultur och fritidsnämnd": drop the hanging hyphen
    text = re.sub(r"-(?= och | samt | eller )", "", text)
    text = re.sub(r"nämnden\b", "nämnd", text)
    text = re.sub(r"^(den |de )", "", text)
    return text


def parse_date(value: str) -> date | None:
    """An ISO date from a data file, or None for an empty cell."""
    return date.fromisoformat(value) if value.strip() else None


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_FILE) -> tuple[Organisation, ...]:
    """All organisations in the registry file."""
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(
            Organisation(
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                kommundel=row["kommundel"].strip() or None,
                valid_from=parse_date(row["valid_from"]),
                valid_to=parse_date(row["valid_to"]),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            )
            for row in csv.DictReader(fh)
        )


@lru_cache(maxsize=4)
def _index(path: Path = REGISTRY_FILE) -> dict[str, tuple[Organisation, ...]]:
    index: dict[str, list[Organisation]] = {}
    for org in load_registry(path):
        for label in (org.name, *org.aliases):
            index.setdefault(name_key(label), []).append(org)
    return {key: tuple(orgs) for key, orgs in index.items()}


def lookup(name: str, year: int | None = None, path: Path = REGISTRY_FILE) -> Organisation | None:
    """The organisation a published name refers to, or None when the registry has no such name.

    When a name is shared over time, the one valid in `year` wins.
    """
    if not name or not name.strip():
        return None
    candidates = _index(path).get(name_key(name), ())
    if not candidates:
        return None
    for org in candidates:
        if org.valid_in(year):
            return org
    return candidates[0]


def normalise(name: str, year: int | None = None, path: Path = REGISTRY_FILE) -> str | None:
    """The registry's canonical name for `name`, or None when it is unknown."""
    org = lookup(name, year, path)
    return org.name if org else None
