"""Mapping rules: which budget lines fund which proposals, and with what share.

The rules live in a CSV file (data/mapping/rules.csv) that people read, edit and review.
One row is one rule: a line selector (organisation, line item exact or as a pattern with
`*`, document, actor, budget kind, year range) and the proposal it funds with a share.
Several rules with the same selector split one line between several proposals.

When several rules match a line, the most specific selector wins (an exact line item over a
pattern, then a named organisation, document, actor, budget kind and year range over an
open one); rules with equally specific selectors all apply and their shares add up, so a
line mapped to more than 100 % shows up in the coverage marts instead of being hidden.

A crosswalk (data/mapping/crosswalk.csv) gives renamed line items their canonical name, so
that a line renamed between years needs one rule, not one per name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pipelines.mapping.store import Change, CsvStore, Row
from pipelines.registry import name_key, normalise

RULE_COLUMNS = (
    "rule_id",
    "organisation",
    "line_item",
    "match",
    "document",
    "actor",
    "budget_kind",
    "year_from",
    "year_to",
    "proposal_id",
    "share",
    "note",
    "author",
    "changed_at",
)
CROSSWALK_COLUMNS = (
    "crosswalk_id",
    "organisation",
    "line_item",
    "canonical",
    "note",
    "author",
    "changed_at",
)
REJECTION_COLUMNS = (
    "rejection_id",
    "organisation",
    "line_item",
    "proposal_id",
    "note",
    "author",
    "changed_at",
)
MATCH_KINDS = ("exact", "pattern")
DOCUMENTS = ("budget", "forslag", "delarsrapport", "bokslut", "statistik")
BUDGET_KINDS = ("drift", "investering")


class RuleError(ValueError):
    """A rule row that cannot be used, with the reason in Swedish."""


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def line_key(text: str | None) -> str:
    """A comparison key for a line item: case, dashes, spaces and note markers folded."""
    # "Kulturskola*" with a footnote marker is the line "Kulturskola".
    return re.sub(r"\s*\*+$", "", _fold(text))


@lru_cache(maxsize=4096)
def org_key(name: str | None) -> str:
    """The registry's canonical name as a key, or the folded name when it is unknown."""
    if not name or not name.strip():
        return ""
    return name_key(normalise(name) or name)


@lru_cache(maxsize=1024)
def _pattern(pattern: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in _fold(pattern).split("*")]
    return re.compile(".*".join(parts))


@dataclass(frozen=True)
class Line:
    """A budget line as the marts see it: one fact's identifying columns."""

    organisation: str
    line_item: str | None
    document: str | None = None
    actor: str | None = None
    budget_kind: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Rule:
    """One row of the rules file, parsed and checked."""

    rule_id: str
    organisation: str
    line_item: str
    match: str
    document: str
    actor: str
    budget_kind: str
    year_from: int | None
    year_to: int | None
    proposal_id: str
    share: Decimal
    note: str = ""
    author: str = ""
    changed_at: str = ""

    @classmethod
    def from_row(cls, row: Row) -> Rule:
        """A rule from a file row, or RuleError naming what is wrong."""
        rid = row.get("rule_id", "").strip()
        if not rid:
            raise RuleError("regeln saknar rule_id")
        match = (row.get("match") or "exact").strip().lower()
        if match not in MATCH_KINDS:
            raise RuleError(f"{rid}: match ska vara exact eller pattern, inte '{match}'")
        if not row.get("line_item", "").strip():
            raise RuleError(f"{rid}: line_item saknas")
        if not row.get("proposal_id", "").strip():
            raise RuleError(f"{rid}: proposal_id saknas")
        document = row.get("document", "").strip().lower()
        if document and document not in DOCUMENTS:
            raise RuleError(f"{rid}: okänt dokument '{document}'")
        kind = row.get("budget_kind", "").strip().lower()
        if kind and kind not in BUDGET_KINDS:
            raise RuleError(f"{rid}: budget_kind ska vara drift eller investering")
        share = parse_share(row.get("share", ""), rid)
        year_from = _year(row.get("year_from", ""), rid)
        year_to = _year(row.get("year_to", ""), rid)
        if year_from and year_to and year_from > year_to:
            raise RuleError(f"{rid}: year_from är efter year_to")
        return cls(
            rule_id=rid,
            organisation=row.get("organisation", "").strip(),
            line_item=row["line_item"].strip(),
            match=match,
            document=document,
            actor=row.get("actor", "").strip(),
            budget_kind=kind,
            year_from=year_from,
            year_to=year_to,
            proposal_id=row["proposal_id"].strip(),
            share=share,
            note=row.get("note", "").strip(),
            author=row.get("author", "").strip(),
            changed_at=row.get("changed_at", "").strip(),
        )

    @property
    def selector(self) -> tuple:
        """What the rule selects, without the proposal: rules sharing it split one line."""
        return (
            org_key(self.organisation),
            line_key(self.line_item),
            self.match,
            self.document,
            self.actor.casefold(),
            self.budget_kind,
            self.year_from,
            self.year_to,
        )

    @property
    def specificity(self) -> tuple[int, ...]:
        return (
            int(self.match == "exact"),
            int(bool(self.organisation)),
            int(bool(self.document)),
            int(bool(self.actor)),
            int(bool(self.budget_kind)),
            int(self.year_from is not None) + int(self.year_to is not None),
        )

    def matches(self, line: Line, canonical: str | None = None) -> bool:
        """True when this rule selects `line` (whose line item may have a canonical name)."""
        if self.organisation and org_key(self.organisation) != org_key(line.organisation):
            return False
        if self.document and self.document != (line.document or ""):
            return False
        if self.actor and self.actor.casefold() != (line.actor or "").casefold():
            return False
        if self.budget_kind and self.budget_kind != (line.budget_kind or ""):
            return False
        if line.year is not None:
            if self.year_from is not None and line.year < self.year_from:
                return False
            if self.year_to is not None and line.year > self.year_to:
                return False
        names = {line_key(line.line_item)}
        if canonical:
            names.add(line_key(canonical))
        if self.match == "exact":
            return line_key(self.line_item) in names
        return any(_pattern(self.line_item).fullmatch(name) for name in names)

    def describe(self) -> str:
        """The selector in words, for lists and the audit log."""
        what = f"'{self.line_item}'" + (" (mönster)" if self.match == "pattern" else "")
        parts = [what]
        if self.organisation:
            parts.append(f"hos {self.organisation}")
        if self.document:
            parts.append(f"i {self.document}")
        if self.actor:
            parts.append(f"aktör {self.actor}")
        if self.budget_kind:
            parts.append(self.budget_kind)
        if self.year_from or self.year_to:
            parts.append(f"år {self.year_from or ''}–{self.year_to or ''}")
        return " ".join(parts)


def parse_share(text: str, rid: str = "") -> Decimal:
    """'1', '0.4', '0,4', '40 %' → a fraction; empty means the whole line."""
    raw = (text or "").strip().replace(",", ".").replace("\u00a0", "")
    if not raw:
        return Decimal(1)
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").strip())
    except InvalidOperation as exc:
        raise RuleError(f"{rid}: andelen '{text}' är inget tal") from exc
    if percent or value > 1:
        value = value / 100
    if value <= 0 or value > 1:
        raise RuleError(f"{rid}: andelen måste vara över 0 och högst 100 %")
    return value


def share_text(share: Decimal) -> str:
    """A share as written to the file: a fraction with at most four decimals."""
    text = f"{share.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _year(text: str, rid: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise RuleError(f"{rid}: året '{text}' är inte ett årtal")
    return int(text)


def parse_rules(rows: Iterable[Row]) -> tuple[list[Rule], list[str]]:
    """The usable rules and, for the others, why they were skipped."""
    rules, problems = [], []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            rules.append(Rule.from_row(row))
        except RuleError as exc:
            problems.append(f"rad {number}: {exc}")
    return rules, problems


@dataclass(frozen=True)
class Crosswalk:
    """Published line-item names → canonical names, per organisation or for all."""

    pairs: dict[tuple[str, str], str]

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> Crosswalk:
        pairs = {}
        for row in rows:
            if row.get("line_item") and row.get("canonical"):
                pairs[(org_key(row.get("organisation")), line_key(row["line_item"]))] = row[
                    "canonical"
                ].strip()
        return cls(pairs)

    def canonical(self, organisation: str, line_item: str | None) -> str | None:
        """The canonical name of a line item (following chains of renames), else None."""
        org = org_key(organisation)
        name, seen = line_item, set()
        while name is not None:
            key = line_key(name)
            if key in seen:
                break  # a cycle in the file: stop rather than loop
            seen.add(key)
            target = self.pairs.get((org, key)) or self.pairs.get(("", key))
            if target is None or line_key(target) == key:
                break
            name = target
        return name if name is not None and line_key(name) != line_key(line_item) else None


def resolve(rules: Sequence[Rule], line: Line, crosswalk: Crosswalk | None = None) -> list[Rule]:
    """The rules that apply to `line`: all matching rules of the most specific selector level."""
    canonical = crosswalk.canonical(line.organisation, line.line_item) if crosswalk else None
    matching = [r for r in rules if r.matches(line, canonical)]
    if not matching:
        return []
    best = max(r.specificity for r in matching)
    return [r for r in matching if r.specificity == best]


def check_shares(rows: Sequence[Row], changes: Sequence[Change] = ()) -> None:
    """Refuse a change that makes one selector's shares add up to more than 100 %.

    Only selectors the change touches are checked: a hand-edited file that already
    over-allocates a line must not block every other edit; the marts flag such lines.
    """
    touched = set()
    for change in changes:
        if change.op != "remove":
            try:
                touched.add(Rule.from_row(change.row).selector)
            except RuleError as exc:
                raise RuleError(str(exc)) from exc
    totals: dict[tuple, Decimal] = {}
    for row in rows:
        try:
            rule = Rule.from_row(row)
        except RuleError:
            continue
        if rule.selector in touched:
            totals[rule.selector] = totals.get(rule.selector, Decimal(0)) + rule.share
    over = [sel for sel, total in totals.items() if total > 1]
    if over:
        raise RuleError(
            f"Andelarna för '{over[0][1]}' blir tillsammans mer än 100 %. Minska någon andel."
        )


def rule_identity(row: Row) -> tuple:
    try:
        rule = Rule.from_row(row)
    except RuleError:
        return ("ogiltig", row.get("rule_id"))
    return (*rule.selector, rule.proposal_id)


def rules_store(path) -> CsvStore:
    return CsvStore(path, RULE_COLUMNS, "rule_id", identity=rule_identity, validate=check_shares)


def crosswalk_store(path) -> CsvStore:
    return CsvStore(
        path,
        CROSSWALK_COLUMNS,
        "crosswalk_id",
        identity=lambda r: (org_key(r.get("organisation")), line_key(r.get("line_item"))),
    )


def rejections_store(path) -> CsvStore:
    return CsvStore(
        path,
        REJECTION_COLUMNS,
        "rejection_id",
        identity=lambda r: (
            org_key(r.get("organisation")),
            line_key(r.get("line_item")),
            r.get("proposal_id", "").strip(),
        ),
    )
