"""Editing the mapping: accept, split or reject a suggestion, write or remove a rule, add a
crosswalk entry. Each edit is one atomic write of one file with an audit-log entry (see
store.py), after which the marts are rebuilt so every page shows the new mapping.

Every function takes the version of the file the editor looked at (`base_version`); an edit
made against an old version is merged when it touches other rows than the concurrent edit,
and refused with ConflictError when it would overwrite or duplicate someone else's change.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pipelines import fmt, marts
from pipelines.config import Config
from pipelines.db import write_transaction
from pipelines.mapping.rules import (
    Line,
    Rule,
    RuleError,
    crosswalk_store,
    line_key,
    parse_share,
    rejections_store,
    rules_store,
    share_text,
)
from pipelines.mapping.store import Change, Row, Snapshot, new_id, now_iso
from pipelines.registry import normalise


def _line_context(line: Line) -> dict[str, Any]:
    return {
        "organisation": line.organisation,
        "line_item": line.line_item,
        "document": line.document,
        "actor": line.actor,
        "budget_kind": line.budget_kind,
        "year": line.year,
    }


def rule_row(
    *,
    organisation: str,
    line_item: str,
    proposal_id: str,
    share: Decimal | str | float = 1,
    match: str = "exact",
    document: str = "",
    actor: str = "",
    budget_kind: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    note: str = "",
    author: str = "",
) -> Row:
    """A new rules-file row, checked by parsing it back."""
    share_value = share if isinstance(share, Decimal) else parse_share(str(share))
    row = {
        "rule_id": new_id("r"),
        "organisation": (normalise(organisation) or organisation.strip()) if organisation else "",
        "line_item": line_item.strip(),
        "match": match,
        "document": document or "",
        "actor": actor or "",
        "budget_kind": budget_kind or "",
        "year_from": str(year_from) if year_from else "",
        "year_to": str(year_to) if year_to else "",
        "proposal_id": proposal_id.strip(),
        "share": share_text(share_value),
        "note": note.strip(),
        "author": author.strip(),
        "changed_at": now_iso(),
    }
    Rule.from_row(row)  # raises RuleError with the reason
    return row


def accept(
    config: Config,
    line: Line,
    proposal_id: str,
    *,
    who: str,
    why: str = "",
    base_version: str,
    share: Decimal | str | float = 1,
    only_document: bool = False,
    rebuild_marts: bool = True,
) -> Snapshot:
    """Accept a suggestion: a rule mapping this organisation's line item to the proposal."""
    return split(
        config,
        line,
        [(proposal_id, share)],
        who=who,
        why=why,
        base_version=base_version,
        only_document=only_document,
        action="accept",
        rebuild_marts=rebuild_marts,
    )


def split(
    config: Config,
    line: Line,
    parts: Sequence[tuple[str, Decimal | str | float]],
    *,
    who: str,
    why: str = "",
    base_version: str,
    only_document: bool = False,
    action: str = "split",
    rebuild_marts: bool = True,
) -> Snapshot:
    """Map one line to several proposals with shares that add up to at most 100 %."""
    if not parts:
        raise RuleError("Välj minst ett förslag.")
    if len({pid for pid, _ in parts}) != len(parts):
        raise RuleError("Samma förslag är valt två gånger.")
    rows = [
        rule_row(
            organisation=line.organisation,
            line_item=line.line_item or "",
            proposal_id=pid,
            share=share,
            document=(line.document or "") if only_document else "",
            actor=(line.actor or "") if only_document else "",
            note=why,
            author=who,
        )
        for pid, share in parts
    ]
    total = sum(Rule.from_row(r).share for r in rows)
    if total > 1:
        raise RuleError(f"Andelarna blir {fmt.percent(float(total))}; högst 100 % går att fördela.")
    snapshot = rules_store(config.rules_file).commit(
        base_version,
        [Change("add", r) for r in rows],
        who=who,
        why=why,
        action=action,
        audit_log=config.audit_log,
        context={"line": _line_context(line)},
    )
    if rebuild_marts:
        rebuild(config)
    return snapshot


def add_rule(
    config: Config, row: Row, *, who: str, why: str, base_version: str, rebuild_marts: bool = True
) -> Snapshot:
    """Write a rule made by hand (a pattern, a year range, …)."""
    snapshot = rules_store(config.rules_file).commit(
        base_version,
        [Change("add", row)],
        who=who,
        why=why,
        action="add_rule",
        audit_log=config.audit_log,
    )
    if rebuild_marts:
        rebuild(config)
    return snapshot


def remove_rule(
    config: Config,
    row: Row,
    *,
    who: str,
    why: str,
    base_version: str,
    rebuild_marts: bool = True,
) -> Snapshot:
    """Remove a rule exactly as the editor saw it (refused if someone changed it since)."""
    snapshot = rules_store(config.rules_file).commit(
        base_version,
        [Change("remove", row)],
        who=who,
        why=why,
        action="remove_rule",
        audit_log=config.audit_log,
    )
    if rebuild_marts:
        rebuild(config)
    return snapshot


def reject(
    config: Config,
    line: Line,
    proposal_id: str,
    *,
    who: str,
    why: str = "",
    base_version: str,
) -> Snapshot:
    """Record that a suggested proposal does not fit a line, so it is not suggested again."""
    row = {
        "rejection_id": new_id("x"),
        "organisation": line.organisation,
        "line_item": line.line_item or "",
        "proposal_id": proposal_id,
        "note": why.strip(),
        "author": who.strip(),
        "changed_at": now_iso(),
    }
    snapshot = rejections_store(config.rejections_file).commit(
        base_version,
        [Change("add", row)],
        who=who,
        why=why,
        action="reject",
        audit_log=config.audit_log,
        context={"line": _line_context(line)},
    )
    # Rejections feed only the review page, never an amount, so no marts rebuild is needed;
    # the page reads the file directly.
    return snapshot


def rejected_for(config: Config, organisation: str, line_item: str | None) -> set[str]:
    """The proposals rejected for a line."""
    key = line_key(line_item)
    org = normalise(organisation) or organisation
    return {
        r["proposal_id"]
        for r in rejections_store(config.rejections_file).read().rows
        if line_key(r["line_item"]) == key
        and (normalise(r["organisation"]) or r["organisation"]) == org
    }


def add_crosswalk(
    config: Config,
    *,
    organisation: str,
    line_item: str,
    canonical: str,
    who: str,
    why: str,
    base_version: str,
    rebuild_marts: bool = True,
) -> Snapshot:
    """Say that `line_item` is `canonical` under a new (or old) name."""
    if line_key(line_item) == line_key(canonical):
        raise RuleError("Det gamla och det nya namnet är samma.")
    row = {
        "crosswalk_id": new_id("c"),
        "organisation": (normalise(organisation) or organisation) if organisation else "",
        "line_item": line_item.strip(),
        "canonical": canonical.strip(),
        "note": why.strip(),
        "author": who.strip(),
        "changed_at": now_iso(),
    }
    snapshot = crosswalk_store(config.crosswalk_file).commit(
        base_version,
        [Change("add", row)],
        who=who,
        why=why,
        action="add_crosswalk",
        audit_log=config.audit_log,
    )
    if rebuild_marts:
        rebuild(config)
    return snapshot


def rebuild(config: Config) -> None:
    """Rebuild every mart from the files as they are now (nothing to do without a database)."""
    if not config.db_path.exists():
        return
    with write_transaction(config.db_path) as con:
        marts.build_all(con, config)
