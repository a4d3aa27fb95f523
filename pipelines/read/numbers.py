"""Numbers as Swedish spreadsheets publish them, parsed in bulk with polars.

Handles numeric cells (read as text by the reader), and text such as `1 234,5` (normal,
non-breaking or thin space), `−1 234` (Unicode minus), `(1 234)`, `12,3*` (note marker),
`1.234.567`, `1,234,567.5`, and the dashes `-`, `–`, `—` that mean zero. Every cell gets a
status: number, zero (a dash), missing (empty) or text (not a number at all).
"""

from __future__ import annotations

import polars as pl

NUMBER, ZERO, MISSING, TEXT = "number", "zero", "missing", "text"

_DASHES = ["-", "–", "—", "−", "‐", "‒", "--", "––"]
_SPACES = r"[\s\u00a0\u2007\u2009\u202f'’]"
_MINUSES = r"^[−–—‒‐]"


def _clean(col: pl.Expr) -> pl.Expr:
    """The text stripped of spaces and note markers, with minus signs made ASCII."""
    text = col.str.strip_chars()
    # "12,3*" and "12,3 *" are 12,3 with a note; "(1 234)*" keeps its closing bracket
    text = text.str.replace(r"\s*[*¹²³⁴⁵⁶⁷⁸⁹†]+$", "")
    return text


def parse_expr(col: pl.Expr) -> pl.Expr:
    """A Float64 expression: the number a text cell holds, null when it holds none.

    Dashes give 0.0; use `status_expr` to tell a dash from a real zero or a missing cell.
    """
    text = _clean(col)
    paren = text.str.contains(r"^\(.*\)$")
    body = text.str.replace(r"^\((.*)\)$", "$1")
    body = body.str.replace(_MINUSES, "-")
    body = body.str.replace_all(_SPACES, "")
    body = body.str.replace(r"^\+", "")
    # a trailing minus ("1234-") is an old accounting style for negative numbers
    trailing_minus = body.str.contains(r"^\d[\d.,]*-$")
    body = body.str.replace(r"^(\d[\d.,]*)-$", "-$1")
    has_comma = body.str.contains(",", literal=True)
    has_dot = body.str.contains(".", literal=True)
    comma_pos = body.str.len_chars() - body.str.reverse().str.find(",", literal=True)
    dot_pos = body.str.len_chars() - body.str.reverse().str.find(".", literal=True)
    both = has_comma & has_dot
    normalised = (
        pl.when(both & (comma_pos > dot_pos))
        # 1.234.567,5: dots group thousands, the comma is the decimal sign
        .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(both)
        # 1,234,567.5: commas group thousands
        .then(body.str.replace_all(",", "", literal=True))
        .when(has_comma & body.str.contains(r"^-?\d{1,3}(,\d{3}){2,}$"))
        .then(body.str.replace_all(",", "", literal=True))
        .when(has_comma)
        .then(body.str.replace(",", ".", literal=True))
        .when(has_dot & body.str.contains(r"^-?\d{1,3}(\.\d{3}){2,}$"))
        .then(body.str.replace_all(".", "", literal=True))
        .otherwise(body)
    )
    # only plain decimal notation counts: "1e5", "inf" and "nan" are text in a budget
    plain = normalised.str.contains(r"^-?(\d+\.?\d*|\.\d+)$")
    value = pl.when(plain).then(normalised.cast(pl.Float64, strict=False))
    value = (
        pl.when(paren | (trailing_minus & value.is_not_null() & (value > 0)))
        .then(-value.abs())
        .otherwise(value)
    )
    is_dash = text.is_in(_DASHES)
    return pl.when(is_dash).then(pl.lit(0.0)).otherwise(value)


def status_expr(col: pl.Expr) -> pl.Expr:
    """number, zero (a dash), missing (empty cell) or text (not a number)."""
    return status_from(col, parse_expr(col))


def status_from(col: pl.Expr, value: pl.Expr) -> pl.Expr:
    """The status of text cells whose parsed numbers (`parse_expr`) are already at hand."""
    text = _clean(col)
    return (
        pl.when(col.is_null() | (col.str.strip_chars() == ""))
        .then(pl.lit(MISSING))
        .when(text.is_in(_DASHES))
        .then(pl.lit(ZERO))
        .when(value.is_not_null())
        .then(pl.lit(NUMBER))
        .otherwise(pl.lit(TEXT))
    )


def parse_number(text: str | None) -> float | None:
    """One cell's number (see module docstring); None for empty or non-numeric text."""
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    return frame.select(parse_expr(pl.col("v"))).item()


def number_status(text: str | None) -> str:
    """One cell's status: number, zero, missing or text."""
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    return frame.select(status_expr(pl.col("v"))).item()
