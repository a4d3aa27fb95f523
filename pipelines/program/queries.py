"""Reads for the Program page: every proposal with its bodies, and the filters over them."""

from __future__ import annotations

import duckdb
import polars as pl

LEVELS = {"kommun": "Kommunen", "stat_region": "Staten och regionen"}
KINDS = {"bullet": "Förslag", "position": "Ställningstagande"}
ROLES = {
    "decision": "Beslutar",
    "executing": "Verkställer och samordnar",
    "local": "Lokalt",
    "mentioned": "Nämns i texten",
}

_SCHEMA = {
    "proposal_id": pl.String,
    "section": pl.String,
    "title": pl.String,
    "text": pl.String,
    "level": pl.String,
    "decision_body": pl.String,
    "executing_bodies": pl.List(pl.String),
    "local_bodies": pl.List(pl.String),
    "kommundel_relevant": pl.Boolean,
    "kind": pl.String,
    "topic": pl.String,
    "decision_how": pl.String,
    "ordinal": pl.Int32,
    "mentioned_bodies": pl.List(pl.String),
    "similar": pl.List(pl.String),
}


def _columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The proposals view's columns; empty when the database has no program tables."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = 'proposals'"
    ).fetchall()
    return {name for (name,) in rows}


def proposals(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every proposal in document order, with the ids of its near-duplicates in `similar`."""
    columns = _columns(con)
    if not columns:
        return pl.DataFrame(schema=_SCHEMA)
    frame = con.sql(
        """
        with pairs as (
            select proposal_id as a, similar_proposal_id as b from proposal_near_duplicates
            union all
            select similar_proposal_id, proposal_id from proposal_near_duplicates
        ),
        partners as (
            select a as proposal_id, list(b order by b) as similar_ids from pairs group by a
        )
        select p.*, coalesce(s.similar_ids, []::varchar[]) as similar
        from proposals p left join partners s using (proposal_id)
        order by p.ordinal
        """
    ).pl()
    if "mentioned_bodies" not in columns:
        # A database written before positions named bodies lacks the column until its
        # next write.
        frame = frame.with_columns(mentioned_bodies=pl.lit([], dtype=pl.List(pl.String)))
    return frame.select([pl.col(name).cast(dtype) for name, dtype in _SCHEMA.items()])


def bodies(frame: pl.DataFrame) -> list[str]:
    """Every body the proposals name, in any role, sorted."""
    names = set(frame["decision_body"].drop_nulls().to_list())
    for column in ("executing_bodies", "local_bodies", "mentioned_bodies"):
        names.update(frame[column].explode().drop_nulls().to_list())
    return sorted(names, key=str.casefold)


def filter_proposals(
    frame: pl.DataFrame,
    search: str = "",
    body: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    kommundel_only: bool = False,
) -> pl.DataFrame:
    """The proposals that match every filter given. `search`: every word must occur in the
    title, text, section, topic or a body's name (any case)."""
    out = frame
    if body:
        out = out.filter(
            (pl.col("decision_body") == body)
            | pl.col("executing_bodies").list.contains(body)
            | pl.col("local_bodies").list.contains(body)
            | pl.col("mentioned_bodies").list.contains(body)
        )
    if level:
        out = out.filter(pl.col("level") == level)
    if kind:
        out = out.filter(pl.col("kind") == kind)
    if kommundel_only:
        out = out.filter(pl.col("kommundel_relevant"))
    words = search.casefold().split()
    if words:
        haystack = pl.concat_str(
            [
                pl.col("title"),
                pl.col("text"),
                pl.col("section"),
                pl.col("topic").fill_null(""),
                pl.col("decision_body").fill_null(""),
                pl.col("executing_bodies").list.join(" "),
                pl.col("local_bodies").list.join(" "),
                pl.col("mentioned_bodies").list.join(" "),
            ],
            separator=" ",
        ).str.to_lowercase()
        for word in words:
            out = out.filter(haystack.str.contains(word, literal=True))
    return out


def by_id(frame: pl.DataFrame, proposal_id: str | None) -> dict | None:
    """One proposal as a dict, or None when no proposal has that id."""
    if not proposal_id:
        return None
    hit = frame.filter(pl.col("proposal_id") == proposal_id)
    return hit.row(0, named=True) if hit.height else None
