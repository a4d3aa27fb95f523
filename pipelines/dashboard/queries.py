"""Queries behind Översikt, Förslag and Jämför år. Each takes a read connection.

A *slice* is what the pages compare: one document's figures for one year, measure, actor,
kind (drift/investering) and period, e.g. "Budget 2025 in Mål och budget 2025" or
"Prognos 2025 in delårsrapport 2". The adopted budget of a year is the slice from the latest
Mål och budget that states it (`is_latest`), so a figure is never counted twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

SQL_DIR = Path(__file__).resolve().parent / "sql"

MEASURE_NAMES = {
    "budget": "Budget",
    "plan": "Plan",
    "utfall": "Utfall",
    "prognos": "Prognos helår",
    "avvikelse": "Avvikelse",
}
DOCUMENT_NAMES = {
    "budget": "Mål och budget",
    "forslag": "Budgetförslag",
    "delarsrapport": "Delårsrapport",
    "bokslut": "Bokslut",
    "statistik": "Statistik",
}
PARTY = "V"  # whose budget proposal the pages call "V:s förslag"
KIND_NAMES = {"drift": "Drift", "investering": "Investering"}
MONTHS = "jan feb mar apr maj jun jul aug sep okt nov dec".split()


@cache
def sql(name: str) -> str:
    """The statement in dashboard/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def has_tables(con: duckdb.DuckDBPyConnection, *names: str) -> bool:
    """True when every named table or view exists in the database."""
    found = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_name in "
            "(select unnest(?::varchar[]))",
            [list(names)],
        ).fetchall()
    }
    return set(names) <= found


def frame(con: duckdb.DuckDBPyConnection, name: str, params: list | None = None) -> pl.DataFrame:
    return con.sql(sql(name), params=params or None).pl()


# --- slices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """One document's figures for one year, measure, actor, kind and period."""

    doc_id: str
    document: str
    actor: str
    budget_kind: str
    measure: str
    year: int
    period: str | None
    doc_year: int | None = None
    doc_period: str | None = None
    doc_file: str | None = None
    is_latest: bool = True
    amount_sek: float | None = None

    @property
    def key(self) -> list:
        return [
            self.doc_id,
            self.document,
            self.actor,
            self.budget_kind,
            self.measure,
            self.year,
            self.period,
        ]

    @property
    def token(self) -> str:
        """A short stable identifier for URLs and widget values."""
        parts = [self.doc_id[:12], self.document, self.actor, self.budget_kind, self.measure]
        return "|".join(parts + [str(self.year), self.period or ""])

    @property
    def document_label(self) -> str:
        name = DOCUMENT_NAMES.get(self.document, self.document)
        if self.document == "delarsrapport" and self.doc_period:
            month = int(self.doc_period[-2:])
            number = 1 if month <= 4 else 2 if month <= 8 else None
            name = f"Delårsrapport {number}" if number else f"Delårsrapport {self.doc_period}"
        if self.document == "forslag":
            name = f"Budgetförslag {self.actor}"
        year = self.doc_year or self.year
        return f"{name} {year}"

    @property
    def label(self) -> str:
        measure = MEASURE_NAMES.get(self.measure, self.measure)
        if self.period:
            measure += f" jan–{MONTHS[int(self.period[-2:]) - 1]}"
        kind = "" if self.budget_kind == "drift" else f" ({KIND_NAMES.get(self.budget_kind)})"
        old = "" if self.is_latest else " – äldre version"
        return f"{self.year} · {measure}{kind} · {self.document_label}{old}"


def slices(con: duckdb.DuckDBPyConnection) -> list[Slice]:
    """Every slice in the database, newest year first."""
    rows = frame(con, "slices").to_dicts()
    fields = set(Slice.__dataclass_fields__)
    return [Slice(**{k: v for k, v in row.items() if k in fields}) for row in rows]


def adopted_budget(
    all_slices: list[Slice], year: int, kind: str = "drift", document: str = "budget"
) -> Slice | None:
    """The adopted budget (or another document's budget measure) for a year, latest version."""
    for s in all_slices:
        if (
            s.document == document
            and s.measure == "budget"
            and s.budget_kind == kind
            and s.year == year
            and s.period is None
            and s.is_latest
            and (document != "budget" or s.actor == "kommunen")
        ):
            return s
    return None


def budget_years(all_slices: list[Slice], kind: str = "drift") -> list[int]:
    """Years that have an adopted budget, ascending."""
    return sorted(
        {s.year for s in all_slices if adopted_budget(all_slices, s.year, kind) is not None}
    )


def by_organisation(con: duckdb.DuckDBPyConnection, s: Slice) -> pl.DataFrame:
    """The slice summed per organisation, with fixed prices, per invånare and sources."""
    return frame(con, "slice_by_organisation", s.key)


def slice_facts(con: duckdb.DuckDBPyConnection, s: Slice) -> pl.DataFrame:
    """The slice's facts with their source file, sheet and cell."""
    return frame(con, "slice_facts", s.key)


# --- proposals ----------------------------------------------------------------------------


def funding(
    con: duckdb.DuckDBPyConnection,
    proposal_id: str | None = None,
    budget_kind: str = "drift",
    party: str = PARTY,
) -> pl.DataFrame:
    """proposal_funding with fixed-price and per-invånare columns (all proposals when None):
    one budget kind, whole-year figures, and of budget proposals only `party`'s."""
    if not has_tables(con, "dash_proposal_funding"):
        return pl.DataFrame(
            schema={
                "proposal_id": pl.String,
                "year": pl.Int32,
                "document": pl.String,
                "measure": pl.String,
                "amount_sek": pl.Float64,
                "fixed_base_year": pl.Int32,
                "amount_fixed_sek": pl.Float64,
                "invanare": pl.Float64,
                "amount_per_invanare": pl.Float64,
                "amount_fixed_per_invanare": pl.Float64,
            }
        )
    return frame(con, "proposal_funding_priced", [budget_kind, party, proposal_id, proposal_id])


def proposals(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The proposals of the program (data contract), municipal level first."""
    if not has_tables(con, "proposals"):
        return pl.DataFrame(schema={"proposal_id": pl.String, "title": pl.String})
    return frame(con, "proposals")


@dataclass(frozen=True)
class Change:
    """A proposal's (or the total's) money in one year against the year before."""

    year: int
    amount: float | None
    previous: float | None
    amount_fixed: float | None
    previous_fixed: float | None
    amount_per_invanare: float | None
    previous_per_invanare: float | None

    def diff(self, what: str = "amount") -> float | None:
        now, before = getattr(self, what), getattr(self, _previous_name(what))
        if now is None and before is None:
            return None
        return (now or 0.0) - (before or 0.0)

    def ratio(self, what: str = "amount") -> float | None:
        before = getattr(self, _previous_name(what))
        diff = self.diff(what)
        if diff is None or not before:
            return None
        return diff / before


def _previous_name(what: str) -> str:
    return {
        "amount": "previous",
        "amount_fixed": "previous_fixed",
        "amount_per_invanare": "previous_per_invanare",
    }[what]


def change(fund: pl.DataFrame, proposal_id: str, year: int, document: str = "budget") -> Change:
    """The change in a proposal's `document`/budget money from year-1 to year."""
    rows = fund.filter(
        (pl.col("proposal_id") == proposal_id)
        & (pl.col("document") == document)
        & (pl.col("measure") == "budget")
    )

    def pick(y: int, column: str) -> float | None:
        values = rows.filter(pl.col("year") == y)[column].to_list()
        return float(values[0]) if values and values[0] is not None else None

    return Change(
        year=year,
        amount=pick(year, "amount_sek"),
        previous=pick(year - 1, "amount_sek"),
        amount_fixed=pick(year, "amount_fixed_sek"),
        previous_fixed=pick(year - 1, "amount_fixed_sek"),
        amount_per_invanare=pick(year, "amount_per_invanare"),
        previous_per_invanare=pick(year - 1, "amount_per_invanare"),
    )


def as_dict(obj) -> dict:
    return asdict(obj)


def proposal(con: duckdb.DuckDBPyConnection, proposal_id: str) -> dict | None:
    """One proposal's row of the proposals view, or None."""
    rows = proposals(con).filter(pl.col("proposal_id") == proposal_id)
    return rows.row(0, named=True) if rows.height else None


def proposal_bodies(con: duckdb.DuckDBPyConnection, proposal_id: str) -> pl.DataFrame:
    """The bodies the proposal's bracket names: decision, executing, local."""
    if not has_tables(con, "proposal_bodies"):
        return pl.DataFrame(schema={"role": pl.String, "body": pl.String})
    return frame(con, "proposal_bodies", [proposal_id])


def mapped_lines(con: duckdb.DuckDBPyConnection, proposal_id: str | None) -> pl.DataFrame:
    """The budget lines mapped to the proposal (every proposal when None), with share and
    source cell."""
    if not has_tables(con, "proposal_lines"):
        return pl.DataFrame(
            schema={
                "proposal_id": pl.String,
                "year": pl.Int32,
                "document": pl.String,
                "measure": pl.String,
                "organisation": pl.String,
                "line_item": pl.String,
                "source_file": pl.String,
                "source_sheet": pl.String,
                "source_cell": pl.String,
            }
        )
    return frame(con, "mapped_lines", [proposal_id, proposal_id])


def source_index(
    lines: pl.DataFrame, budget_kind: str = "drift", party: str = PARTY
) -> dict[tuple, str]:
    """(proposal_id, year, document, measure) -> '; '-joined sources of the mapped lines that
    make up `funding()`'s figure: the same kind of money, whole-year, the party's proposal."""
    out: dict[tuple, list[str]] = {}
    for row in lines.iter_rows(named=True):
        if row.get("budget_kind", budget_kind) != budget_kind or row.get("period"):
            continue
        if row["document"] == "forslag" and row.get("actor", party) != party:
            continue
        key = (row["proposal_id"], row["year"], row["document"], row["measure"])
        parts = [row["source_file"], row.get("source_sheet"), row.get("source_cell")]
        out.setdefault(key, []).append(" ".join(p for p in parts if p))
    return {k: "; ".join(dict.fromkeys(v)) for k, v in out.items()}


def related_goals(con: duckdb.DuckDBPyConnection, proposal_id: str) -> pl.DataFrame:
    """Goals of the organisations the proposal names or whose lines fund it."""
    if not has_tables(con, "mapping_matches", "proposal_bodies", "goals"):
        return pl.DataFrame(schema={"goal": pl.String, "assessment": pl.String})
    return frame(con, "related_goals", [proposal_id, proposal_id])


def price_base(con: duckdb.DuckDBPyConnection) -> dict:
    """{'base_year', 'first_year', 'last_year'} of the price index (None when it is empty)."""
    if not has_tables(con, "ref_price_index"):
        return {"base_year": None, "first_year": None, "last_year": None}
    return frame(con, "price_base").row(0, named=True)
