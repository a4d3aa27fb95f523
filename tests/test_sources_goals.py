"""Goal assessments from words, symbols and colours."""

from __future__ import annotations

import pytest
from openpyxl.styles.colors import Color

from pipelines.sources.goals import _rgb, assessment_from_rgb, assessment_from_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grön", "grön"),
        ("Uppfyllt", "grön"),
        ("Helt uppfyllt", "grön"),
        ("Delvis uppfyllt", "gul"),
        ("Gul", "gul"),
        ("Ej uppfyllt", "röd"),
        ("Inte uppnått", "röd"),
        ("Röd", "röd"),
        ("Ej bedömd", "ej bedömd"),
        ("Kan inte bedömas", "ej bedömd"),
        ("✔", "grön"),
        ("▲", "gul"),
        ("✖", "röd"),
        ("", None),
        ("Se analys", None),
    ],
)
def test_words_and_symbols(text, expected):
    assert assessment_from_text(text) == expected


@pytest.mark.parametrize(
    ("color", "expected"),
    [
        (Color(rgb="FF00B050"), "grön"),
        (Color(rgb="FF92D050"), "grön"),
        (Color(rgb="FFFFC000"), "gul"),
        (Color(rgb="FFFFFF00"), "gul"),
        (Color(rgb="FFFF0000"), "röd"),
        (Color(indexed=17), "grön"),  # the old palette's green
        (Color(indexed=13), "gul"),
        (Color(indexed=10), "röd"),
        (Color(theme=6), None),
        (Color(rgb="FFFFFFFF"), None),
        (None, None),
    ],
)
def test_fill_colours(color, expected):
    assert assessment_from_rgb(_rgb(color)) == expected
