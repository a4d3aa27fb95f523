"""Kommunkod → name and the organisation name used in facts.

data/kommuner.csv holds the kommuner we know by name from a named source; any other kommun
takes its name from the statistics file's own labels (json-stat Region labels, Kolada's
municipality list). Södertälje goes through the organisation registry, so its facts carry
the same name as the municipality's own documents.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipelines import registry
from pipelines.config import DATA

KOMMUNER_FILE = DATA / "kommuner.csv"
HOME_KOMMUNKOD = "0181"


@lru_cache(maxsize=2)
def known_kommuner(path: Path = KOMMUNER_FILE) -> dict[str, str]:
    """kommunkod → name from data/kommuner.csv (empty when the file is missing)."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["kommunkod"].strip(): row["name"].strip() for row in csv.DictReader(fh)}


def kommun_name(code: str, label: str | None) -> str | None:
    """The kommun's name: data/kommuner.csv first, else the file's label."""
    return known_kommuner().get(code) or (label.strip() if label and label.strip() else None)


def organisation_for(code: str, name: str) -> str:
    """The facts' organisation for a kommun: the registry's name, else '<name> kommun'."""
    org = registry.lookup(name)
    if org is not None and org.kind == "kommun":
        return org.name
    if name.casefold().endswith("kommun") or name.casefold().startswith("region "):
        return name
    return f"{name} kommun"


def code_for_name(name: str) -> str | None:
    """The kommunkod of a known kommun name (case-insensitive), else None."""
    key = name.strip().casefold()
    for code, known in known_kommuner().items():
        if known.casefold() == key or f"{known} kommun".casefold() == key:
            return code
    return None
