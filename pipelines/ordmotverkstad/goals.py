"""Goals beside their money: every goal assessment with the responsible organisation's budget,
its change in fixed prices, prognos and utfall, and the analysis text's classification.

A goal is flagged "grön, men inget hände" when it is green while the money did not grow in
fixed prices, or while its analysis is mostly about internal organisation.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipelines import fmt
from pipelines.config import DATA
from pipelines.dashboard import queries as dq
from pipelines.ordmotverkstad.classifier import ACTION, INTERNAL, Rule, classify
from pipelines.registry import lookup
from pipelines.statistics.queries import indicators_for_proposal

# Goal ↔ outcome indicator links, in the statistics links format (pipelines.statistics):
# the proposal_id column holds the goal as the reports publish it.
GOAL_INDICATORS = DATA / "ord_mot_verkstad" / "goal_indicators.csv"

SQL_DIR = Path(__file__).resolve().parent / "sql"
GREEN = "grön"
ASSESSMENTS = ("grön", "gul", "röd", "ej bedömd")
WHOLE_MUNICIPALITY = "Hela kommunen"

SCHEMA = {
    "doc_year": pl.Int64,
    "period": pl.String,
    "organisation": pl.String,
    "goal": pl.String,
    "assessment": pl.String,
    "analysis": pl.String,
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_cell": pl.String,
    "money_of": pl.String,
    "budget": pl.Float64,
    "budget_prev": pl.Float64,
    "nominal_change": pl.Float64,
    "real_change": pl.Float64,
    "fixed_base_year": pl.Int64,
    "prognos": pl.Float64,
    "utfall": pl.Float64,
    "money_sources": pl.String,
    "action": pl.Float64,
    "internal": pl.Float64,
    "internal_share": pl.Float64,
    "verdict": pl.String,
    "action_words": pl.String,
    "internal_words": pl.String,
    "flag": pl.Boolean,
    "flag_reason": pl.String,
    "outcome": pl.String,
    "proposals_money": pl.String,
}


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and table_name = ? union all select view_name from duckdb_views() "
        "where database_name = current_database() and view_name = ?",
        [name, name],
    ).fetchall()
    return bool(rows)


def has_money(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the marts with fixed prices (dash_facts) have been built."""
    return _exists(con, "dash_facts")


def organisation_money(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Budget, prognos and utfall per organisation (null: whole municipality) and year."""
    return con.sql(_sql("organisation_money")).pl()


def _money_key(organisation: str | None, year: int | None) -> str | None:
    """The facts' organisation for a goal's organisation; None for the whole municipality."""
    if not organisation:
        return None
    org = lookup(organisation, year)
    if org is None:
        return organisation
    return None if org.kind == "kommun" else org.name


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return now / before - 1


def flag_reason(assessment: str, real_change: float | None, verdict: str, share: float | None):
    """Why a green goal is flagged, or None when it is not."""
    if assessment != GREEN:
        return None
    reasons = []
    if real_change is not None and real_change <= 0:
        reasons.append("pengarna växte inte i fasta priser")
    if verdict == INTERNAL:
        reasons.append(f"analysen handlar mest om inre organisation ({round(share * 100)} %)")
    return "; ".join(reasons) or None


def outcome(series: pl.DataFrame, year: int) -> str | None:
    """The linked indicators in `year` against the year before, as one line of text."""
    parts = []
    for kpi in dict.fromkeys(series["kpi"].to_list()):
        rows = series.filter((pl.col("kpi") == kpi) & (pl.col("year") <= year)).sort("year")
        if rows.is_empty():
            continue
        last = rows.row(-1, named=True)
        before = rows.row(-2, named=True) if rows.height > 1 else None
        text = f"{last['kpi_title']} {last['year']}: {fmt.number(last['value'], 1)}"
        if before is not None and before["year"] == last["year"] - 1:
            text += f" (året innan {fmt.number(before['value'], 1)}, {last['progress']})"
        parts.append(text + f" [{kpi}, {last['source']}]")
    return "; ".join(parts) or None


def mapped_proposals(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """organisation -> [(proposal_id, title)] of the proposals its budget lines fund."""
    if not (_exists(con, "mapping_matches") and _exists(con, "proposals")):
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for org, pid, title in con.sql(_sql("mapped_proposals")).fetchall():
        out.setdefault(org, []).append((pid, title))
    return out


def proposals_money(
    fund: pl.DataFrame, proposals: list[tuple[str, str]], year: int, limit: int = 4
) -> str | None:
    """The mapped proposals' adopted budget in `year` and its change in fixed prices."""
    parts = []
    for pid, title in proposals:
        change = dq.change(fund, pid, year)
        if change.amount is None and change.previous is None:
            continue
        text = f"{title}: {fmt.sek(change.amount)}"
        fixed = change.diff("amount_fixed")
        if change.previous is not None and fixed is not None:
            text += f" ({'+' if fixed > 0 else ''}{fmt.sek(fixed)} i fasta priser)"
        parts.append(text)
    if not parts:
        return None
    more = f" … och {len(parts) - limit} till" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def goal_table(con: duckdb.DuckDBPyConnection, rules: tuple[Rule, ...] | None = None):
    """Every goal with its money, classification and flag (see the module docstring)."""
    goals = con.sql(_sql("goals")).pl()
    money = organisation_money(con) if has_money(con) else None
    index: dict[tuple[str | None, int, str], dict] = {}
    if money is not None:
        for row in money.iter_rows(named=True):
            index[(row["organisation"], row["year"], row["measure"])] = row
    series = {
        goal: indicators_for_proposal(con, goal, path=GOAL_INDICATORS)
        for goal in set(goals["goal"].to_list())
    }
    mapped = mapped_proposals(con)
    fund = dq.funding(con) if mapped else None
    rows = []
    for g in goals.iter_rows(named=True):
        year = g["doc_year"]
        key = _money_key(g["organisation"], year)

        def get(measure: str, y: int, key=key) -> dict:
            return index.get((key, y, measure)) or {}

        now, before = get("budget", year), get("budget", year - 1)
        result = classify(g["analysis"], rules)
        real = _change(now.get("fixed_sek"), before.get("fixed_sek"))
        verdict = result.verdict
        sources = [
            s
            for s in (
                now.get("source_files"),
                before.get("source_files"),
                get("prognos", year).get("source_files"),
                get("utfall", year).get("source_files"),
            )
            if s
        ]
        reason = flag_reason(g["assessment"], real, verdict, result.internal_share)
        rows.append(
            {
                **g,
                "money_of": key or WHOLE_MUNICIPALITY,
                "budget": now.get("nominal_sek"),
                "budget_prev": before.get("nominal_sek"),
                "nominal_change": _change(now.get("nominal_sek"), before.get("nominal_sek")),
                "real_change": real,
                "fixed_base_year": now.get("fixed_base_year"),
                "prognos": get("prognos", year).get("nominal_sek"),
                "utfall": get("utfall", year).get("nominal_sek"),
                "money_sources": ", ".join(dict.fromkeys(", ".join(sources).split(", ")))
                if sources
                else None,
                "action": result.action,
                "internal": result.internal,
                "internal_share": result.internal_share,
                "verdict": verdict,
                "action_words": ", ".join(result.words(ACTION)),
                "internal_words": ", ".join(result.words(INTERNAL)),
                "flag": reason is not None,
                "flag_reason": reason,
                "outcome": outcome(series[g["goal"]], year) if series[g["goal"]].height else None,
                "proposals_money": proposals_money(fund, mapped.get(key, []), year)
                if fund is not None and key
                else None,
            }
        )
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


ALL_REPORTS = (0, "alla")


def in_report(frame: pl.DataFrame, report: tuple[int, str | None]) -> pl.DataFrame:
    """The goals of one report, or all of them for ALL_REPORTS."""
    if tuple(report) == ALL_REPORTS:
        return frame
    return frame.filter((pl.col("doc_year") == report[0]) & pl.col("period").eq_missing(report[1]))


def report_choices(frame: pl.DataFrame) -> list[tuple[int, str | None]]:
    """The (year, period) of every report with goals, newest first, then ALL_REPORTS."""
    pairs = (
        frame.select("doc_year", "period")
        .unique()
        .sort(["doc_year", "period"], descending=True, nulls_last=False)
    )
    return [(y, p) for y, p in pairs.iter_rows()] + ([ALL_REPORTS] if pairs.height > 1 else [])
