"""Kommundelar: the four kommundelsnämnder and the town, their money and the program's asks.

The kommundelar, their names, organisations and tile positions are data
(data/kommundelar.csv); population per kommundel and year comes from data/population.csv.
Queries are SQL files in sql/, values always as parameters. Every function takes a
read connection and returns Polars frames, so pages stay thin and tests can compare.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.config import DATA
from pipelines.dashboard.reference import read_population, read_price_base, read_price_index
from pipelines.registry import lookup, name_key, parse_date

KOMMUNDELAR_FILE = DATA / "kommundelar.csv"
POPULATION_FILE = DATA / "population.csv"
PRICE_INDEX_FILE = DATA / "price_index.csv"
SQL_DIR = Path(__file__).resolve().parent / "sql"
UNASSIGNED = "Ej fördelat på kommundel"


@dataclass(frozen=True)
class Kommundel:
    kommundel: str
    label: str
    organisation: str | None
    tile_col: int
    tile_row: int
    valid_from: date | None
    valid_to: date | None
    aliases: tuple[str, ...]
    areas: tuple[str, ...]  # stadsdelar and villages a budget may name instead
    note: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        starts = self.valid_from.year if self.valid_from else -1
        ends = self.valid_to.year if self.valid_to else 10_000
        return starts <= year <= ends


@lru_cache(maxsize=4)
def load_kommundelar(path: Path = KOMMUNDELAR_FILE) -> tuple[Kommundel, ...]:
    """Every kommundel in the data file, in file order."""
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(
            Kommundel(
                kommundel=row["kommundel"].strip(),
                label=row["label"].strip() or row["kommundel"].strip(),
                organisation=row["organisation"].strip() or None,
                tile_col=int(row["tile_col"]),
                tile_row=int(row["tile_row"]),
                valid_from=parse_date(row["valid_from"]),
                valid_to=parse_date(row["valid_to"]),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                areas=tuple(a.strip() for a in (row.get("areas") or "").split("|") if a.strip()),
                note=row["note"].strip(),
            )
            for row in csv.DictReader(fh)
        )


def kommundelar(year: int | None = None, path: Path = KOMMUNDELAR_FILE) -> list[Kommundel]:
    """The kommundelar valid in `year` (all when year is None)."""
    return [k for k in load_kommundelar(path) if k.valid_in(year)]


@lru_cache(maxsize=4)
def _keys(path: Path = KOMMUNDELAR_FILE) -> dict[str, str]:
    keys: dict[str, str] = {}
    for k in load_kommundelar(path):
        for label in (k.kommundel, k.label, *k.aliases, *k.areas):
            keys.setdefault(name_key(label), k.kommundel)
        if k.organisation:
            keys[name_key(k.organisation)] = k.kommundel
    return keys


def resolve(name: str | None, path: Path = KOMMUNDELAR_FILE) -> str | None:
    """The kommundel a place or organisation name refers to, or None.

    Tries the kommundelar file (names, aliases, KDN names), then the organisation registry's
    kommundel column, so a KDN alias like "KDN Järna" resolves too.
    """
    if not name or not name.strip():
        return None
    found = _keys(path).get(name_key(name))
    if found:
        return found
    org = lookup(name)
    if org and org.kommundel:
        return _keys(path).get(name_key(org.kommundel))
    return None


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table or view of that name exists in the current database."""
    row = con.execute(
        "select count(*) from duckdb_tables() where table_name = ? and database_name = current_database()"
        " union all "
        "select count(*) from duckdb_views() where view_name = ? and database_name = current_database()",
        [name, name],
    ).fetchall()
    return any(n for (n,) in row)


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: list) -> pl.DataFrame:
    return con.sql(query, params=params).pl()


def budget_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years for which the adopted budget states any amount, newest first."""
    rows = con.execute(
        "select distinct year from facts where document = 'budget' and measure = 'budget' "
        "order by year desc"
    ).fetchall()
    return [int(y) for (y,) in rows]


def kdn_organisations(year: int | None = None) -> list[str]:
    return [k.organisation for k in kommundelar(year) if k.organisation]


def drift_facts(con: duckdb.DuckDBPyConnection, organisations: list[str]) -> pl.DataFrame:
    """The adopted operating budget's facts for the organisations, every year, with sources."""
    return _frame(con, sql("kdn_drift"), [organisations])


def investments(con: duckdb.DuckDBPyConnection, year: int | None) -> pl.DataFrame:
    """Investment projects in the adopted budget for `year` (every year when None), each
    with its kommundel.

    The kommundel comes from the importer's kommundel column (fact_lines.kommundel) when the
    source named one, else from the organisation (a KDN's projects lie in its kommundel);
    other projects are unassigned.
    """
    frame = _frame(con, sql("investments"), [year, year])
    resolved = [
        resolve(place) or resolve(org) or UNASSIGNED
        for place, org in zip(
            frame["kommundel"].to_list(), frame["organisation"].to_list(), strict=True
        )
    ]
    return frame.with_columns(pl.Series("kommundel", resolved, dtype=pl.String))


@dataclass(frozen=True)
class Data:
    """Everything the page needs, read once per database version; the per-year and
    per-kommundel views below are Polars filters on it, so an interaction queries nothing."""

    drift: pl.DataFrame  # the KDN's adopted operating budget facts, every year
    investments: pl.DataFrame  # investment projects, every year, with kommundel
    proposals: pl.DataFrame  # proposals naming Kommundelsnämnderna
    funding: pl.DataFrame  # their proposal_funding, every year


def load(con: duckdb.DuckDBPyConnection) -> Data:
    named = (
        _frame(con, sql("kdn_proposals"), [])
        if relation_exists(con, "proposals")
        else pl.DataFrame(
            schema={
                "proposal_id": pl.String,
                "section": pl.String,
                "title": pl.String,
                "text": pl.String,
                "local_bodies": pl.List(pl.String),
            }
        )
    )
    ids = [str(i) for i in named["proposal_id"].to_list()]
    funding = pl.DataFrame(
        schema={
            "proposal_id": pl.String,
            "year": pl.Int64,
            "document": pl.String,
            "measure": pl.String,
            "amount_sek": pl.Float64,
        }
    )
    if ids and relation_exists(con, "proposal_funding"):
        funding = _frame(con, sql("proposal_funding_all"), [ids])
    return Data(
        drift=drift_facts(con, kdn_organisations()),
        investments=investments(con, None),
        proposals=named,
        funding=funding,
    )


def _data(source: Data | duckdb.DuckDBPyConnection) -> Data:
    return source if isinstance(source, Data) else load(source)


def investments_in(source: Data | duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    return _data(source).investments.filter(pl.col("year") == year)


def unassigned_investments(source: Data | duckdb.DuckDBPyConnection, year: int) -> float | None:
    """The investment budget of `year` that names no kommundel (whole-kommun projects,
    the companies), so the page can say how much the map leaves out."""
    inv = investments_in(source, year).filter(pl.col("kommundel") == UNASSIGNED)
    return float(inv["amount_sek"].sum()) if inv.height else None


def population(year: int, path: Path = POPULATION_FILE) -> dict[str, int]:
    """Invånare per kommundel in `year` (the latest earlier year when `year` is missing)."""
    frame = population_table(path)
    if frame.is_empty():
        return {}
    known = frame.filter(pl.col("year") <= year)
    if known.is_empty():
        return {}
    latest = known.group_by("kommundel").agg(pl.all().sort_by("year").last())
    return dict(zip(latest["kommundel"].to_list(), latest["population"].to_list(), strict=True))


@lru_cache(maxsize=4)
def population_table(path: Path = POPULATION_FILE) -> pl.DataFrame:
    """data/population.csv as (year, kommundel, population), read by the dashboard's reader
    and with area names resolved to kommundelar; rows for other areas are left out."""
    direct: dict[tuple[int, str], int] = {}
    by_area: dict[tuple[int, str], int] = {}
    areas = {name_key(a) for k in load_kommundelar() for a in k.areas}
    for year, area, value, _is_total in read_population(Path(path)):
        kommundel = resolve(area)
        if kommundel is None:
            continue
        # A stadsdel's rows add up to their kommundel only when the file has no row for it.
        target = by_area if name_key(area) in areas else direct
        target[(year, kommundel)] = target.get((year, kommundel), 0) + int(round(value))
    rows = {**by_area, **direct}
    return pl.DataFrame(
        [(y, k, v) for (y, k), v in rows.items()],
        schema={"year": pl.Int64, "kommundel": pl.String, "population": pl.Int64},
        orient="row",
    )


@lru_cache(maxsize=4)
def price_index(path: Path = PRICE_INDEX_FILE) -> tuple[dict[int, float], int | None]:
    """The price index by year and its base year, read by the dashboard's reader, so that
    fixed prices here are the same kronor as on Översikt and Jämför år."""
    index = dict(read_price_index(Path(path)))
    base = read_price_base(Path(path)) or (max(index) if index else None)
    return index, base


def fixed(amount: float | None, year: int, path: Path = PRICE_INDEX_FILE) -> float | None:
    """`amount` of `year` in kronor of the index's base year; None without an index."""
    index, base = price_index(path)
    if amount is None or base not in index or not index.get(year):
        return None
    return amount * index[base] / index[year]


def overview(source: Data | duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """One row per kommundel valid in `year`: budget, change, investments, per invånare."""
    data = _data(source)
    parts = kommundelar(year)
    organisations = [k.organisation for k in parts if k.organisation]
    drift = data.drift.filter(
        pl.col("organisation").is_in(organisations) & pl.col("year").is_in([year, year - 1])
    )
    totals = drift.group_by("organisation", "year").agg(pl.col("amount_sek").sum())
    amount = {(o, y): a for o, y, a in totals.iter_rows()}
    files = {
        (o, y): ", ".join(sorted(set(f)))
        for o, y, f in drift.group_by("organisation", "year").agg("source_file").iter_rows()
    }
    inv = investments_in(data, year)
    inv_total = dict(inv.group_by("kommundel").agg(pl.col("amount_sek").sum()).iter_rows())
    inv_files = {
        k: ", ".join(sorted(set(f)))
        for k, f in inv.group_by("kommundel").agg("source_file").iter_rows()
    }
    people = population(year)
    rows = []
    for k in parts:
        now = amount.get((k.organisation, year)) if k.organisation else None
        before = amount.get((k.organisation, year - 1)) if k.organisation else None
        invest = inv_total.get(k.kommundel)
        pop = people.get(k.kommundel)
        rows.append(
            {
                "kommundel": k.kommundel,
                "label": k.label,
                "organisation": k.organisation,
                "tile_col": k.tile_col,
                "tile_row": k.tile_row,
                "drift_budget": now,
                "drift_budget_prev": before,
                "drift_change": (now - before) if now is not None and before is not None else None,
                "drift_change_fixed": (
                    fixed(now, year) - fixed(before, year - 1)
                    if fixed(now, year) is not None and fixed(before, year - 1) is not None
                    else None
                ),
                "investment_budget": invest,
                "population": pop,
                "drift_per_inv": now / pop if now is not None and pop else None,
                "investment_per_inv": invest / pop if invest is not None and pop else None,
                "source": "; ".join(
                    s for s in (files.get((k.organisation, year)), inv_files.get(k.kommundel)) if s
                ),
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "kommundel": pl.String,
            "label": pl.String,
            "organisation": pl.String,
            "tile_col": pl.Int64,
            "tile_row": pl.Int64,
            "drift_budget": pl.Float64,
            "drift_budget_prev": pl.Float64,
            "drift_change": pl.Float64,
            "drift_change_fixed": pl.Float64,
            "investment_budget": pl.Float64,
            "population": pl.Int64,
            "drift_per_inv": pl.Float64,
            "investment_per_inv": pl.Float64,
            "source": pl.String,
        },
    )


def _organisation(kommundel: str) -> str | None:
    k = next((k for k in kommundelar() if k.kommundel == kommundel), None)
    return k.organisation if k else None


def drift_lines(
    source: Data | duckdb.DuckDBPyConnection, kommundel: str, year: int
) -> pl.DataFrame:
    """The KDN's budget lines in `year` and the year before, with the source of each."""
    org, drift = _organisation(kommundel), _data(source).drift
    if org is None:  # the town has no KDN
        return drift.clear()
    return drift.filter((pl.col("organisation") == org) & pl.col("year").is_in([year, year - 1]))


def drift_series(source: Data | duckdb.DuckDBPyConnection, kommundel: str) -> pl.DataFrame:
    """The KDN's adopted operating budget per year."""
    org, drift = _organisation(kommundel), _data(source).drift
    facts = drift.clear() if org is None else drift.filter(pl.col("organisation") == org)
    return facts.group_by("year").agg(pl.col("amount_sek").sum()).sort("year")


PROPOSAL_SCHEMA = {
    "proposal_id": pl.String,
    "section": pl.String,
    "title": pl.String,
    "names_place": pl.Boolean,
    "budget": pl.Float64,
    "forslag": pl.Float64,
}


def proposals(source: Data | duckdb.DuckDBPyConnection, kommundel: str, year: int) -> pl.DataFrame:
    """Proposals that name Kommundelsnämnderna, those naming this kommundel's place first,
    with their funding in `year` (adopted budget and the party's proposal) when mapped."""
    data = _data(source)
    k = next((k for k in kommundelar() if k.kommundel == kommundel), None)
    places = [k.kommundel, *k.aliases, *k.areas] if k else [kommundel]
    words = [name_key(p) for p in places if len(p) > 3]
    money = (
        data.funding.filter(
            (pl.col("year") == year)
            & (pl.col("measure") == "budget")
            & pl.col("document").is_in(["budget", "forslag"])
        )
        .group_by("proposal_id", "document")
        .agg(pl.col("amount_sek").sum())
    )
    funding = {(str(p), d): a for p, d, a in money.iter_rows()}
    rows = []
    for row in data.proposals.iter_rows(named=True):
        pid = str(row["proposal_id"])
        key = name_key(f"{row['title']} {row['text'] or ''}")
        rows.append(
            {
                "proposal_id": pid,
                "section": row["section"],
                "title": row["title"],
                "names_place": any(w in key for w in words),
                "budget": funding.get((pid, "budget")),
                "forslag": funding.get((pid, "forslag")),
            }
        )
    frame = pl.DataFrame(rows, schema=PROPOSAL_SCHEMA)
    return frame.sort(["names_place", "proposal_id"], descending=[True, False])


def source_cells(lines: pl.DataFrame, projects: pl.DataFrame) -> pl.DataFrame:
    """Every fact behind the kommundel's figures, in the shape "Visa källor" lists."""
    columns = [
        "budget_kind",
        "organisation",
        "line_item",
        "year",
        "measure",
        "amount_sek",
        "source_file",
        "source_sheet",
        "source_cell",
    ]
    return pl.concat(
        [
            frame.with_columns(
                pl.lit(kind).alias("budget_kind"), pl.lit("budget").alias("measure")
            ).select(columns)
            for kind, frame in (("drift", lines), ("investering", projects))
        ],
        how="vertical_relaxed",
    )
