"""Small readers shared by the statistics formats: numbers, units, codes in labels, totals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# SCB's symbols: '..' not available, '.' logically impossible, '-' or '–' nothing to report
# (zero). Kolada and PxWeb use the same in CSV exports.
MISSING_MARKS = {"..", ".", "…", "x", "X"}
ZERO_MARKS = {"-", "–", "—", "0-"}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def parse_number(text: object) -> tuple[Decimal | None, str | None]:
    """A published number as Decimal and the status mark it carried, if any.

    Returns (None, mark) for a missing value, (Decimal(0), '-') for SCB's "nothing to report".
    Raises ValueError for text that is no number at all.
    """
    if text is None:
        return None, None
    if isinstance(text, bool):
        raise ValueError(f"inte ett tal: {text!r}")
    if isinstance(text, int):
        return Decimal(text), None
    if isinstance(text, float):
        if text != text:  # NaN
            return None, None
        return Decimal(repr(text)), None
    s = str(text).strip()
    if not s:
        return None, None
    if s in MISSING_MARKS:
        return None, s
    if s in ZERO_MARKS:
        return Decimal(0), "-"
    s = _SPACES.sub("", s).replace("\u2212", "-").rstrip("*")
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"inte ett tal: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"inte ett tal: {text!r}")
    return (-value if negative else value), None


_PER = re.compile(
    r"per\s+(inv|invånare|capita|elev|barn|brukare|person|hushåll|\d)|/\s*inv|kr/|per\s+1\s*000",
    re.IGNORECASE,
)
_SCALES = [
    (re.compile(r"\b(mdkr|miljarder\s+kronor)\b", re.I), Decimal(1_000_000_000)),
    (re.compile(r"\b(mnkr|mkr|miljoner\s+kronor|milj\.?\s*kr)\b", re.I), Decimal(1_000_000)),
    (
        re.compile(r"\b(tkr|tusentals?\s+kronor|tusen\s+kronor|1\s?000-?tal\s+kronor)\b", re.I),
        Decimal(1_000),
    ),
    (re.compile(r"\b(kr|kronor|sek)\b", re.I), Decimal(1)),
]


def money_scale(*texts: str | None) -> Decimal | None:
    """Kronor per published unit when the texts name an amount of money, else None.

    Amounts per invånare, per elev and the like are ratios, not money totals: None.
    The first text that names a unit decides (callers pass the most specific first).
    """
    for text in texts:
        if not text:
            continue
        if _PER.search(text):
            return None
        for pattern, scale in _SCALES:
            if pattern.search(text):
                return scale
    return None


def is_ratio(*texts: str | None) -> bool:
    """True when any text says 'per invånare', 'kr/inv' and the like."""
    return any(text and _PER.search(text) for text in texts)


def names_unit(text: str | None) -> bool:
    """True when the text says anything about a unit (money, per capita, percent, count)."""
    if not text:
        return False
    return bool(
        _PER.search(text)
        or any(p.search(text) for p, _ in _SCALES)
        or re.search(r"%|procent|andel|antal|\bst\b", text, re.I)
    )


def split_code(label: str, code: str | None = None) -> tuple[str | None, str]:
    """('0181', 'Södertälje') from '0181 Södertälje'; the label alone when it has no code.

    With `code` given, only that code is taken from the front of the label. The label keeps
    its code when the rest starts in lower case, where the number is part of the meaning
    ('0 år', '1-4 år'), not a prefix ('407 Förskola', '190 POLITISK VERKSAMHET, TOTALT').
    """
    label = (label or "").strip()
    if code:
        rest = label[len(code) + 1 :].strip() if label.startswith(code + " ") else None
        return code, rest if rest and rest[0].isupper() else label
    m = re.match(r"^(\d[\d\-]*[A-Z]?)\s+(\S.*)$", label)
    if m:
        rest = m.group(2).strip()
        return m.group(1), rest if rest[0].isupper() else label
    return None, label


def region_kind(code: str | None) -> str:
    """kommun (4 digits), lan (2 digits), riket ('00'), or other."""
    if code is None:
        return "other"
    if code == "00":
        return "riket"
    if re.fullmatch(r"\d{4}", code):
        return "kommun"
    if re.fullmatch(r"\d{2}", code):
        return "lan"
    return "other"


_TOTAL = re.compile(r"\b(totalt|summa|totalsumma|samtliga)\b", re.I)


def is_total_label(label: str | None, code: str | None = None) -> bool:
    """A subtotal or total row of the source ('POLITISK VERKSAMHET, TOTALT', '0-9')."""
    if code and re.fullmatch(r"\d+-\d+", code):
        return True
    return bool(label and _TOTAL.search(label))


def year_of(code: str) -> tuple[int | None, str | None]:
    """(2024, None) for '2024'; (2024, '2024M06') for sub-year periods; (None, code) else."""
    code = str(code).strip()
    if re.fullmatch(r"(19|20)\d{2}", code):
        return int(code), None
    m = re.match(r"^((?:19|20)\d{2})\D", code)
    if m:
        return int(m.group(1)), code
    return None, code
