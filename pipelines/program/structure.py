"""Content lines → headings, bullets and prose, grouped by section and topic.

Headings are not marked in a PDF's text, so they are recognised by shape: a short line
starting with a capital, without closing punctuation, after a finished sentence or another
heading, and not followed by a bullet (that is a list intro such as "Vi vill"). A following
short lower-case line continues a wrapped heading. A heading directly followed by another
opens a part whose following headings are its topics (the program's "Demokrati, politisk
styrning och administration"), until a topic has bullets of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.program.text import is_bullet, strip_bullet

HEADING_MAX_CHARS = 70
_INTRO = re.compile(r"^(vi vill\b|detta inkluderar\b)|\bvill vi\b|:$", re.IGNORECASE)
_CLOSED = (".", "!", "?", "]")


@dataclass
class Bullet:
    lines: list[str]


@dataclass
class Group:
    """The content under one heading: its bullets in order and its prose lines."""

    section: str
    topic: str | None = None
    bullets: list[Bullet] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


def _heading_shape(line: str) -> bool:
    return (
        len(line) <= HEADING_MAX_CHARS
        and line[0].isupper()
        and not line.endswith((".", ",", ":", ";", "!", "?", "]", ")", "–", "-"))
        and not any(ch in line for ch in ":[]")
        and "://" not in line
        and not is_bullet(line)
        and not _INTRO.search(line)
    )


def _continues_heading(line: str) -> bool:
    return (
        len(line) <= HEADING_MAX_CHARS
        and line[0].islower()
        and not line.endswith((".", ",", ":", ";", "]"))
        and not any(ch in line for ch in ":[]")
    )


def split_groups(lines: list[str], paragraphs: bool = False) -> list[Group]:
    """Group content lines under their headings (text before the first heading is dropped).

    A bullet takes the lines after it until its responsibility bracket closes, or, without a
    bracket, until the next bullet, heading or list intro. A bracket left open (its "]"
    missing) ends at the next bullet or heading. In printed text a heading must follow a
    finished sentence, so a bracketless bullet without its final period swallows the heading
    after it. `paragraphs`: each line is a whole paragraph (Word), so every line is finished
    and a bullet never continues on the next one unless that is its bracket."""
    flat: list[tuple[str, Group]] = []  # (heading, content)
    current: Group | None = None
    bullet: Bullet | None = None
    after_heading = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev_closed = (
            paragraphs
            or i == 0
            or lines[i - 1].endswith(_CLOSED)
            or "://" in lines[i - 1]
            or after_heading
        )
        after_heading = False
        if is_bullet(line):
            bullet = Bullet([strip_bullet(line)])
            if current is not None:
                current.bullets.append(bullet)
        elif _heading_shape(line) and prev_closed and nxt is not None and not is_bullet(nxt):
            title = line
            if _continues_heading(nxt):
                title = f"{line} {nxt}"
                i += 1
            current = Group(section=title)
            flat.append((title, current))
            bullet, after_heading = None, True
        elif bullet is not None and _takes(bullet, line, paragraphs):
            bullet.lines.append(line)
        else:
            bullet = None
            if current is not None:
                current.prose.append(line)
        i += 1
    return _nest(flat)


def _takes(bullet: Bullet, line: str, paragraphs: bool) -> bool:
    """Whether `line` continues `bullet`."""
    text = " ".join(bullet.lines)
    opened, closed = text.rfind("["), text.rfind("]")
    if opened > closed:  # inside the bracket
        return True
    if line.startswith("["):  # the bracket, after a page break or on its own line
        return opened < 0
    return opened < 0 and not paragraphs and not _INTRO.search(line)


def _nest(flat: list[tuple[str, Group]]) -> list[Group]:
    groups: list[Group] = []
    part: str | None = None
    for k, (heading, group) in enumerate(flat):
        empty = not group.bullets and not group.prose
        if empty and k + 1 < len(flat):
            part = heading
            continue
        if part is not None and not group.bullets:
            group.topic, group.section = heading, part
        else:
            part = None
        groups.append(group)
    return groups
