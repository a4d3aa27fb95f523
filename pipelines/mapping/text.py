"""Swedish text for matching: words, stems, compound parts, stop words and synonyms.

Budget lines are short ("Fler fältassistenter", "Kulturskolan avgiftsfri 6,0 mnkr"),
proposals are long sentences. Matching works on stems (Snowball's Swedish stemmer, plus
the definite ending -an it leaves on words like "kulturskolan"), and on compound parts:
Swedish writes "fältassistenter", "skolbibliotek" and "HVB-hem" as one word, so a stem that
begins or ends another stem counts as a part of it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("swedish")

# Function words, and the words budget lines use for "more money to X" (they say how much,
# not what for). Domain words stay: their weight comes from how rare they are in the program.
STOPWORDS = frozenset(
    """
    och eller samt men att som i på av för till från med utan om mot vid under över efter
    genom inom hos mellan kring än så även också både bland annat till exempel t ex etc
    enligt avseende gällande respektive övrigt övriga
    en ett den det de dem denna detta dessa vi vår våra vårt alla allt all hela helt
    ska skall bör vill kan måste får ha har är var bli blir vara göra gör
    mer fler flera mest ökad ökade ökat öka ökning utökad utökade utökning utöka
    förstärkt förstärkning förstärka stärkt stärkta stärka stärker höjd höjning höja
    ny nya nytt satsning satsningar satsa extra ytterligare tillskott resurser resurs
    medel anslag ram ramökning budget drift investering mnkr tkr kr mkr miljoner
    kronor tusen kommunen kommunens kommun södertälje södertäljes år per inkl
    """.split()
)
_UNITS = re.compile(r"\b\d[\d\s,.\u00a0]*\s*(mnkr|mkr|tkr|kr|%|st)?\b", re.I)
_BRACKET = re.compile(r"\[[^\]]*\]?")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_PART = 4  # shortest stem that counts as a compound part ("fält", "skol", "lov" is too short)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lower-case word."""
    s = _STEMMER.stemWord(word)
    # Snowball keeps the definite -an ("kulturskolan", "fritidsbanken" is handled): strip it.
    if s == word and len(word) > 6 and word.endswith("an"):
        s = _STEMMER.stemWord(word[:-2])
    return s


def words(text: str) -> list[str]:
    """Lower-case words of `text`, without amounts, units and responsibility brackets."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = _BRACKET.sub(" ", text)
    text = _UNITS.sub(" ", text)
    return _WORD.findall(text)


@dataclass(frozen=True)
class Token:
    """A word of a text: its surface form and its stem."""

    word: str
    stem: str


def tokens(text: str, keep_stopwords: bool = False) -> list[Token]:
    """The content words of `text` with their stems, in order."""
    out = []
    for w in words(text):
        if not keep_stopwords and (w in STOPWORDS or len(w) < 2):
            continue
        out.append(Token(w, stem(w)))
    return out


def compound_part(a: str, b: str) -> str | None:
    """The stem shared as a compound part by stems `a` and `b`, or None.

    One must begin or end the other ("kulturskol" ends with "skol", "fältassistent" begins
    with "fält"…), and the shared part must be at least MIN_PART letters.
    """
    if a == b:
        return a
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= MIN_PART and (long.startswith(short) or long.endswith(short)):
        return short  # also covers the linking -s: "förening" begins "föreningsbidrag"
    return None


@dataclass(frozen=True)
class SynonymGroup:
    """Terms that mean the same thing in budget language; each term is a stem sequence."""

    terms: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]


def load_synonyms(path: Path) -> list[SynonymGroup]:
    """Groups from a CSV with a `terms` column of '|'-separated words or phrases."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        return []
    groups = []
    with handle:
        for row in csv.DictReader(handle):
            labels, terms = [], []
            for label in (t.strip() for t in (row.get("terms") or "").split("|")):
                # Terms are read like any text (stop words out), so "vård- och
                # omsorgsboende" finds "vård- och omsorgsboenden" in a proposal.
                term = tuple(t.stem for t in (tokens(label) or tokens(label, keep_stopwords=True)))
                if term:
                    labels.append(label)
                    terms.append(term)
            if len(terms) >= 2:
                groups.append(SynonymGroup(tuple(terms), tuple(labels)))
    return groups


def term_in(term: tuple[str, ...], stems: list[str]) -> tuple[int, int] | None:
    """Where a term occurs in a stem sequence: (start, end), or None.

    A one-word term also occurs as a compound part ("bibliotek" in "skolbibliotek").
    """
    n = len(term)
    if n == 1:
        for i, s in enumerate(stems):
            if s == term[0] or (
                len(term[0]) >= MIN_PART + 1 and (s.endswith(term[0]) or s.startswith(term[0]))
            ):
                return i, i + 1
        return None
    for i in range(len(stems) - n + 1):
        if tuple(stems[i : i + n]) == term:
            return i, i + n
    return None


# Words that name places rather than things: a line "Mötesplats för unga i Järna" is about a
# kommundel, which proposals say as "kommundelarna"; "Upprustning av Hovsjöparken" is about a
# bostadsområde. Common nouns among the area names are not places on their own.
_NOT_PLACES = {"centrum", "staden", "stad", "tätort", "tätorten", "södertälje"}


def load_places(path: Path) -> dict[str, str]:
    """Place word → the stem of the word proposals use for such a place.

    Reads the kommundelar file (kommundel, aliases, areas columns); kommundelar become
    "kommundel", their areas (stadsdelar, villages) "bostadsområde".
    """
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        return {}
    places: dict[str, str] = {}
    kommundel, area = stem("kommundel"), stem("bostadsområde")
    with handle:
        for row in csv.DictReader(handle):
            names = [row.get("kommundel") or "", *(row.get("aliases") or "").split("|")]
            for name in names:
                for w in words(name):
                    if w not in _NOT_PLACES and w not in STOPWORDS:
                        places.setdefault(w, kommundel)
            for name in (row.get("areas") or "").split("|"):
                for w in words(name):
                    if w not in _NOT_PLACES and w not in STOPWORDS:
                        places.setdefault(w, area)
    return places
