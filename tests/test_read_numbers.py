"""Swedish number parsing: every published style, and round trips for any amount."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.read.numbers import number_status, parse_number, parse_series


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("1 234,5", 1234.5, "number"),
        ("1\u00a0234", 1234.0, "number"),
        ("1\u202f234,25", 1234.25, "number"),
        ("−1 234", -1234.0, "number"),
        ("–1 234", -1234.0, "number"),
        ("(1 234)", -1234.0, "number"),
        ("(1 234)*", -1234.0, "number"),
        ("12,3*", 12.3, "number"),
        ("12,3 *", 12.3, "number"),
        ("1234-", -1234.0, "number"),
        ("+5", 5.0, "number"),
        ("1.234.567", 1234567.0, "number"),
        ("1.234.567,5", 1234567.5, "number"),
        ("1,234,567.5", 1234567.5, "number"),
        ("1234.5", 1234.5, "number"),
        ("0", 0.0, "number"),
        ("-", 0.0, "zero"),
        ("–", 0.0, "zero"),
        ("—", 0.0, "zero"),
        ("", None, "missing"),
        ("   ", None, "missing"),
        (None, None, "missing"),
        ("uppgift saknas", None, "text"),
        ("1e5", None, "text"),
        ("inf", None, "text"),
        ("2025-01-03 00:00:00", None, "text"),
    ],
)
def test_published_styles(text, value, status):
    assert parse_number(text) == value
    assert number_status(text) == status


def swedish(amount: Decimal, style: str) -> str:
    """`amount` written the way a Swedish report might write it."""
    negative = amount < 0
    digits = f"{abs(amount):,.2f}"  # 1,234,567.89
    whole, frac = digits.split(".")
    space = {"space": " ", "nbsp": "\u00a0", "thin": "\u202f"}.get(style, " ")
    body = whole.replace(",", space) + "," + frac
    if not negative:
        return body
    if style == "paren":
        return f"({body})"
    if style == "unicode":
        return f"\u2212{body}"
    return f"-{body}"


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(
        min_value=Decimal("-999999999999.99"),
        max_value=Decimal("999999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    style=st.sampled_from(["space", "nbsp", "thin", "paren", "unicode", "plain"]),
    note=st.booleans(),
)
def test_round_trip(amount, style, note):
    text = swedish(amount, style) + ("*" if note else "")
    assert parse_number(text) == pytest.approx(float(amount), abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=30))
def test_never_raises_and_statuses_are_known(texts):
    values, statuses = parse_series(pl.Series(texts, dtype=pl.String))
    assert len(values) == len(statuses) == len(texts)
    assert set(statuses.to_list()) <= {"number", "zero", "missing", "text"}
    for value, status in zip(values.to_list(), statuses.to_list(), strict=True):
        assert (value is None) == (status in ("missing", "text"))
