"""What the Koppla page and `verkstad suggest` read: the worklist, coverage, rules, the log."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.config import DATA, Config
from pipelines.db import connect_read, database_version
from pipelines.mapping.rules import RULE_COLUMNS, Line, rejections_store, rules_store
from pipelines.mapping.store import read_audit, verify_audit
from pipelines.mapping.suggest import ProposalDoc, Suggester, load_proposals
from pipelines.mapping.text import load_places, load_synonyms

_LOCK = threading.Lock()


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchall()[0][0]
    )


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def bundled_proposals(config: Config) -> list[ProposalDoc]:
    """The proposals of the program file shipped in data/program, parsed on the fly."""
    from pipelines.program.extract import read_text
    from pipelines.program.parse import parse_program

    files = sorted(config.program_dir.glob("*.txt"))
    if not files:
        return []
    program = parse_program(read_text(files[-1]))
    return [
        ProposalDoc(
            proposal_id=p.proposal_id,
            section=p.section,
            title=p.title,
            text=p.text,
            level=p.level,
            executing_bodies=tuple(p.executing_bodies),
            local_bodies=tuple(p.local_bodies),
        )
        for p in program.proposals
    ]


@lru_cache(maxsize=4)
def _suggester(
    db: str, db_version: Any, synonyms: str, synonyms_stamp: Any, program_dir: str
) -> tuple[Suggester, str]:
    proposals: list[ProposalDoc] = []
    source = "databasen"
    if db_version is not None:
        con = connect_read(Path(db))
        try:
            proposals = load_proposals(con)
        finally:
            con.close()
    if not proposals:
        from pipelines.config import load_config

        config = load_config(db)
        proposals = bundled_proposals(config)
        source = "programfilen i data/program"
    places = load_places(DATA / "kommundelar.csv")
    return Suggester(proposals, load_synonyms(Path(synonyms)), places), source


def suggester_for(config: Config) -> tuple[Suggester, str]:
    """A suggester over the database's proposals (or the bundled program), and its source.

    Cached until the database or the synonym list changes.
    """
    with _LOCK:
        return _suggester(
            str(config.db_path),
            database_version(config.db_path),
            str(config.synonyms_file),
            _file_stamp(config.synonyms_file),
            str(config.program_dir),
        )


def suggestions_for_line(config: Config, line: Line, top: int = 5) -> list:
    """Suggestions for a line, leaving out proposals already rejected for it."""
    from pipelines.mapping.edits import rejected_for

    suggester, _ = suggester_for(config)
    rejected = rejected_for(config, line.organisation, line.line_item)
    return suggester.suggest(line.organisation, line.line_item or "", top=top, exclude=rejected)


def worklist(
    con: duckdb.DuckDBPyConnection,
    statuses: list[str],
    documents: list[str],
    limit: int = 200,
    with_totals: bool = False,
) -> pl.DataFrame:
    """Budget lines with the given statuses and documents, largest money first.

    A line that only names its own organisation ("Socialnämnden", "SN") is the nämnd's
    whole ram; it is left out unless `with_totals`.
    """
    if not relation_exists(con, "mapping_lines"):
        return pl.DataFrame()
    frame = con.sql(
        "select organisation, line_item, document, actor, budget_kind, last_year, amount_sek,"
        " share_max, status, proposal_ids, canonical_line_item"
        " from mapping_lines"
        " where list_contains(?::varchar[], status) and list_contains(?::varchar[], document)"
        " and (? or not is_org_total)"
        " order by amount_sek desc nulls last, organisation, line_item",
        params=[statuses, documents, with_totals],
    ).pl()
    return frame.head(limit)


def coverage(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Headline numbers: share of the latest adopted budget mapped, proposals without money,
    lines mapped to more than 100 %."""
    out: dict[str, Any] = {
        "budget_year": None,
        "mapped_share": None,
        "proposals": 0,
        "without_money": 0,
        "over_mapped": 0,
        "unmapped_lines": 0,
    }
    if not relation_exists(con, "mapping_coverage"):
        return out
    rows = con.execute(
        "select year, sum(mapped_sek) / nullif(sum(total_sek), 0) from mapping_coverage"
        " where document = ? and measure = ? and budget_kind = ?"
        " and doc_year = (select max(doc_year) from mapping_coverage where document = ?)"
        " and year = doc_year group by year",
        ["budget", "budget", "drift", "budget"],
    ).fetchall()
    row = rows[0] if rows else None
    if row:
        out["budget_year"], out["mapped_share"] = row[0], row[1]
    if relation_exists(con, "proposal_coverage"):
        total, without = con.execute(
            "select count(*), count(*) filter (where not has_money) from proposal_coverage"
            " where level = ?",
            ["kommun"],
        ).fetchall()[0]
        out["proposals"], out["without_money"] = total, without
    if relation_exists(con, "mapping_lines"):
        over, unmapped = con.execute(
            "select count(*) filter (where status = ?), count(*) filter (where status = ?)"
            " from mapping_lines where not is_org_total",
            ["över 100 %", "okopplad"],
        ).fetchall()[0]
        out["over_mapped"], out["unmapped_lines"] = over, unmapped
    return out


def file_problems(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(file, problem) for rows of the mapping files that the last rebuild could not use."""
    if not relation_exists(con, "mapping_problems"):
        return []
    return con.execute("select file, problem from mapping_problems order by file").fetchall()


def proposals_without_money(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    if not relation_exists(con, "proposal_coverage"):
        return pl.DataFrame()
    return con.sql(
        "select section, title, proposal_id from proposal_coverage"
        " where not has_money and level = ? order by section, title",
        params=["kommun"],
    ).pl()


def proposal_titles(con: duckdb.DuckDBPyConnection | None, config: Config) -> dict[str, str]:
    """proposal_id → title, from the database or the bundled program."""
    if con is not None and relation_exists(con, "proposals"):
        rows = con.execute("select proposal_id, title from proposals").fetchall()
        if rows:
            return dict(rows)
    return {i.doc.proposal_id: i.doc.title for i in suggester_for(config)[0].index}


def rules_table(config: Config) -> tuple[pl.DataFrame, str]:
    """The rules file as a table, and the version it was read at."""
    snap = rules_store(config.rules_file).read()
    frame = pl.DataFrame(list(snap.rows), schema={c: pl.String for c in RULE_COLUMNS})
    return frame, snap.version


def rejections_version(config: Config) -> str:
    return rejections_store(config.rejections_file).read().version


def audit_tail(config: Config, n: int = 20) -> list[dict[str, Any]]:
    """The newest `n` audit entries, newest first."""
    return list(reversed(read_audit(config.audit_log)[-n:]))


def audit_problems(config: Config) -> list[str]:
    """Breaks in the audit log's hash chain: entries edited or removed after the fact."""
    return verify_audit(config.audit_log)
