"""Jämför år: two slices side by side per nämnd and per proposal, in current or fixed prices,
in total or per invånare."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.dashboard import queries as q


def value_column(fixed: bool, per_invanare: bool) -> str:
    """The column of the marts that holds the figure asked for."""
    return {
        (False, False): "amount_sek",
        (True, False): "amount_fixed_sek",
        (False, True): "amount_per_invanare",
        (True, True): "amount_fixed_per_invanare",
    }[(fixed, per_invanare)]


@dataclass
class Comparison:
    a: q.Slice
    b: q.Slice
    fixed: bool
    per_invanare: bool
    organisations: pl.DataFrame  # organisation, a, b, change, change_share, sources_a, sources_b
    proposals: pl.DataFrame  # proposal_id, title, a, b, change
    total_a: float | None
    total_b: float | None
    missing_prices: bool  # a year without price index or population: figures left empty

    @property
    def change(self) -> float | None:
        if self.total_a is None or self.total_b is None:
            return None
        return self.total_b - self.total_a


def _sum(frame: pl.DataFrame, column: str) -> float | None:
    if frame.is_empty() or frame[column].null_count() == frame.height:
        return None
    return float(frame[column].sum())


def compare(
    con: duckdb.DuckDBPyConnection,
    a: q.Slice,
    b: q.Slice,
    fixed: bool = False,
    per_invanare: bool = False,
) -> Comparison:
    """Slice `a` against slice `b`, per organisation and per proposal."""
    column = value_column(fixed, per_invanare)
    left = q.by_organisation(con, a)
    right = q.by_organisation(con, b)
    orgs = (
        left.select("organisation", a=pl.col(column), sources_a="sources")
        .join(
            right.select("organisation", b=pl.col(column), sources_b="sources"),
            on="organisation",
            how="full",
            coalesce=True,
        )
        .with_columns(change=pl.col("b").fill_null(0) - pl.col("a").fill_null(0))
        .with_columns(
            change_share=pl.when(pl.col("a").abs() > 0)
            .then(pl.col("change") / pl.col("a"))
            .otherwise(None)
        )
        .sort(pl.col("b").fill_null(pl.col("a")), descending=True)
    )
    props = q.proposals(con)

    def side(s: q.Slice, name: str) -> pl.DataFrame:
        # the same kind of money, and for a budget proposal the same party's figures
        party = s.actor if s.document == "forslag" else q.PARTY
        fund = q.funding(con, None, budget_kind=s.budget_kind, party=party)
        return (
            fund.filter(
                (pl.col("year") == s.year)
                & (pl.col("document") == s.document)
                & (pl.col("measure") == s.measure)
            )
            .group_by("proposal_id")
            .agg(pl.col(column).sum().alias(name))
        )

    by_prop = side(a, "a").join(side(b, "b"), on="proposal_id", how="full", coalesce=True)
    if "title" in props.columns and not by_prop.is_empty():
        by_prop = by_prop.join(props.select("proposal_id", "title"), on="proposal_id", how="left")
    else:
        by_prop = by_prop.with_columns(title=pl.lit(None, pl.String))
    by_prop = (
        by_prop.with_columns(change=pl.col("b").fill_null(0) - pl.col("a").fill_null(0))
        .select("proposal_id", "title", "a", "b", "change")
        .sort(pl.col("change").abs(), "proposal_id", descending=[True, False])
    )
    missing = bool(
        (left[column].null_count() and left.height) or (right[column].null_count() and right.height)
    )
    return Comparison(
        a=a,
        b=b,
        fixed=fixed,
        per_invanare=per_invanare,
        organisations=orgs,
        proposals=by_prop,
        total_a=_sum(left, column),
        total_b=_sum(right, column),
        missing_prices=missing,
    )


def waterfall_steps(c: Comparison, top: int = 10) -> list[tuple[str, float, str]]:
    """(label, value, measure) steps: the total of A, the largest changes per organisation
    (the rest summed as "Övriga"), the total of B. `measure` is absolute/relative/total."""
    changes = c.organisations.filter(pl.col("change") != 0).sort(
        pl.col("change").abs(), "organisation", descending=[True, False]
    )
    steps = [(c.a.label.split(" · ")[0] + " " + c.a.document_label, c.total_a or 0.0, "absolute")]
    for row in changes.head(top).iter_rows(named=True):
        steps.append((row["organisation"], row["change"], "relative"))
    rest = float(changes.slice(top)["change"].sum()) if changes.height > top else 0.0
    if rest:
        steps.append((f"Övriga ({changes.height - top})", rest, "relative"))
    steps.append((c.b.label.split(" · ")[0] + " " + c.b.document_label, c.total_b or 0.0, "total"))
    return steps
