"""A transparent classifier: rules from a data file, hits with positions, a plain verdict.

Match kinds:
- `stem`: a word that begins with the pattern ("anställ" matches "anställde", "nyanställda"
  does not: use its own stem for that);
- `word`: exactly that word;
- `phrase`: these words in a row, the last one as a stem ("utbildning av" matches
  "utbildning av chefer");
- `regex`: a regular expression (case-insensitive), e.g. a number with a unit.
Where two hits overlap, the longer one counts and the shorter is dropped, so "arbete pågår"
is counted once, not also as "pågår".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.config import DATA

RULES_FILE = DATA / "ord_mot_verkstad" / "rules.csv"
ACTION = "action"
INTERNAL = "internal"
CLASSES = (ACTION, INTERNAL)
MATCHES = ("stem", "word", "phrase", "regex")
# A verdict needs this share of the weight on one side; below it the text is mixed.
DECISIVE_SHARE = 0.6
VERDICTS = {
    ACTION: "konkret verkstad",
    INTERNAL: "inre organisation",
    "mixed": "blandat",
    "none": "inga träffar",
}

_WORD = r"[\wåäöÅÄÖéÉ]"


class RulesError(ValueError):
    """The rules file is malformed; names the line."""


@dataclass(frozen=True)
class Rule:
    pattern: str
    match: str
    cls: str
    weight: float
    note: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Hit:
    """One matched span of the text and the rule that matched it."""

    start: int
    end: int
    text: str
    rule: Rule

    @property
    def cls(self) -> str:
        return self.rule.cls

    @property
    def weight(self) -> float:
        return self.rule.weight


@dataclass(frozen=True)
class Classification:
    action: float
    internal: float
    hits: tuple[Hit, ...]

    @property
    def total(self) -> float:
        return self.action + self.internal

    @property
    def internal_share(self) -> float | None:
        """The internal side's share of the matched weight; None when nothing matched."""
        return self.internal / self.total if self.total else None

    @property
    def verdict(self) -> str:
        """action, internal, mixed or none."""
        share = self.internal_share
        if share is None:
            return "none"
        if share >= DECISIVE_SHARE:
            return INTERNAL
        if 1 - share >= DECISIVE_SHARE:
            return ACTION
        return "mixed"

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]

    def words(self, cls: str) -> list[str]:
        """The matched words of one class, in text order, each once."""
        seen: dict[str, None] = {}
        for hit in self.hits:
            if hit.cls == cls:
                seen.setdefault(hit.text.lower(), None)
        return list(seen)


def _compile(pattern: str, match: str) -> re.Pattern[str]:
    if match == "regex":
        return re.compile(pattern, re.IGNORECASE)
    words = [re.escape(w) for w in pattern.split()]
    body = r"\s+".join(words)
    lead = rf"(?<!{_WORD})"
    if match == "word":
        return re.compile(rf"{lead}{body}(?!{_WORD})", re.IGNORECASE)
    # stem and phrase: the last word may go on ("organisation" -> "organisationen")
    return re.compile(rf"{lead}{body}{_WORD}*", re.IGNORECASE)


def parse_rules(lines: list[dict[str, str]], source: str = "rules") -> tuple[Rule, ...]:
    rules = []
    for number, row in enumerate(lines, start=2):
        pattern = (row.get("pattern") or "").strip()
        match = (row.get("match") or "").strip()
        cls = (row.get("class") or "").strip()
        if not pattern:
            raise RulesError(f"{source} rad {number}: mönster saknas")
        if match not in MATCHES:
            raise RulesError(f"{source} rad {number}: okänd matchning {match!r}")
        if cls not in CLASSES:
            raise RulesError(f"{source} rad {number}: okänd klass {cls!r}")
        try:
            weight = float((row.get("weight") or "1").replace(",", "."))
            regex = _compile(pattern, match)
        except (ValueError, re.error) as exc:
            raise RulesError(f"{source} rad {number}: {exc}") from exc
        if weight <= 0:
            raise RulesError(f"{source} rad {number}: vikten måste vara positiv")
        rules.append(Rule(pattern, match, cls, weight, (row.get("note") or "").strip(), regex))
    return tuple(rules)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The rules of the data file, validated."""
    with open(path, encoding="utf-8", newline="") as fh:
        return parse_rules(list(csv.DictReader(fh)), source=Path(path).name)


def classify(text: str | None, rules: tuple[Rule, ...] | None = None) -> Classification:
    """Score `text` with the rules; overlapping hits keep the longest."""
    rules = load_rules() if rules is None else rules
    if not text:
        return Classification(0.0, 0.0, ())
    candidates = [
        Hit(m.start(), m.end(), m.group(0).strip(), rule)
        for rule in rules
        for m in rule.regex.finditer(text)
        if m.group(0).strip()
    ]
    # Longest first, then earliest; keep a hit only if it overlaps none already kept.
    candidates.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for hit in candidates:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    kept.sort(key=lambda h: h.start)
    action = sum(h.weight for h in kept if h.cls == ACTION)
    internal = sum(h.weight for h in kept if h.cls == INTERNAL)
    return Classification(action, internal, tuple(kept))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def highlight_markdown(text: str | None, result: Classification) -> str:
    """Streamlit markdown of the text with action words on green and internal on orange."""
    if not text:
        return ""
    parts: list[str] = []
    at = 0
    for hit in result.hits:
        parts.append(_escape(text[at : hit.start]))
        colour = "green" if hit.cls == ACTION else "orange"
        parts.append(f":{colour}-background[{_escape(text[hit.start : hit.end])}]")
        at = hit.end
    parts.append(_escape(text[at:]))
    return "".join(parts)
