"""Swedish number formatting for pages and exports: "1 234,5 mnkr", "12 %"."""

from __future__ import annotations

import math

NBSP = "\u00a0"
UNITS = {"kr": 1, "tkr": 1_000, "mnkr": 1_000_000, "mdkr": 1_000_000_000}


def number(value: float | int | None, decimals: int = 0) -> str:
    """A number in sv-SE style: space as thousands separator, comma as decimal sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", NBSP)
    return text.replace("-", "\u2212")


def sek(amount_sek: float | int | None, unit: str = "mnkr", decimals: int = 1) -> str:
    """Kronor shown in `unit`, e.g. sek(1_234_500_000) == '1 234,5 mnkr'."""
    if amount_sek is None:
        return "–"
    return f"{number(float(amount_sek) / UNITS[unit], decimals)}{NBSP}{unit}"


def percent(share: float | None, decimals: int = 0) -> str:
    """A share (0.12) as '12 %'."""
    if share is None:
        return "–"
    return f"{number(share * 100, decimals)}{NBSP}%"
