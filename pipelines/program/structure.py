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


def split_groups(lines: list[str]) -> list[Group]:
    """Group content lines under their headings (text before the first heading is dropped)."""
    flat: list[tuple[str, Group]] = []  # (heading, content)
    current: Group | None = None
    bullet: Bullet | None = None
    bracket_depth = 0  # open brackets in the current bullet
    after_heading = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev_closed = (
            i == 0 or lines[i - 1].endswith(_CLOSED) or "://" in lines[i - 1] or after_heading
        )
        heading = _heading_shape(line) and prev_closed and nxt is not None and not is_bullet(nxt)
        if is_bullet(line):
            bullet = Bullet([strip_bullet(line)])
            bracket_depth = line.count("[") - line.count("]")
            if current is not None:
                current.bullets.append(bullet)
            after_heading = False
        elif heading:
            title = line
            if nxt is not None and _continues_heading(nxt):
                title = f"{line} {nxt}"
                i += 1
            current = Group(section=title)
            flat.append((title, current))
            bullet, bracket_depth, after_heading = None, 0, True
        elif bullet is not None and (
            bracket_depth > 0 or line.startswith("[") or not _ended(bullet)
        ):
            if _INTRO.search(line) and bracket_depth == 0 and not line.startswith("["):
                bullet = None
                if current is not None:
                    current.prose.append(line)
            else:
                bullet.lines.append(line)
                bracket_depth = max(0, bracket_depth + line.count("[") - line.count("]"))
            after_heading = False
        else:
            bullet = None
            if current is not None:
                current.prose.append(line)
            after_heading = False
        i += 1
    return _nest(flat)


def _ended(bullet: Bullet) -> bool:
    """A bullet whose responsibility bracket has closed takes no more lines."""
    text = " ".join(bullet.lines)
    return text.rfind("]") > text.rfind("[") >= 0


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
