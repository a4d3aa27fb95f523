"""Suggestions: which proposals a budget line most likely funds, each with a readable reason.

A proposal scores on two things:

1. Text: how much of the line's meaning is found in the proposal. Each content word of the
   line gets the best credit it finds among the proposal's words — the same stem (1.0), a
   synonym from data/mapping/synonyms.csv (0.85), a near spelling (up to 0.9) or a compound
   part ("fält" in "fältassistenter", up to 0.8). Words are weighted by how rare they are in
   the program (a word that fits every proposal says little), and the score is the weighted
   share of the line's words that were found. Words of the proposal's section heading count
   at 60 %. A line whose words appear in the proposal as one phrase gets a bonus.
2. Responsibility: a line under a nämnd that the proposal names as executing body gets a
   boost, smaller the more proposals name that body (Kommunstyrelsen is named almost
   everywhere and tells little; Socialnämnden tells a lot).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb
from rapidfuzz import fuzz

from pipelines import registry
from pipelines.mapping.text import (
    MIN_PART,
    SynonymGroup,
    Token,
    compound_part,
    term_in,
    tokens,
)
from pipelines.registry import name_key

EXACT = 1.0
INFLECTED = 0.95
SYNONYM = 0.85
FUZZY_MAX = 0.9
FUZZY_MIN_RATIO = 85
PART_MAX = 0.8
SECTION_FACTOR = 0.6
PHRASE_BONUS = 0.1
BODY_BOOST = 0.15
LOCAL_BOOST = 0.05
MIN_MODIFIER = 3  # "läx|hjälp", "lov|aktivitet"
MIN_HEAD = 4
STATE_FACTOR = 0.6
PLACE_FACTOR = 0.3  # demands on state and region: a municipal budget line rarely funds them


@dataclass(frozen=True)
class ProposalDoc:
    """What the suggester needs of a proposal (a row of the `proposals` view)."""

    proposal_id: str
    section: str
    title: str
    text: str
    level: str = "kommun"
    executing_bodies: tuple[str, ...] = ()
    local_bodies: tuple[str, ...] = ()


@dataclass
class Suggestion:
    """A ranked proposal for a line, with the score's parts and the reasons in words."""

    proposal_id: str
    title: str
    section: str
    score: float
    text_score: float
    body_boost: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def to_dict(self) -> dict:
        return {
            "proposal_id": self.proposal_id,
            "title": self.title,
            "section": self.section,
            "score": round(self.score, 3),
            "text_score": round(self.text_score, 3),
            "body_boost": round(self.body_boost, 3),
            "reason": self.reason,
        }


@dataclass
class _Indexed:
    doc: ProposalDoc
    stems: list[str]  # content stems of title + text, in order
    surface: dict[str, str]  # stem → the word as written in the proposal
    section_stems: set[str]
    groups: dict[int, str]  # synonym group → the term as found in the proposal
    bodies: set[str]
    local: set[str]


def _body_keys(names: Iterable[str]) -> set[str]:
    return {registry.name_key(registry.normalise(n) or n) for n in names if n}


class Suggester:
    """Ranks proposals for budget lines. Build once per proposal list; `suggest` is cheap."""

    def __init__(
        self,
        proposals: Sequence[ProposalDoc],
        synonyms: Sequence[SynonymGroup] = (),
        places: dict[str, str] | None = None,
    ):
        self.synonyms = list(synonyms)
        self.places = places or {}
        self.index: list[_Indexed] = []
        for p in proposals:
            toks = tokens(f"{p.title}. {p.text}")
            stems = [t.stem for t in toks]
            surface: dict[str, str] = {}
            for t in toks:
                surface.setdefault(t.stem, t.word)
            groups = {}
            for gi, group in enumerate(self.synonyms):
                for term, label in zip(group.terms, group.labels, strict=True):
                    where = term_in(term, stems)
                    if where:
                        groups[gi] = " ".join(t.word for t in toks[where[0] : where[1]]) or label
                        break
            self.index.append(
                _Indexed(
                    doc=p,
                    stems=stems,
                    surface=surface,
                    section_stems={t.stem for t in tokens(p.section)},
                    groups=groups,
                    bodies=_body_keys(p.executing_bodies),
                    local=_body_keys(p.local_bodies),
                )
            )
        n = max(len(self.index), 1)
        counts: dict[str, int] = {}
        for item in self.index:
            for key in item.bodies:
                counts[key] = counts.get(key, 0) + 1
        self._body_share = {key: c / n for key, c in counts.items()}
        self._local_share = sum(bool(i.local) for i in self.index) / n
        self.vocab = {stem for item in self.index for stem in item.surface if len(stem) >= MIN_HEAD}
        self._splits: dict[str, list[str] | None] = {}
        self._idf: dict[str, float] = {}

    # -- one line word against one proposal ------------------------------------------------

    def _credit(self, tok: Token, item: _Indexed) -> tuple[float, str]:
        """The best credit for one line word in one proposal, and why."""
        if tok.stem in item.surface:
            if tok.word in self.places:
                return EXACT, f"platsen '{tok.word}' ~ '{item.surface[tok.stem]}'"
            return EXACT, f"'{item.surface[tok.stem]}'"
        best, why = 0.0, ""
        for stem, word in item.surface.items():
            if _inflected(tok.stem, stem):
                if INFLECTED > best:
                    best, why = INFLECTED, f"'{tok.word}' ≈ '{word}'"
                continue
            # The line's word as a part of the proposal's compound ("bibliotek" in
            # "skolbiblioteken"); the other way round is handled by splitting below.
            if len(stem) > len(tok.stem) and compound_part(tok.stem, stem):
                credit = PART_MAX * math.sqrt(len(tok.stem) / len(stem))
                if credit > best:
                    best, why = credit, f"'{tok.word}' ingår i '{word}'"
            elif len(tok.stem) >= 5 and len(stem) >= 5:
                ratio = fuzz.ratio(tok.stem, stem)
                if ratio >= FUZZY_MIN_RATIO and FUZZY_MAX * ratio / 100 > best:
                    best, why = FUZZY_MAX * ratio / 100, f"'{tok.word}' ≈ '{word}'"
        parts = self._split(tok.stem)
        if parts:
            weights = [self._part_idf(p) for p in parts]
            found = [self._part_credit(p, item) for p in parts]
            credit = sum(w * c for w, (c, _) in zip(weights, found, strict=True)) / sum(weights)
            if credit > best:
                shown = ", ".join(
                    f"'{p}' i '{w}'" for p, (c, w) in zip(parts, found, strict=True) if c
                )
                best, why = credit, f"delar av '{tok.word}': {shown}"
        if tok.stem in item.section_stems and SECTION_FACTOR > best:
            best, why = SECTION_FACTOR, f"'{tok.word}' i avsnittet '{item.doc.section}'"
        return best, why

    def _split(self, stem: str) -> list[str] | None:
        """A compound stem as [modifier, head] where the head is a word of the program.

        Swedish compounds put the head last ("läx|hjälp", "fält|verksam"); the longest
        known tail wins, and a linking -s on the modifier is dropped ("förening|s|bidrag").
        """
        if stem in self._splits:
            return self._splits[stem]
        parts = None
        for i in range(MIN_MODIFIER, len(stem) - MIN_HEAD + 1):
            head = stem[i:]
            if head in self.vocab:
                modifier = stem[:i]
                if (
                    modifier.endswith("s")
                    and len(modifier) > MIN_MODIFIER
                    and (modifier[:-1] in self.vocab or modifier not in self.vocab)
                ):
                    modifier = modifier[:-1]
                parts = [modifier, head]
                break
        self._splits[stem] = parts
        return parts

    def _part_credit(self, part: str, item: _Indexed) -> tuple[float, str]:
        if part in item.surface:
            return PART_MAX, item.surface[part]
        # A three-letter part ("för", "hem") begins too many words to count as found in them.
        if len(part) >= MIN_PART:
            for stem, word in item.surface.items():
                if len(stem) > len(part) and (stem.startswith(part) or stem.endswith(part)):
                    return PART_MAX * 0.8, word
        return 0.0, ""

    def _part_idf(self, part: str) -> float:
        if part not in self._idf:
            df = sum(1 for item in self.index if self._part_credit(part, item)[0] > 0)
            self._idf[part] = math.log(1 + len(self.index) / (1 + df))
        return self._idf[part]

    # -- the ranking -----------------------------------------------------------------------

    def suggest(
        self,
        organisation: str | None,
        line_item: str,
        top: int = 5,
        exclude: Iterable[str] = (),
    ) -> list[Suggestion]:
        """The `top` proposals for a line, best first; proposals in `exclude` are skipped."""
        line_tokens = [
            Token(t.word, self.places[t.word]) if t.word in self.places else t
            for t in tokens(line_item)
        ]
        # Tokens repeated in the line count once ("Kulturskola, kulturskolans avgifter").
        seen: dict[str, Token] = {}
        for t in line_tokens:
            seen.setdefault(t.stem, t)
        line_tokens = list(seen.values())
        line_stems = [t.stem for t in line_tokens]
        line_groups: dict[int, tuple[int, int, str]] = {}
        for gi, group in enumerate(self.synonyms):
            for term in group.terms:
                where = term_in(term, line_stems)
                if where:
                    label = " ".join(t.word for t in line_tokens[where[0] : where[1]])
                    line_groups[gi] = (where[0], where[1], label)
                    break

        excluded = set(exclude)
        items = [i for i in self.index if i.doc.proposal_id not in excluded]
        credits: list[list[tuple[float, str]]] = []
        for item in items:
            row = [self._credit(t, item) for t in line_tokens]
            for gi, (start, end, label) in line_groups.items():
                if gi in item.groups:
                    for k in range(start, end):
                        if row[k][0] < SYNONYM:
                            row[k] = (SYNONYM, f"synonym '{label}' ≈ '{item.groups[gi]}'")
            credits.append(row)

        n = max(len(self.index), 1)
        weights = []
        for k, tok in enumerate(line_tokens):
            df = sum(1 for row in credits if row[k][0] >= 0.5)
            # A place says where, not what: it counts, but little.
            factor = PLACE_FACTOR if tok.word in self.places else 1.0
            weights.append(factor * math.log(1 + n / (1 + df)))
        total_weight = sum(weights) or 1.0

        org = registry.lookup(organisation) if organisation else None
        org_key = name_key(org.name) if org else (name_key(organisation) if organisation else "")
        is_kdn = bool(org and org.kind == "kommundelsnämnd")

        out = []
        for item, row in zip(items, credits, strict=True):
            text_score = sum(w * c for w, (c, _) in zip(weights, row, strict=True)) / total_weight
            reasons = []
            found = list(dict.fromkeys(why for c, why in row if c >= EXACT))
            partial = list(dict.fromkeys(why for c, why in row if 0 < c < EXACT and why))
            if found:
                reasons.append("samma ord: " + ", ".join(found))
            if partial:
                reasons.append("liknande: " + ", ".join(partial))
            if len(line_stems) >= 2 and _contains_run(item.stems, line_stems):
                text_score += PHRASE_BONUS
                reasons.append("hela uttrycket finns i förslaget")
            boost = 0.0
            if org_key and org_key in item.bodies:
                boost = BODY_BOOST * (1 - self._body_share.get(org_key, 0) + 1 / n)
                reasons.append(f"{org.name if org else organisation} verkställer förslaget")
            elif is_kdn and item.local:
                boost = LOCAL_BOOST * (1 - self._local_share + 1 / n)
                reasons.append("kommundelsnämnderna ansvarar för lokala behov")
            score = text_score + boost
            if item.doc.level != "kommun":
                score *= STATE_FACTOR
                reasons.append("krav på stat eller region (lägre vikt)")
            out.append(
                Suggestion(
                    proposal_id=item.doc.proposal_id,
                    title=item.doc.title,
                    section=item.doc.section,
                    score=score,
                    text_score=text_score,
                    body_boost=boost,
                    reasons=reasons,
                )
            )
        # Text first: a proposal that shares no word with the line is only a fallback.
        out.sort(key=lambda s: (s.text_score > 0, s.score), reverse=True)
        for s in out:
            if s.text_score == 0:
                s.reasons.insert(0, "ingen textlikhet")
        return out[:top]


def _inflected(a: str, b: str) -> bool:
    """Two stems of one word that the stemmer left apart ("mötesplat" / "mötesplats")."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_HEAD and long.startswith(short) and len(long) - len(short) <= 2


def _contains_run(stems: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(stems[i : i + n] == run for i in range(len(stems) - n + 1))


def load_proposals(con: duckdb.DuckDBPyConnection) -> list[ProposalDoc]:
    """Every proposal of the `proposals` view; empty when the program is not loaded."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", ["proposals"]
    ).fetchall()[0][0]
    if not exists:
        return []
    rows = con.execute(
        "select proposal_id, section, title, text, level, executing_bodies, local_bodies "
        "from proposals order by proposal_id"
    ).fetchall()
    return [
        ProposalDoc(
            proposal_id=r[0],
            section=r[1] or "",
            title=r[2] or "",
            text=r[3] or "",
            level=r[4] or "kommun",
            executing_bodies=tuple(r[5] or ()),
            local_bodies=tuple(r[6] or ()),
        )
        for r in rows
    ]
