"""Formula-injection escaping for cells written to xlsx or CSV."""

from __future__ import annotations

from typing import Any

# A spreadsheet program treats text beginning with one of these as a formula (or, for tab
# and carriage return, as a cell separator that can smuggle one in). OWASP's CSV-injection
# advice: prefix such text with an apostrophe so it stays text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula made inert.

    Numbers, dates, booleans and None pass unchanged (a negative number is a number, not a
    formula). Text beginning with = + - @ (also their full-width forms), tab, CR or LF, after
    any leading spaces, gets a leading apostrophe.
    """
    if not isinstance(value, str):
        return value
    if value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
