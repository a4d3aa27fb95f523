"""Översikt: the year's budget, how much of it the program's proposals account for, which
proposals got money, got none, or shrank in fixed prices, and the year's largest changes."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.dashboard import queries as q

MORE = "Mer pengar"
LESS = "Krympt i fasta priser"
NONE = "Inga pengar i budgeten"
SAME = "Oförändrat"
CATEGORIES = (MORE, LESS, SAME, NONE)


@dataclass
class Overview:
    year: int
    kind: str
    budget: q.Slice | None
    previous: q.Slice | None
    total_sek: float | None
    previous_sek: float | None
    total_fixed_sek: float | None
    previous_fixed_sek: float | None
    mapped_sek: float | None
    proposals: pl.DataFrame  # one row per proposal with its money and category
    organisations: pl.DataFrame  # change per organisation, largest first

    @property
    def mapped_share(self) -> float | None:
        if not self.total_sek or self.mapped_sek is None:
            return None
        return self.mapped_sek / self.total_sek


def _total(frame: pl.DataFrame, column: str) -> float | None:
    if frame.is_empty() or frame[column].null_count() == frame.height:
        return None
    return float(frame[column].sum())


def organisation_changes(
    con: duckdb.DuckDBPyConnection, now: q.Slice | None, before: q.Slice | None
) -> pl.DataFrame:
    """Per organisation: amount in both slices and the change, nominal and fixed."""
    schema = {"organisation": pl.String, "amount_sek": pl.Float64, "amount_fixed_sek": pl.Float64}
    a = q.by_organisation(con, before) if before else pl.DataFrame(schema=schema)
    b = q.by_organisation(con, now) if now else pl.DataFrame(schema=schema)
    a = a.select("organisation", before_sek="amount_sek", before_fixed_sek="amount_fixed_sek")
    b = b.select(
        "organisation",
        now_sek="amount_sek",
        now_fixed_sek="amount_fixed_sek",
        sources=(pl.col("sources") if "sources" in b.columns else pl.lit(None, pl.String)),
    )
    joined = b.join(a, on="organisation", how="full", coalesce=True)
    return joined.with_columns(
        change_sek=pl.col("now_sek").fill_null(0) - pl.col("before_sek").fill_null(0),
        change_fixed_sek=pl.col("now_fixed_sek").fill_null(0)
        - pl.col("before_fixed_sek").fill_null(0),
    ).sort(pl.col("change_sek").abs(), "organisation", descending=[True, False])


def proposal_table(props: pl.DataFrame, fund: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per proposal: adopted budget this year and last, the change in current and
    fixed prices, the party's proposed amount, and the category the overview groups by."""
    rows = []
    for prop in props.iter_rows(named=True):
        pid = prop["proposal_id"]
        c = q.change(fund, pid, year)
        party = q.change(fund, pid, year, document="forslag")
        diff_fixed = c.diff("amount_fixed")
        if not c.amount and not c.previous:
            category = NONE
        elif c.amount_fixed is None or c.previous_fixed is None:
            # no price index for one of the years: judge by current prices
            d = c.diff("amount") or 0.0
            category = MORE if d > 0 else LESS if d < 0 else SAME
        else:
            category = MORE if diff_fixed > 0.5 else LESS if diff_fixed < -0.5 else SAME
        rows.append(
            {
                "proposal_id": pid,
                "title": prop.get("title"),
                "section": prop.get("section"),
                "category": category,
                "budget_sek": c.amount,
                "previous_sek": c.previous,
                "change_sek": c.diff("amount"),
                "change_fixed_sek": diff_fixed,
                "forslag_sek": party.amount,
            }
        )
    schema = {
        "proposal_id": pl.String,
        "title": pl.String,
        "section": pl.String,
        "category": pl.String,
        "budget_sek": pl.Float64,
        "previous_sek": pl.Float64,
        "change_sek": pl.Float64,
        "change_fixed_sek": pl.Float64,
        "forslag_sek": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def overview(
    con: duckdb.DuckDBPyConnection, year: int | None = None, kind: str = "drift"
) -> Overview:
    """Everything the Översikt page shows for `year` (default: the latest budget year)."""
    all_slices = q.slices(con)
    years = q.budget_years(all_slices, kind)
    if year is None:
        year = years[-1] if years else 0
    now = q.adopted_budget(all_slices, year, kind)
    before = q.adopted_budget(all_slices, year - 1, kind)
    orgs = organisation_changes(con, now, before)
    fund = q.funding(con, budget_kind=kind)
    this_year = fund.filter(
        (pl.col("year") == year)
        & (pl.col("document") == "budget")
        & (pl.col("measure") == "budget")
    )
    props = q.proposals(con)
    if "level" in props.columns:
        props = props.filter(pl.col("level") == "kommun")
    return Overview(
        year=year,
        kind=kind,
        budget=now,
        previous=before,
        total_sek=_total(orgs, "now_sek") if now else None,
        previous_sek=_total(orgs, "before_sek") if before else None,
        total_fixed_sek=_total(orgs, "now_fixed_sek") if now else None,
        previous_fixed_sek=_total(orgs, "before_fixed_sek") if before else None,
        mapped_sek=float(this_year["amount_sek"].sum()) if this_year.height else 0.0,
        proposals=proposal_table(props, fund, year),
        organisations=orgs,
    )
