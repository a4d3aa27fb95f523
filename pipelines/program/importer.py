"""`verkstad ingest` for the program document: text, PDF or Word → proposal tables."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipelines.ingest import IngestError, IngestOptions, Loaded
from pipelines.program.duplicates import near_duplicates
from pipelines.program.extract import PARAGRAPH_SUFFIXES, SUFFIXES, UnreadableProgram, read_text
from pipelines.program.parse import BULLET, KOMMUN, POSITION, STAT_REGION, Program, parse_program

# What marks a document as the program: a "Vi vill" list and a responsibility bracket.
_MARKS = (re.compile(r"\bvi vill\b", re.I), re.compile(r"\[\s*kommunfullmäktige", re.I))
_SNIFF_MAX_BYTES = 20 * 1024 * 1024
# The first responsibility bracket comes within a few pages; other PDFs (a delårsrapport of
# a hundred pages) should not be read whole just to be turned down.
_SNIFF_PAGES = 12


class ProgramImporter:
    """The party's action program (.txt, .pdf, .docx) → proposals, bodies, near-duplicates."""

    name = "program"
    kinds = ("program",)
    feeds_marts = True

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in SUFFIXES:
            return False
        try:
            if path.stat().st_size > _SNIFF_MAX_BYTES:
                return False
            text = read_text(path, max_pages=_SNIFF_PAGES)
        except Exception:  # noqa: BLE001 - a file we cannot read is for the other importers
            return False
        return all(mark.search(text) for mark in _MARKS)

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
    ) -> Loaded:
        try:
            paragraphs = path.suffix.lower() in PARAGRAPH_SUFFIXES
            program = parse_program(read_text(path), opts.year, paragraphs)
        except UnreadableProgram as exc:
            raise IngestError(path.name, str(exc)) from exc
        _check(path.name, program)
        pairs = near_duplicates(program.proposals)
        _store(con, doc_id, program, pairs)
        return Loaded(
            document="program",
            facts=len(program.proposals),
            doc_year=program.period[0] if program.period else opts.year,
            identity="program",
            details=_counts(program, len(pairs)),
            messages=_messages(program, pairs),
        )


def _check(file: str, program: Program) -> None:
    """The quality gate: a program has bullets, and every bracket names who decides."""
    bullets = [p for p in program.proposals if p.kind == BULLET]
    if not bullets:
        raise IngestError(file, "inga förslag (punkter) hittades i programmet")
    undecided = [p for p in bullets if p.bracket is not None and not p.decision_body]
    if undecided:
        raise IngestError(
            file, f"ansvarsparentes utan beslutande instans i förslaget '{undecided[0].title}'"
        )


def _store(con: duckdb.DuckDBPyConnection, doc_id: str, program: Program, pairs) -> None:
    # The program has one current version: a new one replaces every proposal row.
    con.execute("delete from proposal_rows")
    con.execute("delete from proposal_body_rows")
    con.execute("delete from proposal_near_duplicate_rows")
    con.executemany(
        "insert into proposal_rows (proposal_id, doc_id, section, topic, title, text, level,"
        " kind, decision_body, decision_how, executing_bodies, local_bodies,"
        " kommundel_relevant, ordinal, bracket, mentioned_bodies)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                p.proposal_id,
                doc_id,
                p.section,
                p.topic,
                p.title,
                p.text,
                p.level,
                p.kind,
                p.decision_body,
                p.how,
                p.executing_bodies,
                p.local_bodies,
                p.kommundel_relevant,
                p.ordinal,
                p.bracket,
                p.mentioned_bodies,
            ]
            for p in program.proposals
        ],
    )
    body_rows = [
        [p.proposal_id, b.name, b.role, b.published, b.known, n]
        for p in program.proposals
        for n, b in enumerate(p.bodies, start=1)
    ]
    if body_rows:
        con.executemany(
            "insert into proposal_body_rows (proposal_id, body, role, published_name, known,"
            " ordinal) values (?, ?, ?, ?, ?, ?)",
            body_rows,
        )
    if pairs:
        con.executemany(
            "insert into proposal_near_duplicate_rows (proposal_id, similar_proposal_id, score)"
            " values (?, ?, ?)",
            [[d.first, d.second, d.score] for d in pairs],
        )


def _counts(program: Program, n_pairs: int) -> dict[str, object]:
    props = program.proposals
    bullets = [p for p in props if p.kind == BULLET]
    counts: dict[str, object] = {
        "förslag": len(props),
        "punkter": len(bullets),
        "punkter kommun": sum(p.level == KOMMUN for p in bullets),
        "punkter stat och region": sum(p.level == STAT_REGION for p in bullets),
        "ställningstaganden": sum(p.kind == POSITION for p in props),
        "nämner Kommundelsnämnderna": sum(
            "Kommundelsnämnderna" in (p.executing_bodies + p.local_bodies) for p in props
        ),
        "berör kommundelarna": sum(p.kommundel_relevant for p in props),
        "nästan dubbletter": n_pairs,
        "okända instanser": len(program.unknown_bodies()),
    }
    if program.period:
        counts["period"] = f"{program.period[0]}–{program.period[1]}"
    return counts


def _messages(program: Program, pairs) -> list[str]:
    titles = {p.proposal_id: p.title for p in program.proposals}
    messages = [
        f"Okänd instans '{name}' i {len(ids)} förslag ({', '.join(ids)}); "
        "finns den, lägg till den i data/organisations.csv"
        for name, ids in program.unknown_bodies().items()
    ]
    messages += [
        f"Nästan likadana förslag (likhet {d.score:.0f}): '{titles[d.first]}' ({d.first}) "
        f"och '{titles[d.second]}' ({d.second})"
        for d in pairs
    ]
    return messages + program.warnings
