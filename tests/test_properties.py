"""Property tests (hypothesis) for the Swedish number parser and the header detection."""

from __future__ import annotations

import math
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pipelines.read.files import Sheet
from pipelines.read.numbers import MISSING, NUMBER, TEXT, ZERO, parse_number, parse_series
from pipelines.read.tables import find_tables, make_grid

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- numbers ------------------------------------------------------------------------------

SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009"])
MINUS = st.sampled_from(["-", "\u2212", "\u2013"])


def swedish(cents: int, space: str, minus: str, style: str, note: str) -> str:
    """An amount in öre written as a Swedish spreadsheet shows it."""
    negative = cents < 0
    whole, frac = divmod(abs(cents), 100)
    digits = f"{whole:,}".replace(",", space)
    text = f"{digits},{frac:02d}" if frac else digits
    if negative:
        text = f"({text})" if style == "paren" else f"{minus}{text}"
    return text + note


@SETTINGS
@given(
    cents=st.integers(-(10**13), 10**13),
    space=SPACES,
    minus=MINUS,
    style=st.sampled_from(["minus", "paren"]),
    note=st.sampled_from(["", "*", " *", "¹"]),
)
@example(cents=-123450, space="\u00a0", minus="\u2212", style="minus", note="")
@example(cents=100_000_000, space=" ", minus="-", style="minus", note="*")
def test_swedish_text_numbers_round_trip(cents, space, minus, style, note):
    text = swedish(cents, space, minus, style, note)
    value = parse_number(text)
    assert value is not None, text
    assert Decimal(str(value)).quantize(Decimal("0.01")) == Decimal(cents) / 100, text


@SETTINGS
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_numeric_cells_as_calamine_prints_them(value):
    """A numeric cell arrives as plain decimal text (repr of a float)."""
    text = repr(value)
    assume("e" not in text)  # calamine prints plain decimals for amounts of this size
    parsed = parse_number(text)
    assert parsed == value


@SETTINGS
@given(dash=st.sampled_from(["-", "–", "—", "−"]), pad=st.sampled_from(["", " ", "  "]))
def test_dashes_are_zero(dash, pad):
    text = f"{pad}{dash}{pad}"
    assert parse_number(text) == 0.0
    assert parse_series(pl.Series([text]))[1][0] == ZERO


@SETTINGS
@given(st.text(max_size=40))
def test_any_text_gives_a_finite_number_or_nothing(text):
    value = parse_number(text)
    status = parse_series(pl.Series([text], dtype=pl.String))[1][0]
    assert status in (NUMBER, ZERO, MISSING, TEXT)
    assert (value is None) == (status in (MISSING, TEXT)), (text, value, status)
    if value is not None:
        assert math.isfinite(value)
    if not text.strip():
        assert status == MISSING


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers().map(str)), max_size=30))
def test_bulk_parse_equals_one_by_one(texts):
    values, statuses = parse_series(pl.Series(texts, dtype=pl.String))
    for text, value, status in zip(texts, values, statuses, strict=True):
        single = parse_number(text)
        assert (single is None and value is None) or single == value, text
        assert status == parse_series(pl.Series([text], dtype=pl.String))[1][0]


@SETTINGS
@given(st.sampled_from(["inf", "nan", "1e5", "-inf", "Infinity", "1E3", "0x10"]))
def test_scientific_and_special_values_are_text(text):
    assert parse_number(text) is None


# --- header detection ---------------------------------------------------------------------

ORGS = [
    "Kommunstyrelsen",
    "Utbildningsnämnden",
    "Kultur- och fritidsnämnden",
    "Socialnämnden",
    "Tekniska nämnden",
    "Miljönämnden",
]
TITLE_WORDS = ["Södertälje kommun", "Driftredovisning", "Uppdaterad 15 mars", "Not 1", "Bilaga 3"]
# amounts of every size, often in 1950–2099, where a row of them could be taken for years
AMOUNT = st.one_of(st.integers(1950, 2099), st.integers(0, 10**9))


def sheet_of(rows: list[list[str | None]], width: int) -> Sheet:
    data = {f"c{j}": [r[j] if j < len(r) else None for r in rows] for j in range(width)}
    frame = pl.DataFrame(data, schema={f"c{j}": pl.String for j in range(width)})
    return Sheet("Blad1", frame, list(range(width)))


@st.composite
def budget_sheet(draw, amount=AMOUNT):
    """Title rows, notes and blank rows above a budget table; returns (rows, above, table)."""
    above = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["blank", "title", "unit"]))
        if kind == "blank":
            above.append([None, None, None])
        elif kind == "title":
            above.append([draw(st.sampled_from(TITLE_WORDS)), None, None])
        else:
            above.append([draw(st.sampled_from(["Belopp i tkr", "(mnkr)", "Mkr"])), None, None])
    orgs = draw(st.lists(st.sampled_from(ORGS), min_size=1, max_size=6, unique=True))
    table = [(org, draw(amount), draw(amount)) for org in orgs]
    as_text = draw(st.booleans())

    def cell(n: int) -> str:
        return f"{n:,}".replace(",", "\u00a0") if as_text else str(n)

    rows = [*above, ["Nämnd", "Budget 2026", "Plan 2027"]]
    rows += [[org, cell(a), cell(b)] for org, a, b in table]
    return rows, len(above), table


def _check_found(rows, above, table):
    grid = make_grid(sheet_of(rows, 3))
    tables, goals = find_tables(grid)
    assert goals == []
    assert len(tables) == 1, [t.header_rows for t in tables]
    (t,) = tables
    assert t.header_rows[-1] == above
    assert t.first_row == above + 1 and t.last_row == above + len(table)
    meanings = [(v.meaning.measure, v.meaning.year, v.header_cell) for v in t.value_columns]
    assert meanings == [("budget", 2026, f"B{above + 1}"), ("plan", 2027, f"C{above + 1}")]
    got = grid.values.slice(t.first_row, len(table)).select("c1", "c2").rows()
    assert got == [(float(a), float(b)) for _, a, b in table]


@SETTINGS
@given(budget_sheet())
def test_header_found_under_any_titles_and_blank_rows(case):
    rows, above, table = case
    _check_found(rows, above, table)


@SETTINGS
@given(budget_sheet(), st.integers(1, 4))
def test_blank_rows_after_the_table_change_nothing(case, trailing):
    rows, above, table = case
    rows = rows + [[None, None, None]] * trailing
    _check_found(rows, above, table)


def test_amounts_that_look_like_years_stay_amounts():
    rows = [
        ["Belopp i tkr", None, None],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", "5000", "6000"],
        ["Socialnämnden", "2019", "2024"],
        ["Tekniska nämnden", "7000", "8000"],
    ]
    _check_found(rows, 1, [("Kommunstyrelsen", 5000, 6000), ("Socialnämnden", 2019, 2024),
                           ("Tekniska nämnden", 7000, 8000)])  # fmt: skip
