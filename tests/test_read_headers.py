"""Column meaning, year, period, actor and unit from a header's wording."""

from __future__ import annotations

import pytest

from pipelines.read.headers import ColumnMeaning, find_period_month, find_unit, parse_header


def meaning(text: str) -> tuple:
    m = parse_header(text)
    return (m.measure, m.year, m.period_month, m.full_year, m.actor)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Budget 2026", ("budget", 2026, None, False, None)),
        ("Bu 2026", ("budget", 2026, None, False, None)),
        ("BU26", ("budget", 2026, None, False, None)),
        ("Plan 2027", ("plan", 2027, None, False, None)),
        ("Bokslut 2024", ("utfall", 2024, None, False, None)),
        ("Utfall jan–aug", ("utfall", None, 8, False, None)),
        ("Utfall jan-aug 2025", ("utfall", 2025, 8, False, None)),
        ("Ack. utfall", ("utfall", None, None, False, None)),
        ("Utfall tom aug", ("utfall", None, 8, False, None)),
        ("Utfall t.o.m. april", ("utfall", None, 4, False, None)),
        ("Prognos helår", ("prognos", None, None, True, None)),
        ("Budget helår", ("budget", None, None, True, None)),
        ("Utfall jan–dec 2024", ("utfall", 2024, None, True, None)),
        ("Avvikelse", ("avvikelse", None, None, False, None)),
        ("Avvikelse budget/prognos", ("avvikelse", None, None, False, None)),
        ("Budgetavvikelse helår", ("avvikelse", None, None, True, None)),
        ("Majoritetens ram", ("budget", None, None, False, "majoriteten")),
        ("V:s ram 2026", ("budget", 2026, None, False, "V")),
        ("Vänsterpartiets förslag", ("budget", None, None, False, "V")),
        ("Differens", ("difference", None, None, False, None)),
        ("Kommunbidrag 2026", ("budget", 2026, None, False, None)),
        ("Nettokostnad 2024", ("generic", 2024, None, False, None)),
        ("Avvikelse i %", (None, None, None, False, None)),
        ("Nämnd", (None, None, None, False, None)),
        ("Verksamhet", (None, None, None, False, None)),
    ],
)
def test_wording(text, expected):
    assert meaning(text) == expected


def test_two_row_header_lower_wins_upper_fills():
    upper = parse_header("Helår 2025")
    assert meaning_of(parse_header("Prognos").merged_with(upper)) == (
        "prognos",
        2025,
        None,
        True,
        None,
    )
    jan_aug = parse_header("Jan–aug 2025")
    assert meaning_of(parse_header("Utfall").merged_with(jan_aug)) == (
        "utfall",
        2025,
        8,
        False,
        None,
    )
    # the lower row's own year and "helår" are not overridden
    assert meaning_of(parse_header("Prognos helår 2026").merged_with(jan_aug)) == (
        "prognos",
        2026,
        None,
        True,
        None,
    )


def meaning_of(m: ColumnMeaning) -> tuple:
    return (m.measure, m.year, m.period_month, m.full_year, m.actor)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Belopp i tkr", ("tkr", 1_000)),
        ("(mnkr)", ("mnkr", 1_000_000)),
        ("Mkr", ("mnkr", 1_000_000)),
        ("Belopp i miljoner kronor", ("mnkr", 1_000_000)),
        ("mdkr", ("mdkr", 1_000_000_000)),
        ("Tusentals kronor", ("tkr", 1_000)),
        ("kr", ("kr", 1)),
        ("Driftredovisning per nämnd", None),
        ("Kronobergs län", None),
    ],
)
def test_units(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("Delårsrapport 2 2025", 8),
        ("Delårsrapport 1", 4),
        ("Delårsrapport per 31 augusti 2025", 8),
        ("Tertial 1", 4),
        ("Mål och budget 2026", None),
    ],
)
def test_period_from_title(text, month):
    assert find_period_month(text) == month
