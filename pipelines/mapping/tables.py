"""The mapping files as tables in the database, and which rule applies to which line.

`load_tables` runs inside every marts rebuild (pipelines.marts.build_all), before the SQL
marts: it reads the rules, crosswalk and rejections files, matches every distinct line of
`facts` against the rules in Python (the same code the tests and the review page use), and
writes:

- mapping_rules, mapping_crosswalk, mapping_rejections: the files as they are;
- mapping_matches: one row per (line, applied rule) with the proposal and the share;
- mapping_line_labels: which lines are only their organisation's total;
- mapping_problems: rows of the files that could not be used, and why.

A broken rules row never stops an ingest: it is skipped and reported in mapping_problems.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import polars as pl

from pipelines import registry
from pipelines.config import Config
from pipelines.mapping.rules import (
    Crosswalk,
    Line,
    Rule,
    crosswalk_store,
    line_key,
    parse_rules,
    rejections_store,
    rules_store,
)
from pipelines.mapping.store import Snapshot

_TEXT = pl.String


def _read(store, problems: list[tuple[str, str]]) -> Snapshot:
    try:
        return store.read()
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append((store.path.name, str(exc)))
        return Snapshot((), "")


def match_lines(
    lines: list[tuple], rules: list[Rule], crosswalk: Crosswalk
) -> list[tuple[tuple, str | None, Rule]]:
    """(line tuple, canonical name, rule) for every line and each rule that applies to it.

    `lines` are (organisation, line_item, document, actor, budget_kind, year) tuples.
    Exact rules are looked up by key, so the cost grows with lines, not lines × rules.
    """
    exact: dict[str, list[Rule]] = defaultdict(list)
    patterns: list[Rule] = []
    for rule in rules:
        if rule.match == "exact":
            exact[line_key(rule.line_item)].append(rule)
        else:
            patterns.append(rule)
    out = []
    for values in lines:
        line = Line(*values)
        canonical = crosswalk.canonical(line.organisation, line.line_item)
        candidates = list(exact.get(line_key(line.line_item), ()))
        if canonical:
            candidates += exact.get(line_key(canonical), ())
        candidates += patterns
        matching = [r for r in dict.fromkeys(candidates) if r.matches(line, canonical)]
        if not matching:
            continue
        best = max(r.specificity for r in matching)
        out.extend((values, canonical, r) for r in matching if r.specificity == best)
    return out


def _proposal_ids(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The proposal ids in the database, or None when no program is loaded."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", ["proposals"]
    ).fetchall()[0][0]
    if not exists:
        return None
    ids = {r[0] for r in con.execute("select proposal_id from proposals").fetchall()}
    return ids or None


def _org_totals(lines: list[tuple]) -> dict[tuple[str, str | None], bool]:
    out: dict[tuple[str, str | None], bool] = {}
    for org, item, *_ in lines:
        if (org, item) not in out:
            out[(org, item)] = item is None or registry.normalise(item) == org
    return out


def load_tables(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Write the mapping tables (see the module docstring) inside the caller's transaction."""
    problems: list[tuple[str, str]] = []
    rules_snap = _read(rules_store(config.rules_file), problems)
    rules, rule_problems = parse_rules(rules_snap.rows)
    problems += [(config.rules_file.name, p) for p in rule_problems]
    cross_rows = _read(crosswalk_store(config.crosswalk_file), problems).rows
    reject_rows = _read(rejections_store(config.rejections_file), problems).rows
    crosswalk = Crosswalk.from_rows(cross_rows)

    lines = con.execute(
        "select distinct organisation, line_item, document, actor, budget_kind, year from facts"
    ).fetchall()
    matches = match_lines(lines, rules, crosswalk)
    known = _proposal_ids(con)
    if known is not None:
        for rule in rules:
            if rule.proposal_id not in known:
                problems.append(
                    (config.rules_file.name, f"{rule.rule_id}: okänt förslag '{rule.proposal_id}'")
                )

    frames = {
        "mapping_rules": pl.DataFrame(
            [
                {
                    "rule_id": r.rule_id,
                    "organisation": r.organisation or None,
                    "line_item": r.line_item,
                    "match": r.match,
                    "document": r.document or None,
                    "actor": r.actor or None,
                    "budget_kind": r.budget_kind or None,
                    "year_from": r.year_from,
                    "year_to": r.year_to,
                    "proposal_id": r.proposal_id,
                    "share": float(r.share),
                    "note": r.note,
                    "author": r.author,
                    "changed_at": r.changed_at,
                }
                for r in rules
            ],
            schema={
                "rule_id": _TEXT,
                "organisation": _TEXT,
                "line_item": _TEXT,
                "match": _TEXT,
                "document": _TEXT,
                "actor": _TEXT,
                "budget_kind": _TEXT,
                "year_from": pl.Int32,
                "year_to": pl.Int32,
                "proposal_id": _TEXT,
                "share": pl.Float64,
                "note": _TEXT,
                "author": _TEXT,
                "changed_at": _TEXT,
            },
        ),
        "mapping_crosswalk": pl.DataFrame(
            [
                {k: row[k] for k in ("organisation", "line_item", "canonical", "note", "author")}
                for row in cross_rows
            ],
            schema={k: _TEXT for k in ("organisation", "line_item", "canonical", "note", "author")},
        ),
        "mapping_rejections": pl.DataFrame(
            [
                {k: row[k] for k in ("organisation", "line_item", "proposal_id", "note", "author")}
                for row in reject_rows
            ],
            schema={
                k: _TEXT for k in ("organisation", "line_item", "proposal_id", "note", "author")
            },
        ),
        "mapping_matches": pl.DataFrame(
            [
                {
                    "organisation": v[0],
                    "line_item": v[1],
                    "document": v[2],
                    "actor": v[3],
                    "budget_kind": v[4],
                    "year": v[5],
                    "canonical_line_item": canonical or v[1],
                    "rule_id": r.rule_id,
                    "proposal_id": r.proposal_id,
                    "share": float(r.share),
                }
                for v, canonical, r in matches
            ],
            schema={
                "organisation": _TEXT,
                "line_item": _TEXT,
                "document": _TEXT,
                "actor": _TEXT,
                "budget_kind": _TEXT,
                "year": pl.Int32,
                "canonical_line_item": _TEXT,
                "rule_id": _TEXT,
                "proposal_id": _TEXT,
                "share": pl.Float64,
            },
        ),
        # A line that only names its own organisation is the organisation's total (its ram):
        # the coverage marts count it only where the organisation has no finer lines.
        "mapping_line_labels": pl.DataFrame(
            [
                {"organisation": org, "line_item": item, "is_org_total": total}
                for (org, item), total in _org_totals(lines).items()
            ],
            schema={"organisation": _TEXT, "line_item": _TEXT, "is_org_total": pl.Boolean},
        ),
        "mapping_problems": pl.DataFrame(
            [{"file": f, "problem": p} for f, p in problems],
            schema={"file": _TEXT, "problem": _TEXT},
        ),
    }
    for table, frame in frames.items():
        name = f"_load_{table}"
        con.register(name, frame)
        try:
            # Table names are the constants above, never user input.
            con.execute(f"create or replace table {table} as select * from {name}")  # noqa: S608
        finally:
            con.unregister(name)
