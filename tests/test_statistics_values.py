"""Numbers, units, codes and totals as the statistics formats publish them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.statistics.values import (
    is_total_label,
    money_scale,
    parse_number,
    region_kind,
    split_code,
    year_of,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (824876, (Decimal(824876), None)),
        (5.1, (Decimal("5.1"), None)),
        ("1 234,5", (Decimal("1234.5"), None)),
        ("1\u00a0234", (Decimal(1234), None)),
        ("\u22122 993", (Decimal(-2993), None)),
        ("(2 415)", (Decimal(-2415), None)),
        ("..", (None, "..")),
        (".", (None, ".")),
        ("-", (Decimal(0), "-")),
        ("–", (Decimal(0), "-")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_parse_number_rejects_text():
    with pytest.raises(ValueError):
        parse_number("Förskola")


@pytest.mark.parametrize(
    ("texts", "scale"),
    [
        (("tkr",), Decimal(1000)),
        (("Nettokostnad, tkr",), Decimal(1000)),
        (("1000-tal kronor",), Decimal(1000)),
        (("tusental kronor",), Decimal(1000)),
        (("mnkr",), Decimal(1_000_000)),
        (("kronor",), Decimal(1)),
        (("Nettokostnad, kr per invånare",), None),
        (("kr/inv",), None),
        (("andel (%)",), None),
        ((None, "Nettokostnad", "tkr"), Decimal(1000)),
    ],
)
def test_money_scale(texts, scale):
    assert money_scale(*texts) == scale


def test_split_code_keeps_numbers_that_are_part_of_the_label():
    assert split_code("407 Förskola", "407") == ("407", "Förskola")
    assert split_code("0181 Södertälje") == ("0181", "Södertälje")
    assert split_code("0 år", "0") == ("0", "0 år")
    assert split_code("1-4 år") == ("1-4", "1-4 år")
    assert split_code("Södertälje", "0181") == ("0181", "Södertälje")


def test_totals_regions_and_years():
    assert is_total_label("POLITISK VERKSAMHET, TOTALT")
    assert is_total_label("SUMMA DRIFTVERKSAMHET")
    assert is_total_label("Kommuner", "0-9")
    assert not is_total_label("Förskola", "407")
    assert [region_kind(c) for c in ("0181", "01", "00", "K02000001", None)] == [
        "kommun",
        "lan",
        "riket",
        "other",
        "other",
    ]
    assert year_of("2024") == (2024, None)
    assert year_of("2024M06") == (2024, "2024M06")
    assert year_of("CI_0019150") == (None, "CI_0019150")
