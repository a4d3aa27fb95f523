"""Numbers as Swedish spreadsheets publish them, parsed in bulk with polars.

Handles numeric cells (read as text by the reader), and text such as `1 234,5` (normal,
non-breaking or thin space), `−1 234` (Unicode minus), `(1 234)`, `12,3*` (note marker),
`1.234.567`, `1,234,567.5`, a unit written after the number (`1 234 kr`, `1 234:-`,
`1 234 SEK`, `12,5 mnkr`: the number as written; sources.facts reads the unit), and the dashes `-`, `–`, `—` that mean zero. Every cell gets a
status: number, zero (a dash), missing (empty), error (an Excel error value such as `#REF!`,
which the reader writes into the cell as its text) or text (not a number at all).
"""

from __future__ import annotations

import polars as pl

NUMBER, ZERO, MISSING, TEXT, ERROR = "number", "zero", "missing", "text", "error"
# Excel's error values, as a cell shows them (and as a CSV export writes them)
EXCEL_ERROR = (
    r"^#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!"
    r"|CONNECT!|BUSY!|UNKNOWN!|PYTHON!)$"
)

# Python's whitespace (str.isspace), control separators included, so that a cell counts as
# empty here exactly when it looks empty to the rest of the code
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_DASHES = ["-", "–", "—", "−", "‐", "‒", "--", "––"]
_SPACES = r"[\s\u00a0\u2007\u2009\u202f'’]"
_MINUSES = r"^[−–—‒‐]"
# a unit written after a number in its cell (group 2; ":-" is kronor)
CELL_UNIT = r"([\d)])[\s\u00a0]*(?i:(kr|kronor|sek|tkr|mnkr|mkr|mdkr)\.?|(:-))$"


def parse_series(texts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The numbers (Float64, null when none) and statuses of a column of text cells.

    Computed in stages, each materialised, so that polars evaluates every step once.
    """
    frame = (
        texts.cast(pl.String)
        .to_frame("raw")
        .with_columns(
            text=pl.col("raw")
            .str.strip_chars(WHITESPACE)
            .str.replace(r"\s*[*¹²³⁴⁵⁶⁷⁸⁹†]+$", "")
            # a unit after the number ("1 234 kr", "1 234:-", "12,5 mnkr"): the number as
            # written; the column's unit is decided from its cells (sources.facts)
            .str.replace(CELL_UNIT, "$1")
        )
    )
    frame = frame.with_columns(
        paren=pl.col("text").str.contains(r"^\(.*\)$"),
        dash=pl.col("text").is_in(_DASHES),
        body=pl.col("text")
        .str.replace(r"^\((.*)\)$", "$1")
        .str.replace(_MINUSES, "-")
        .str.replace_all(_SPACES, "")
        .str.replace(r"^\+", ""),
    )
    frame = frame.with_columns(
        # a trailing minus ("1234-") is an old accounting style for negative numbers
        trailing=pl.col("body").str.contains(r"^\d[\d.,]*-$"),
        body=pl.col("body").str.replace(r"^(\d[\d.,]*)-$", "-$1"),
    )
    frame = frame.with_columns(
        comma=pl.col("body").str.contains(",", literal=True),
        dot=pl.col("body").str.contains(".", literal=True),
        comma_last=pl.col("body").str.contains(r",[^.]*$"),
        comma_groups=pl.col("body").str.contains(r"^-?\d{1,3}(,\d{3}){2,}$"),
        dot_groups=pl.col("body").str.contains(r"^-?\d{1,3}(\.\d{3}){2,}$"),
    )
    body = pl.col("body")
    frame = frame.with_columns(
        normalised=pl.when(pl.col("comma") & pl.col("dot") & pl.col("comma_last"))
        # 1.234.567,5: dots group thousands, the comma is the decimal sign
        .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(pl.col("comma") & pl.col("dot"))
        # 1,234,567.5: commas group thousands
        .then(body.str.replace_all(",", "", literal=True))
        .when(pl.col("comma_groups"))
        .then(body.str.replace_all(",", "", literal=True))
        .when(pl.col("comma"))
        .then(body.str.replace(",", ".", literal=True))
        .when(pl.col("dot_groups"))
        .then(body.str.replace_all(".", "", literal=True))
        .otherwise(body)
    )
    # only plain decimal notation counts: "1e5", "inf" and "nan" are text in a budget
    frame = frame.with_columns(
        value=pl.when(pl.col("normalised").str.contains(r"^-?(\d+\.?\d*|\.\d+)$")).then(
            pl.col("normalised").cast(pl.Float64, strict=False)
        )
    )
    value = pl.col("value")
    frame = frame.with_columns(
        value=pl.when(pl.col("dash"))
        .then(pl.lit(0.0))
        .when(pl.col("paren") | (pl.col("trailing") & (value > 0)))
        .then(-value.abs())
        .otherwise(value)
    )
    frame = frame.with_columns(
        status=pl.when(pl.col("raw").is_null() | (pl.col("text") == ""))
        .then(pl.lit(MISSING))
        .when(pl.col("dash"))
        .then(pl.lit(ZERO))
        .when(pl.col("value").is_not_null())
        .then(pl.lit(NUMBER))
        .when(pl.col("text").str.contains(EXCEL_ERROR))
        .then(pl.lit(ERROR))
        .otherwise(pl.lit(TEXT))
    )
    return frame["value"].alias(texts.name), frame["status"].alias(texts.name)


def parse_number(text: str | None) -> float | None:
    """One cell's number (see module docstring); None for empty or non-numeric text."""
    return parse_series(pl.Series([text], dtype=pl.String))[0][0]


def number_status(text: str | None) -> str:
    """One cell's status: number, zero, missing, error or text."""
    return parse_series(pl.Series([text], dtype=pl.String))[1][0]
