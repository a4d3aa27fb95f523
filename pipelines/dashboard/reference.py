"""Reference tables for fixed prices and per-invånare figures, loaded on every mart build.

`data/price_index.csv` (a yearly price index, with its source) and `data/population.csv`
(invånare per year, per kommundel and/or for the whole kommun) are read tolerantly: column
names in Swedish or English, `;` or `,`, decimal comma or point, `#` comment lines. They land
in two tables the marts join on:

- `ref_price_index(year, index_value, base_year)` — fixed prices are kronor of `base_year`:
  the base year the file states (a `base_year` column), else the index's latest year.
- `ref_population(year, area, invanare, is_total)` — `is_total` marks the kommun's total,
  taken from a total row when the file has one, otherwise the sum of its areas.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import duckdb

from pipelines.config import Config

YEAR_COLUMNS = ("year", "år", "ar", "artal", "årtal")
INDEX_COLUMNS = ("index", "index_value", "kpi", "prisindex", "pkv", "value", "varde", "värde")
POPULATION_COLUMNS = (
    "population",
    "invanare",
    "invånare",
    "folkmangd",
    "folkmängd",
    "antal",
    "value",
    "varde",
    "värde",
)
AREA_COLUMNS = ("kommundel", "area", "omrade", "område", "name", "namn", "region", "geography")
TOTAL_NAMES = re.compile(r"^(södertälje( kommun)?|kommunen|hela kommunen|totalt?|summa|0181)$")


class ReferenceFileError(ValueError):
    """A reference file exists but cannot be understood."""


def _read(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    return [
        {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()} for row in reader
    ]


def _pick(columns: list[str], names: tuple[str, ...], path: Path, what: str) -> str:
    for name in names:
        if name in columns:
            return name
    raise ReferenceFileError(f"{path.name}: hittar ingen kolumn för {what} bland {columns}")


def _number(text: str) -> float | None:
    text = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace(",", ".")
    if text in ("", "-", "–", ".."):
        return None
    return float(text)


def read_price_index(path: Path) -> list[tuple[int, float]]:
    """(year, index) pairs from the price index file; empty when the file is missing."""
    if not path.exists():
        return []
    rows = _read(path)
    if not rows:
        return []
    columns = list(rows[0])
    year_col = _pick(columns, YEAR_COLUMNS, path, "år")
    index_col = _pick(columns, INDEX_COLUMNS, path, "index")
    out = {}
    for row in rows:
        value = _number(row.get(index_col, ""))
        if row.get(year_col) and value:
            out[int(float(row[year_col]))] = value
    return sorted(out.items())


def read_price_base(path: Path) -> int | None:
    """The base year the file states (a `base_year`/`basår` column, one value), or None."""
    if not path.exists():
        return None
    rows = _read(path)
    column = next((c for c in ("base_year", "basår", "basar") if rows and c in rows[0]), None)
    values = {row[column] for row in rows if column and row.get(column)}
    return int(float(values.pop())) if len(values) == 1 else None


def read_population(path: Path) -> list[tuple[int, str, float, bool]]:
    """(year, area, invånare, is_total) rows, with a total per year; empty when missing."""
    if not path.exists():
        return []
    rows = _read(path)
    if not rows:
        return []
    columns = list(rows[0])
    year_col = _pick(columns, YEAR_COLUMNS, path, "år")
    value_col = _pick(columns, POPULATION_COLUMNS, path, "invånare")
    area_col = next((c for c in AREA_COLUMNS if c in columns), None)
    by_year: dict[int, dict[str, float]] = {}
    for row in rows:
        value = _number(row.get(value_col, ""))
        if not row.get(year_col) or value is None:
            continue
        area = row.get(area_col, "") if area_col else ""
        by_year.setdefault(int(float(row[year_col])), {})[area or "Södertälje kommun"] = value
    out = []
    for year, areas in sorted(by_year.items()):
        totals = [a for a in areas if TOTAL_NAMES.match(a.casefold())]
        for area, value in areas.items():
            out.append((year, area, value, area in totals))
        if not totals:
            out.append((year, "Södertälje kommun", sum(areas.values()), True))
    return out


def load_reference(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """(Re)create ref_price_index and ref_population from the data files.

    A file that cannot be understood leaves its table empty (pages then say that fixed
    prices or per-invånare figures are missing) rather than stopping every ingest.
    """
    try:
        index = read_price_index(config.data_dir / "price_index.csv")
    except (ReferenceFileError, ValueError) as exc:
        warnings.warn(f"prisindex: {exc}", stacklevel=2)
        index = []
    try:
        population = read_population(config.data_dir / "population.csv")
    except (ReferenceFileError, ValueError) as exc:
        warnings.warn(f"befolkning: {exc}", stacklevel=2)
        population = []
    con.execute(
        "create or replace table ref_price_index "
        "(year integer, index_value double, base_year integer)"
    )
    if index:
        # Fixed prices are kronor of the index's stated base year, else of its latest year.
        stated = read_price_base(config.data_dir / "price_index.csv")
        years = [year for year, _ in index]
        base = stated if stated in years else max(years)
        con.executemany(
            "insert into ref_price_index values (?, ?, ?)", [(y, v, base) for y, v in index]
        )
    con.execute(
        "create or replace table ref_population "
        "(year integer, area varchar, invanare double, is_total boolean)"
    )
    if population:
        con.executemany("insert into ref_population values (?, ?, ?, ?)", population)
