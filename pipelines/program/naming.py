"""Short titles and stable ids for proposals."""

from __future__ import annotations

import re
import unicodedata

# Section words that carry no meaning in an id ("En grön och rättvis omställning").
_ID_STOPWORDS = {"och", "en", "ett", "med", "i", "vi", "av", "för", "på", "som", "till"}
SECTION_WORDS = 3
OPENING_WORDS = 8
# Where the leading verb phrase of a bullet ends: punctuation, or the means and purpose.
_TITLE_STOPS = re.compile(
    r"[,.;:!?\[]| [–—-] | genom | för att | så att | i syfte att | där | som | inklusive "
)
TITLE_MIN_WORDS = 4
_DANGLING = {"och", "samt", "eller", "för", "i", "med", "till", "av", "att"}
TITLE_MAX_WORDS = 10


def slug_words(text: str) -> list[str]:
    """Lower-case ASCII words: å, ä → a, ö → o, everything else not a letter or digit splits."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [w for w in re.split(r"[^a-z0-9]+", text) if w]


def section_slug(section: str) -> str:
    words = [w for w in slug_words(section) if w not in _ID_STOPWORDS]
    return "-".join(words[:SECTION_WORDS])


def proposal_id(section: str, topic: str | None, text: str, words: int = OPENING_WORDS) -> str:
    """'<section>--[<topic>--]<opening words>': depends on nothing but the proposal itself,
    so moving, adding or removing other text leaves it unchanged."""
    parts = [section_slug(section)]
    if topic:
        parts.append(section_slug(topic))
    parts.append("-".join(slug_words(text)[:words]))
    return "--".join(parts)


def title(text: str) -> str:
    """The leading verb phrase: the text up to the first comma, period, dash or 'genom',
    'för att', … after at least three words; at most ten words."""
    for match in _TITLE_STOPS.finditer(text):
        head = text[: match.start()].strip()
        if len(head.split()) >= TITLE_MIN_WORDS:
            break
    else:
        head = text.strip().rstrip(".")
    words = head.split()
    while len(words) > TITLE_MIN_WORDS and words[-1].casefold() in _DANGLING:
        words.pop()
    if len(words) > TITLE_MAX_WORDS:
        return " ".join(words[:TITLE_MAX_WORDS]) + " …"
    return " ".join(words)


def unique_ids(items: list[tuple[str, str | None, str]]) -> list[str]:
    """Ids for (section, topic, text) items. Where two share their opening words, both get
    more words until they differ; identical texts get '-2', '-3' in document order."""
    words = [OPENING_WORDS] * len(items)
    while True:
        ids = [proposal_id(s, t, x, n) for (s, t, x), n in zip(items, words, strict=True)]
        seen: dict[str, list[int]] = {}
        for i, pid in enumerate(ids):
            seen.setdefault(pid, []).append(i)
        clashes = [idx for idx in seen.values() if len(idx) > 1]
        growable = [i for idx in clashes for i in idx if words[i] < len(slug_words(items[i][2]))]
        if not growable:
            break
        for i in growable:
            words[i] += 1
    counts: dict[str, int] = {}
    out = []
    for pid in ids:
        counts[pid] = counts.get(pid, 0) + 1
        out.append(pid if counts[pid] == 1 else f"{pid}-{counts[pid]}")
    return out
