"""The mapping files as tables in the database, and which rule applies to which line.

`load_tables` runs inside every marts rebuild (pipelines.marts.build_all), before the SQL
marts: it reads the rules, crosswalk and rejections files, matches every distinct line of
`facts` against the rules set-based in DuckDB (joins on folded keys, LIKE for `*` patterns;
the same answer as rules.resolve, which the review page uses for one line, as
tests/test_mapping_tables.py checks on the demo and on random rules), and writes:

- mapping_rules, mapping_crosswalk, mapping_rejections: the files as they are;
- mapping_matches: one row per (line, applied rule) with the proposal and the share;
- mapping_line_labels: which lines are only their organisation's total;
- mapping_problems: rows of the files that could not be used, and why.

A broken rules row never stops an ingest: it is skipped and reported in mapping_problems.
"""

from __future__ import annotations

import re

import duckdb
import polars as pl

from pipelines import registry
from pipelines.config import Config
from pipelines.mapping.rules import (
    Crosswalk,
    Rule,
    _fold,
    crosswalk_store,
    line_key,
    org_key,
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


# Line items made only of these characters get their line_key from vectorised string
# operations; NFC leaves them as they are and lower case is their case fold (no ß, which folds
# to "ss"). Any other line item takes rules.line_key itself. tests/test_mapping_tables.py
# checks the two agree.
_FAST_TEXT = "^[\x20-\x7e\xa0\xc0-\xde\xe0-\xff\u2010-\u2015\u2212]*$"
_DASHES = "[\u2010-\u2015\u2212]"
# Characters name_key never drops, changes or adds (it folds dashes, spaces, punctuation,
# "nämnden" and a leading "den"/"de"): two names with the same registry key keep the same
# sequence of them, so a line item whose sequence matches no organisation name's is no
# organisation's name, and only the few others are looked up in the registry.
_KEPT = "[^abcfghijklmopqrstuvwxyz0-9\xe0-\xf6\xf8-\xfe]"


def _kept(text: str) -> str:
    return re.sub(_KEPT, "", text)


def _fast_key(text: pl.Expr) -> pl.Expr:
    """rules.line_key as string expressions: right for the texts _FAST_TEXT matches."""
    return (
        text.str.to_lowercase()
        .str.replace_all(_DASHES, "-")
        .str.replace_all("[ \xa0]+", " ")
        .str.strip_chars(" ")
        .str.replace(r" *\*+$", "")
    )


def _slow_keys(keys: pl.Series, values: pl.Series, fast: pl.Series) -> pl.Series:
    """`keys` with rules.line_key itself where the text is not fast, and no nulls."""
    slow = fast.not_().arg_true()
    if len(slow):
        keys = keys.scatter(slow, [line_key(v) for v in values.gather(slow)])
    return keys.fill_null("")


def line_keys(values: pl.Series) -> pl.Series:
    """rules.line_key of every value, vectorised where the text allows it."""
    values = values.cast(pl.String)
    fast = values.str.contains(_FAST_TEXT).fill_null(False)
    keys = pl.select(_fast_key(pl.lit(values))).to_series()
    return _slow_keys(keys, values, fast)


def _pairs(pairs: pl.DataFrame, crosswalk: Crosswalk) -> pl.DataFrame:
    """Per distinct (organisation, line_item): its keys, canonical name and org-total flag."""
    # The text columns straight on the pairs (not on the distinct items joined back: the join
    # cost more than the few repeated items), as one lazy select so polars runs them at once.
    item = pl.col("line_item")
    out = (
        pairs.lazy()
        .with_columns(
            item_key=_fast_key(item),
            kept=item.str.to_lowercase().str.replace_all(_KEPT, "").fill_null(""),
            fast=item.str.contains(_FAST_TEXT).fill_null(False),
        )
        .collect()
    )
    out = out.with_columns(item_key=_slow_keys(out["item_key"], out["line_item"], out["fast"]))
    orgs = pairs.select(pl.col("organisation").unique())
    orgs = orgs.with_columns(
        org_key=pl.Series([org_key(o) for o in orgs["organisation"]], dtype=pl.String)
    )
    out = out.join(orgs, on="organisation", how="left", nulls_equal=True)
    # The crosswalk renames only items whose key it lists, and a line item is an
    # organisation's total only when it could be an organisation's name: the exact
    # Python answer is computed for those few pairs alone.
    sources = {key for _, key in crosswalk.pairs}
    org_kept = [
        _kept(registry.name_key(label))
        for org in registry.load_registry()
        for label in (org.name, *org.aliases)
    ]
    needs_canonical = out["item_key"].is_in(list(sources))
    needs_total = (
        out["line_item"].is_null()
        | out["organisation"].is_null()
        | ~out["fast"]
        | out["kept"].is_in(org_kept)
    )
    # Both answers are needed for few rows: computed for those alone and scattered into
    # all-null / all-false columns, not built as Python lists as long as the frame.
    orgs_col, items_col = out["organisation"], out["line_item"]
    canonical_rows = needs_canonical.arg_true()
    canonical_values = [crosswalk.canonical(orgs_col[i], items_col[i]) for i in canonical_rows]
    canonical = pl.repeat(None, out.height, dtype=pl.String, eager=True).alias("canonical")
    canonical_key = pl.repeat(None, out.height, dtype=pl.String, eager=True).alias("canonical_key")
    if len(canonical_rows):
        canonical = canonical.scatter(canonical_rows, canonical_values)
        canonical_key = canonical_key.scatter(
            canonical_rows, [None if c is None else line_key(c) for c in canonical_values]
        )
    total_rows = needs_total.arg_true()
    total = pl.repeat(False, out.height, dtype=pl.Boolean, eager=True).alias("is_org_total")
    if len(total_rows):
        total = total.scatter(
            total_rows,
            [
                items_col[i] is None or registry.normalise(items_col[i]) == orgs_col[i]
                for i in total_rows
            ],
        )
    return out.with_columns(
        canonical=canonical, canonical_key=canonical_key, is_org_total=total
    ).drop("kept", "fast")


def _like(pattern: str) -> str:
    """A rule's `*` pattern as a LIKE pattern with `\\` as escape, on the folded text."""
    parts = [
        p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        for p in _fold(pattern).split("*")
    ]
    return "%".join(parts)


def _specificity(rule: Rule) -> int:
    # The specificity tuple in base 3 (its last part counts 0-2): same order, one number.
    value = 0
    for part in rule.specificity:
        value = value * 3 + part
    return value


_MATCH_SQL = """
with names as (
    select organisation, line_item, org_key, item_key as name_key from _m_pairs
    union all
    select organisation, line_item, org_key, canonical_key from _m_pairs
    where canonical_key is not null
),

candidates as (
    select n.organisation, n.line_item, r.idx
    from names as n
    join _m_rules as r on r.match = 'exact' and r.name_key = n.name_key
    where r.org_key = '' or r.org_key = n.org_key
    union
    select n.organisation, n.line_item, r.idx
    from names as n
    join _m_rules as r on r.match = 'pattern' and n.name_key like r.like_pattern escape '\\'
    where r.org_key = '' or r.org_key = n.org_key
),

matching as (
    select l.*, p.canonical, r.rule_id, r.proposal_id, r.share, r.spec
    from (
        -- the distinct lines that have a candidate rule: usually few of the facts' lines
        select distinct organisation, line_item, document, actor, budget_kind, year
        from {lines} as f
        semi join candidates as c
            on c.organisation is not distinct from f.organisation
            and c.line_item is not distinct from f.line_item
    ) as l
    join candidates as c
        on c.organisation is not distinct from l.organisation
        and c.line_item is not distinct from l.line_item
    join _m_rules as r on r.idx = c.idx
    join _m_pairs as p
        on p.organisation is not distinct from l.organisation
        and p.line_item is not distinct from l.line_item
    left join _m_actors as a on a.actor is not distinct from l.actor
    where (r.document = '' or r.document = coalesce(l.document, ''))
        and (r.actor_key = '' or r.actor_key = coalesce(a.actor_key, ''))
        and (r.budget_kind = '' or r.budget_kind = coalesce(l.budget_kind, ''))
        and (
            l.year is null
            or ((r.year_from is null or l.year >= r.year_from)
                and (r.year_to is null or l.year <= r.year_to))
        )
),

final as (
    select
        organisation,
        line_item,
        document,
        actor,
        budget_kind,
        cast(year as integer) as year,
        coalesce(canonical, line_item) as canonical_line_item,
        rule_id,
        proposal_id,
        share
    from matching
    qualify spec = max(spec) over (
        partition by organisation, line_item, document, actor, budget_kind, year
    )
)

select * from final
"""


def match_lines(
    con: duckdb.DuckDBPyConnection,
    lines: str,
    rules: list[Rule],
    crosswalk: Crosswalk,
    into: str | None = None,
) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    """Every line of the relation `lines` with each rule that applies to it, set-based.

    `lines` names a table or view with the columns organisation, line_item, document, actor,
    budget_kind and year (such as facts); each distinct combination is one line. The same answer as rules.resolve line by line (the most specific
    matching selector wins, equally specific ones all apply, crosswalk names count as the
    line's own), computed with joins: exact rules by key, `*` patterns as LIKE on the
    distinct folded names. Returns (matches, pairs): the mapping_matches rows, and per
    distinct (organisation, line_item) whether it is its organisation's total. With `into`,
    the matches become that table (created or replaced) and are not returned: they never
    leave DuckDB, which for many matches is most of the time.
    """
    # Identical rows are one rule, as one line's rules were deduplicated before.
    rules = list(dict.fromkeys(rules))
    pairs = con.sql(f"select distinct organisation, line_item from {lines}").pl()  # noqa: S608
    pair_frame = _pairs(pairs, crosswalk)
    actors = con.sql(f"select distinct actor from {lines}").pl()  # noqa: S608
    actor_frame = actors.with_columns(
        actor_key=pl.Series([(a or "").casefold() for a in actors["actor"]], dtype=pl.String)
    )
    rule_frame = pl.DataFrame(
        [
            {
                "idx": i,
                "rule_id": r.rule_id,
                "match": r.match,
                "name_key": line_key(r.line_item) if r.match == "exact" else None,
                "like_pattern": _like(r.line_item) if r.match == "pattern" else None,
                "org_key": org_key(r.organisation) if r.organisation else "",
                "document": r.document,
                "actor_key": r.actor.casefold(),
                "budget_kind": r.budget_kind,
                "year_from": r.year_from,
                "year_to": r.year_to,
                "proposal_id": r.proposal_id,
                "share": float(r.share),
                "spec": _specificity(r),
            }
            for i, r in enumerate(rules)
        ],
        schema={
            "idx": pl.Int32,
            "rule_id": _TEXT,
            "match": _TEXT,
            "name_key": _TEXT,
            "like_pattern": _TEXT,
            "org_key": _TEXT,
            "document": _TEXT,
            "actor_key": _TEXT,
            "budget_kind": _TEXT,
            "year_from": pl.Int32,
            "year_to": pl.Int32,
            "proposal_id": _TEXT,
            "share": pl.Float64,
            "spec": pl.Int32,
        },
    )
    registered = {"_m_pairs": pair_frame, "_m_rules": rule_frame, "_m_actors": actor_frame}
    for name, frame in registered.items():
        con.register(name, frame)
    try:
        select = _MATCH_SQL.format(lines=lines)
        if into is None:
            matches = con.sql(select).pl()
        else:
            matches = None
            con.execute(f"create or replace table {into} as {select}")
    finally:
        for name in registered:
            con.unregister(name)
    return matches, pair_frame.select("organisation", "line_item", "is_org_total")


def _proposal_ids(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The proposal ids in the database, or None when no program is loaded."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", ["proposals"]
    ).fetchall()[0][0]
    if not exists:
        return None
    ids = {r[0] for r in con.execute("select proposal_id from proposals").fetchall()}
    return ids or None


def load_tables(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """Write the mapping tables (see the module docstring) inside the caller's transaction."""
    problems: list[tuple[str, str]] = []
    rules_snap = _read(rules_store(config.rules_file), problems)
    rules, rule_problems = parse_rules(rules_snap.rows)
    problems += [(config.rules_file.name, p) for p in rule_problems]
    cross_rows = _read(crosswalk_store(config.crosswalk_file), problems).rows
    reject_rows = _read(rejections_store(config.rejections_file), problems).rows
    crosswalk = Crosswalk.from_rows(cross_rows)

    _, labels = match_lines(con, "facts", rules, crosswalk, into="mapping_matches")
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
        # A line that only names its own organisation is the organisation's total (its ram):
        # the coverage marts count it only where the organisation has no finer lines.
        "mapping_line_labels": labels,
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
