"""The responsibility bracket after a municipal bullet → decision body, how, and bodies by role.

`[Kommunfullmäktige – genom mål och budget. Verkställighet och samordning: Kommunstyrelsen,
Telge AB. Lokala behov och dialog: Kommundelsnämnderna.]` and its variants in the text:
a hyphen or no dash after the decision body, "Verkställighet:" alone, five wordings of the
local role, commas where periods belong, missing commas between bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines import registry

# The label of each role as the program words it. Order in the bracket does not matter.
_LABEL = re.compile(
    r"(?P<executing>verkställighet(?:\s+och\s+samordning)?)\s*:"
    r"|(?P<local>lokal(?:a|t)\s+(?:behov|genomförande)(?:\s+och\s+(?:dialog|prioritering))?)\s*:",
    re.IGNORECASE,
)
# "Kommunfullmäktige – genom …", "Kommunfullmäktige - genom …", "Kommunfullmäktige genom …"
_DECISION = re.compile(r"^(?P<body>.+?)\s*(?:[-–—]\s*)?(?P<how>\bgenom\b.*)?$", re.IGNORECASE)
# Separators between bodies that can never be part of a name.
_HARD = re.compile(r"\s*[,;]\s*")
# Words that join two bodies but also occur inside names ("Kultur- och fritidsnämnden").
_SOFT = {"och", "samt"}
_LONGEST_NAME_WORDS = 8


@dataclass(frozen=True)
class Body:
    """One body named in a bracket: the registry's name when known, else as published."""

    name: str
    role: str  # decision, executing, local
    published: str
    known: bool


@dataclass
class Bracket:
    """What a responsibility bracket says."""

    decision_body: str | None = None
    how: str | None = None
    bodies: list[Body] = field(default_factory=list)

    def names(self, role: str) -> list[str]:
        seen: list[str] = []
        for body in self.bodies:
            if body.role == role and body.name not in seen:
                seen.append(body.name)
        return seen

    @property
    def unknown(self) -> list[str]:
        return [b.published for b in self.bodies if not b.known]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def parse_bracket(content: str, year: int | None = None) -> Bracket:
    """The bracket's content (without the brackets) → decision, how and bodies by role."""
    content = re.sub(r"\s+", " ", content).strip()
    labels = list(_LABEL.finditer(content))
    head = content[: labels[0].start()] if labels else content
    result = Bracket()
    decision = _DECISION.match(_clean(head))
    if decision and decision.group("body"):
        published = _clean(decision.group("body"))
        name = registry.normalise(published, year)
        result.decision_body = name or published
        result.bodies.append(Body(result.decision_body, "decision", published, name is not None))
        if decision.group("how"):
            result.how = _clean(decision.group("how"))
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(content)
        role = "executing" if label.group("executing") else "local"
        result.bodies.extend(match_bodies(content[label.end() : end], role, year))
    return result


def match_bodies(text: str, role: str, year: int | None = None) -> list[Body]:
    """Bodies in a list as published: the longest registry names first, so that a missing
    comma ("Telge AB Tekniska nämnden") still gives two bodies and "och" inside a name
    ("Arbets- och näringslivsnämnden") does not split it. What matches nothing is reported
    as it stands, between the separators around it."""
    bodies: list[Body] = []
    for chunk in _HARD.split(_clean(text)):
        words = chunk.split()
        i = 0
        while i < len(words):
            if words[i].casefold() in _SOFT:
                i += 1
                continue
            found = _longest_known(words, i, year)
            if found:
                j, name = found
                bodies.append(Body(name, role, " ".join(words[i:j]), True))
                i = j
                continue
            # Unknown: up to the next joining word that is followed by a known name.
            j = i + 1
            while j < len(words) and not (
                words[j].casefold() in _SOFT and _longest_known(words, j + 1, year)
            ):
                j += 1
            published = " ".join(words[i:j])
            bodies.append(Body(published, role, published, False))
            i = j
    return bodies


def _longest_known(words: list[str], start: int, year: int | None) -> tuple[int, str] | None:
    for end in range(min(len(words), start + _LONGEST_NAME_WORDS), start, -1):
        if words[end - 1].casefold() in _SOFT:
            continue
        name = registry.normalise(" ".join(words[start:end]), year)
        if name:
            return end, name
    return None


# Bodies named in running prose: registry kinds that are one body (not the kommun itself,
# not a collective name).
_MENTIONABLE = {"nämnd", "kommundelsnämnd", "bolag", "utskott"}


def mentioned_bodies(text: str, year: int | None = None) -> list[Body]:
    """Bodies a sentence names ("… genom Telge Inköp …"), role 'mentioned'. A mention starts
    with a capital letter and is longer than three letters, so that short aliases such as
    'ÄN' never match ordinary words ('än')."""
    words = re.findall(r"[\wÅÄÖåäö][\w\-–ÅÄÖåäö]*", text)
    found: list[Body] = []
    i = 0
    while i < len(words):
        hit = _longest_known(words, i, year) if words[i][0].isupper() else None
        if hit:
            end, name = hit
            published = " ".join(words[i:end])
            org = registry.lookup(name, year)
            if len(published) > 3 and org and org.kind in _MENTIONABLE:
                if name not in [b.name for b in found]:
                    found.append(Body(name, "mentioned", published, True))
                i = end
                continue
        i += 1
    return found
