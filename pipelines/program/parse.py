"""Program text → proposals: every bullet, and the positions of the prose-only sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines import registry
from pipelines.program.bracket import Body, mentioned_bodies, parse_bracket
from pipelines.program.naming import title, unique_ids
from pipelines.program.structure import Group, split_groups
from pipelines.program.text import content_lines, join_lines, split_sentences

KOMMUN = "kommun"
STAT_REGION = "stat_region"
BULLET = "bullet"
POSITION = "position"

# A heading that names the state or the region: its bullets without a bracket are demands
# on them, not on the municipality.
_STATE_SECTION = re.compile(r"\b(stat|staten|statens|region|regionen|regionens)\b", re.I)
# A sentence of prose is a position when it says what should be: a modal verb of will or
# duty, or "är nödvändigt". "ska kunna" is the purpose clause of an argument, not a position.
_NORMATIVE = re.compile(
    r"\b(ska|skall|vill|bör|behöver|måste)\b(?!\s+kunna\b)|\bär\s+nödvändig", re.I
)
_PERIOD = re.compile(r"(?:mandatperiod(?:en)?|handlingsprogram)\D{0,40}?(20\d\d)\s*[–-]\s*(20\d\d)")
_KOMMUNDEL_WORD = re.compile(r"\bkommundel", re.I)


@dataclass
class Proposal:
    """One proposal of the program, in the shape of the data contract plus extras."""

    proposal_id: str
    section: str
    topic: str | None
    title: str
    text: str
    level: str
    kind: str
    decision_body: str | None
    how: str | None
    executing_bodies: list[str]
    local_bodies: list[str]
    kommundel_relevant: bool
    ordinal: int
    bracket: str | None
    mentioned_bodies: list[str] = field(default_factory=list)  # named in a position's prose
    bodies: list[Body] = field(default_factory=list)


@dataclass
class Program:
    proposals: list[Proposal]
    period: tuple[int, int] | None
    warnings: list[str] = field(default_factory=list)

    def unknown_bodies(self) -> dict[str, list[str]]:
        """Names no registry entry matches → the ids of the proposals that use them."""
        unknown: dict[str, list[str]] = {}
        for p in self.proposals:
            for body in p.bodies:
                if not body.known:
                    unknown.setdefault(body.published, []).append(p.proposal_id)
        return unknown


def program_period(text: str) -> tuple[int, int] | None:
    """The years the program covers, from 'mandatperioden 2026–2030' or the title."""
    match = _PERIOD.search(re.sub(r"\s+", " ", text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def _kommundel_names() -> set[str]:
    names: set[str] = set()
    for org in registry.load_registry():
        if org.kommundel:
            names.add(org.kommundel)
            names.update(part for part in re.split(r"[-\s]+", org.kommundel) if len(part) > 2)
    return names


def _kommundel_relevant(text: str, bodies: list[Body], year: int | None) -> bool:
    """Names a kommundelsnämnd, or speaks of the kommundelar or one of them by name."""
    for body in bodies:
        org = registry.lookup(body.name, year) if body.known else None
        if org and org.kind == "kommundelsnämnd":
            return True
    if _KOMMUNDEL_WORD.search(text):
        return True
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in _kommundel_names())


def _split_bracket(text: str) -> tuple[str, str | None]:
    """(text without the bracket, bracket content); a bracket left open runs to the end."""
    start = text.find("[")
    if start < 0:
        return text, None
    end = text.find("]", start)
    inner = text[start + 1 : end if end >= 0 else len(text)]
    rest = text[:start] + (text[end + 1 :] if end >= 0 else "")
    return re.sub(r"\s+", " ", rest).strip(), inner.strip()


@dataclass
class _Draft:
    section: str
    topic: str | None
    text: str
    kind: str
    level: str
    bracket: str | None


def _drafts(groups: list[Group], warnings: list[str]) -> list[_Draft]:
    drafts: list[_Draft] = []
    seen_bullets = False
    for group in groups:
        state = bool(_STATE_SECTION.search(group.section))
        for bullet in group.bullets:
            seen_bullets = True
            text, bracket = _split_bracket(join_lines(bullet.lines))
            if bracket is not None:
                level = KOMMUN
            elif state:
                level = STAT_REGION
            else:
                level = KOMMUN
                warnings.append(f"Punkt utan ansvarsparentes i '{group.section}': {text[:60]}")
            drafts.append(_Draft(group.section, group.topic, text, BULLET, level, bracket))
        # Prose after the first bullet list, in a section or topic that has no bullets of
        # its own, states positions ("Politikerarvoden", "Upphandlingar", …). Earlier prose
        # is the program's introduction.
        if seen_bullets and not group.bullets and group.prose:
            for sentence in split_sentences(join_lines(group.prose)):
                if _NORMATIVE.search(sentence):
                    drafts.append(
                        _Draft(group.section, group.topic, sentence, POSITION, KOMMUN, None)
                    )
    return drafts


def parse_program(text: str, year: int | None = None, paragraphs: bool = False) -> Program:
    """Every proposal of the program text. `year` picks organisation names valid then
    (default: the program's first year). `paragraphs`: one line per paragraph (Word)."""
    period = program_period(text)
    year = year or (period[0] if period else None)
    warnings: list[str] = []
    drafts = _drafts(split_groups(content_lines(text), paragraphs), warnings)
    ids = unique_ids([(d.section, d.topic, d.text) for d in drafts])
    proposals = []
    for n, (draft, pid) in enumerate(zip(drafts, ids, strict=True), start=1):
        parsed = parse_bracket(draft.bracket, year) if draft.bracket is not None else None
        bodies = parsed.bodies if parsed else []
        if draft.kind == POSITION:
            bodies = mentioned_bodies(draft.text, year)
        proposals.append(
            Proposal(
                proposal_id=pid,
                section=draft.section,
                topic=draft.topic,
                title=title(draft.text),
                text=draft.text,
                level=draft.level,
                kind=draft.kind,
                decision_body=parsed.decision_body if parsed else None,
                how=parsed.how if parsed else None,
                executing_bodies=parsed.names("executing") if parsed else [],
                local_bodies=parsed.names("local") if parsed else [],
                kommundel_relevant=_kommundel_relevant(draft.text, bodies, year),
                ordinal=n,
                bracket=re.sub(r"\s+", " ", draft.bracket) if draft.bracket else None,
                mentioned_bodies=[b.name for b in bodies if b.role == "mentioned"],
                bodies=bodies,
            )
        )
    return Program(proposals, period, warnings)
