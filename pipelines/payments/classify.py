"""Supplier classification: rules in data/suppliers/rules.csv, applied vectorised.

A rule names a category and up to four conditions, all of which must hold: a supplier name
pattern (regular expression, case-insensitive), an org.nr pattern (on the 10 digits), a
konto range, and a kind in the organisation registry (e.g. `bolag` for the Telge group).
Rules are tried in priority order (lowest first); the first that matches decides. A supplier
no rule matches is `oklassad` — never guessed. Every change to the rules goes through
`change_rule`, which appends who, when, what and why to data/suppliers/audit.jsonl.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines import registry
from pipelines.config import DATA

SUPPLIERS_DIR = DATA / "suppliers"
RULES_FILE = SUPPLIERS_DIR / "rules.csv"
AUDIT_FILE = SUPPLIERS_DIR / "audit.jsonl"

CATEGORIES = (
    "bemanning",
    "konsulter",
    "privata välfärdsaktörer",
    "idéburna",
    "kommunala bolag",
    "offentlig sektor",
    "övriga",
)
UNCLASSIFIED = "oklassad"


class RuleError(ValueError):
    """A rule that cannot be used, with the rule's id."""


@dataclass(frozen=True)
class Rule:
    rule_id: str
    priority: int
    category: str
    name_pattern: str | None = None
    orgnr_pattern: str | None = None
    konto_from: int | None = None
    konto_to: int | None = None
    registry_kind: str | None = None
    note: str | None = None

    def validate(self) -> Rule:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", self.rule_id or ""):
            raise RuleError(f"regel '{self.rule_id}': id får bara ha a–z, 0–9, - _ .")
        if self.category not in CATEGORIES:
            raise RuleError(
                f"regel {self.rule_id}: okänd kategori '{self.category}' "
                f"(tillåtna: {', '.join(CATEGORIES)})"
            )
        for pattern in (self.name_pattern, self.orgnr_pattern):
            if pattern:
                try:
                    # polars (Rust regex) applies the rules: no look-around, no back-references.
                    pl.Series([""]).str.contains(f"(?i){pattern}")
                except pl.exceptions.ComputeError as exc:
                    raise RuleError(f"regel {self.rule_id}: felaktigt mönster {pattern!r}") from exc
        if (self.konto_from is None) != (self.konto_to is None):
            raise RuleError(f"regel {self.rule_id}: ange både konto_from och konto_to")
        if self.konto_from is not None and self.konto_from > self.konto_to:
            raise RuleError(f"regel {self.rule_id}: konto_from är större än konto_to")
        if not any(
            (self.name_pattern, self.orgnr_pattern, self.konto_from is not None, self.registry_kind)
        ):
            raise RuleError(f"regel {self.rule_id}: minst ett villkor behövs")
        return self


_FIELDS = [f.name for f in fields(Rule)]


def _rule_from_row(row: dict[str, str]) -> Rule:
    if None in row:
        raise RuleError(
            f"regel {row.get('rule_id')}: för många fält (text med kommatecken ska citeras)"
        )

    def text(key: str) -> str | None:
        value = (row.get(key) or "").strip()
        return value or None

    def number(key: str) -> int | None:
        value = text(key)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise RuleError(f"regel {row.get('rule_id')}: {key} är inte ett heltal") from exc

    return Rule(
        rule_id=text("rule_id") or "",
        priority=number("priority") or 0,
        category=text("category") or "",
        name_pattern=text("name_pattern"),
        orgnr_pattern=text("orgnr_pattern"),
        konto_from=number("konto_from"),
        konto_to=number("konto_to"),
        registry_kind=text("registry_kind"),
        note=text("note"),
    ).validate()


def load_rules(path: Path | None = None) -> list[Rule]:
    """The rules in priority order; raises RuleError for a broken or duplicated rule."""
    path = path or RULES_FILE  # looked up at call time, so tests can point it elsewhere
    with open(path, encoding="utf-8", newline="") as fh:
        rules = [_rule_from_row(row) for row in csv.DictReader(fh)]
    ids = [r.rule_id for r in rules]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RuleError(f"regel-id förekommer flera gånger: {', '.join(duplicated)}")
    return sorted(rules, key=lambda r: (r.priority, r.rule_id))


def save_rules(rules: list[Rule], path: Path | None = None) -> None:
    """Write the rules file atomically, in priority order."""
    path = path or RULES_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=_FIELDS, lineterminator="\n")
        writer.writeheader()
        for rule in sorted(rules, key=lambda r: (r.priority, r.rule_id)):
            writer.writerow({k: "" if v is None else v for k, v in asdict(rule).items()})
    os.replace(tmp, path)


def change_rule(
    action: str,
    rule: Rule | str,
    who: str,
    why: str,
    path: Path | None = None,
    audit_path: Path | None = None,
) -> list[Rule]:
    """Add, replace or remove one rule and log it; returns the new rule list.

    `action` is add, update or remove (for remove, `rule` may be just the id). `who` and
    `why` are required: the log is how the group sees why a supplier changed category.
    """
    if not who.strip() or not why.strip():
        raise RuleError("ange vem som ändrar och varför")
    if audit_path is None:
        audit_path = AUDIT_FILE if path is None else path.parent / "audit.jsonl"
    path = path or RULES_FILE
    rules = load_rules(path)
    by_id = {r.rule_id: r for r in rules}
    rule_id = rule if isinstance(rule, str) else rule.rule_id
    before = by_id.get(rule_id)
    if action == "add":
        if before is not None:
            raise RuleError(f"regel {rule_id} finns redan")
        by_id[rule_id] = rule.validate()
    elif action == "update":
        if before is None:
            raise RuleError(f"regel {rule_id} finns inte")
        by_id[rule_id] = rule.validate()
    elif action == "remove":
        if before is None:
            raise RuleError(f"regel {rule_id} finns inte")
        del by_id[rule_id]
    else:
        raise RuleError(f"okänd åtgärd {action}")
    after = by_id.get(rule_id)
    save_rules(list(by_id.values()), path)
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who.strip(),
        "action": action,
        "rule_id": rule_id,
        "before": asdict(before) if before else None,
        "after": asdict(after) if after else None,
        "why": why.strip(),
    }
    with open(audit_path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return load_rules(path)


def read_audit(audit_path: Path | None = None) -> list[dict]:
    """The audit log, oldest first."""
    audit_path = audit_path or AUDIT_FILE
    if not audit_path.exists():
        return []
    with open(audit_path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def classify_frame(combos: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Category and rule for each (org_nr, supplier, konto) row; `oklassad` when none fits.

    Each rule is one vectorised mask over the distinct combinations; only the registry
    lookup runs per distinct supplier name (a few thousand), never per payment.
    """
    digits = pl.col("org_nr").str.replace_all(r"\D", "")
    # A sole trader's (enskild firma) number is the owner's personnummer: its third digit,
    # the first of the birth month, is 0 or 1, where a legal entity's is 2 or more. Its first
    # digit is a birth year, not a kind of organisation, so the org.nr series rules (8:
    # ideella föreningar, 2: offentlig sektor, 5: aktiebolag) must not read it.
    digits = pl.when(digits.str.contains(r"^\d{2}[01]\d{7}$")).then(None).otherwise(digits)
    konto_n = pl.col("konto").str.extract(r"^(\d+)").cast(pl.Int64, strict=False)
    kinds_needed = {r.registry_kind for r in rules if r.registry_kind}
    kind_of: dict[str, str] = {}
    if kinds_needed:
        for name in combos.get_column("supplier").unique().to_list():
            org = registry.lookup(name) if name else None
            if org is not None and org.kind in kinds_needed:
                kind_of[name] = org.kind
    frame = combos.with_columns(
        digits.alias("_digits"),
        konto_n.alias("_konto"),
        pl.col("supplier")
        .replace_strict(kind_of, default=None, return_dtype=pl.String)
        .alias("_kind"),
        pl.lit(None, dtype=pl.String).alias("category"),
        pl.lit(None, dtype=pl.String).alias("rule_id"),
    )
    for rule in rules:
        mask = pl.col("category").is_null()
        if rule.name_pattern:
            mask &= pl.col("supplier").str.contains(f"(?i){rule.name_pattern}")
        if rule.orgnr_pattern:
            mask &= pl.col("_digits").str.contains(rule.orgnr_pattern)
        if rule.konto_from is not None:
            mask &= pl.col("_konto").is_between(rule.konto_from, rule.konto_to)
        if rule.registry_kind:
            mask &= pl.col("_kind") == rule.registry_kind
        mask = mask.fill_null(False)
        frame = frame.with_columns(
            pl.when(mask).then(pl.lit(rule.category)).otherwise("category").alias("category"),
            pl.when(mask).then(pl.lit(rule.rule_id)).otherwise("rule_id").alias("rule_id"),
        )
    return frame.select(
        "org_nr",
        "supplier",
        "konto",
        pl.col("category").fill_null(UNCLASSIFIED),
        "rule_id",
    )


def reclassify(con: duckdb.DuckDBPyConnection, rules: list[Rule] | None = None) -> dict[str, int]:
    """Load the rules into the database and rebuild payment_classes; counts per category."""
    rules = load_rules() if rules is None else rules
    con.execute("delete from supplier_rules")
    if rules:
        con.executemany(
            "insert into supplier_rules (rule_id, priority, category, name_pattern,"
            " orgnr_pattern, konto_from, konto_to, registry_kind, note)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[getattr(r, f) for f in _FIELDS] for r in rules],
        )
    combos = pl.from_arrow(
        con.sql(
            "select distinct coalesce(org_nr, '') as org_nr, coalesce(supplier, '') as supplier,"
            " coalesce(konto, '') as konto from payment_lines"
            " where line_id in (select line_id from payment_entries)"
        ).to_arrow_table()
    )
    classes = classify_frame(combos, rules)
    con.execute("delete from payment_classes")
    con.register("_classes", classes.to_arrow())
    try:
        con.execute("insert into payment_classes select * from _classes")
    finally:
        con.unregister("_classes")
    summary = (Path(__file__).resolve().parent / "sql" / "summary.sql").read_text(encoding="utf-8")
    con.execute("delete from payment_summary")
    con.execute(f"insert into payment_summary {summary}")
    counts = classes.group_by("category").len().iter_rows()
    return dict(sorted(counts))
