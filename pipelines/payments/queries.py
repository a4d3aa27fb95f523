"""Page queries for "Leverantörer": trends, nämnder, top suppliers, linked proposals.

Each query is one SQL file in payments/sql (a chain of CTEs ending in `select * from
final`); values go in as `?` parameters only. Functions return polars frames.
"""

from __future__ import annotations

import csv
from dataclasses import astuple
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.payments import classify
from pipelines.payments.classify import SUPPLIERS_DIR

SQL_DIR = Path(__file__).resolve().parent / "sql"
LINKS_FILE = SUPPLIERS_DIR / "proposal_links.csv"


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: list) -> pl.DataFrame:
    return con.sql(_sql(name), params=params).pl()


def has_payments(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return con.execute("select count(*) > 0 from payment_summary").fetchall()[0][0]
    except duckdb.CatalogException:
        return False


def filters(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Years, nämnder and categories present, for the page's widgets."""
    row = con.execute(_sql("filters")).fetchall()[0]
    return {
        "years": row[0] or [],
        "organisations": row[1] or [],
        "categories": row[2] or [],
    }


def trend(
    con: duckdb.DuckDBPyConnection,
    grain: str = "year",
    organisation: str | None = None,
    categories: list[str] | None = None,
) -> pl.DataFrame:
    """Kronor and payments per period (year or 'YYYY Kq') and category."""
    if grain not in ("year", "quarter"):
        raise ValueError(f"grain must be year or quarter, not {grain}")
    cats = categories or None
    return _frame(con, "trend", [organisation, organisation, cats, cats, grain])


def by_organisation(
    con: duckdb.DuckDBPyConnection, year: int | None = None, categories: list[str] | None = None
) -> pl.DataFrame:
    """Kronor per nämnd and category."""
    cats = categories or None
    return _frame(con, "by_organisation", [year, year, cats, cats])


def top_suppliers(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    organisation: str | None = None,
    categories: list[str] | None = None,
    limit: int = 20,
) -> pl.DataFrame:
    """The suppliers paid most, with category, deciding rule and share of the selection."""
    cats = categories or None
    return _frame(
        con, "top_suppliers", [year, year, organisation, organisation, cats, cats, int(limit)]
    )


def rules_changed(con: duckdb.DuckDBPyConnection, rules: list[classify.Rule]) -> bool:
    """True when the rules file differs from the rules the payments were classified with."""
    applied = con.execute(
        "select rule_id, priority, category, name_pattern, orgnr_pattern, konto_from,"
        " konto_to, registry_kind, note from supplier_rules order by priority, rule_id"
    ).fetchall()
    return [tuple(r) for r in applied] != [astuple(r) for r in rules]


@cache
def _links(path: Path = LINKS_FILE) -> tuple[dict[str, str], ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def linked_proposals(
    con: duckdb.DuckDBPyConnection, categories: list[str], path: Path = LINKS_FILE
) -> pl.DataFrame:
    """The program's proposals that concern the given categories.

    data/suppliers/proposal_links.csv names each proposal by id and by a phrase from its
    text; the id is tried first, the phrase when the program's ids have changed. A link
    that matches neither is returned with a null proposal_id, so the page can say so.
    """
    rows = []
    for link in _links(path):
        if link["category"] not in categories:
            continue
        found = None
        try:
            found = con.execute(
                "select proposal_id, section, title from proposals where proposal_id = ?",
                [link["proposal_id"]],
            ).fetchall()
            if not found and link["phrase"]:
                found = con.execute(
                    "select proposal_id, section, title from proposals"
                    " where strpos(lower(text), lower(?)) > 0 order by ordinal limit 1",
                    [link["phrase"]],
                ).fetchall()
        except duckdb.CatalogException:
            found = None  # no program loaded yet
        found = found[0] if found else None
        rows.append(
            {
                "category": link["category"],
                "proposal_id": found[0] if found else None,
                "section": found[1] if found else None,
                "title": found[2] if found else link["phrase"],
                "why": link["why"],
            }
        )
    schema = {k: pl.String for k in ("category", "proposal_id", "section", "title", "why")}
    return pl.DataFrame(rows, schema=schema).unique(
        subset=["category", "proposal_id", "title"], maintain_order=True
    )
