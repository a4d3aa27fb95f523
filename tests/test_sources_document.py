"""Document kind, year and period from file name, titles and columns."""

from __future__ import annotations

import pytest

from pipelines.read.headers import parse_header
from pipelines.read.tables import Table, ValueColumn
from pipelines.sources.document import detect_document


def table(*headers: str) -> Table:
    columns = [
        ValueColumn(i + 1, i + 1, parse_header(h), f"{chr(66 + i)}1") for i, h in enumerate(headers)
    ]
    return Table("Blad1", [0], 1, 2, columns, [0], {0: "label"})


@pytest.mark.parametrize(
    ("file_name", "titles", "headers", "expected"),
    [
        ("Mål och budget 2026.xlsx", [], ["Budget 2026"], ("budget", 2026, None, "kommunen")),
        ("MoB 2024-2026 bilaga driftbudget.xlsx", [], ["Budget 2024"], ("budget", 2024, None, "kommunen")),
        ("bokslut-2023.xlsx", ["Uppföljning av mål 2023"], ["Utfall 2023"], ("bokslut", 2023, None, "kommunen")),
        ("Årsredovisning 2024 bilaga.xlsx", [], ["Utfall"], ("bokslut", 2024, None, "kommunen")),
        ("delarsrapport-2-2025.xlsx", [], ["Prognos helår"], ("delarsrapport", 2025, 8, "kommunen")),
        ("export.xlsx", ["Delårsrapport 1 2026"], ["Utfall"], ("delarsrapport", 2026, 4, "kommunen")),
        ("export-2024-11-03.xlsx", ["Delårsrapport 2 för 2025"], ["Utfall"], ("delarsrapport", 2025, 8, "kommunen")),
        ("rapport 2024-11-03.xlsx", ["Delårsrapport 2 2025"], ["Utfall"], ("delarsrapport", 2025, 8, "kommunen")),
        ("V budgetförslag 2024.xlsx", [], ["Majoritetens ram 2024", "V:s ram 2024"], ("forslag", 2024, None, "V")),
        ("ramar.xlsx", [], ["Majoritetens ram 2026", "V:s ram 2026"], ("forslag", 2026, None, "V")),
        ("export.xlsx", [], ["Budget 2025", "Budget 2026", "Plan 2027"], ("budget", 2026, None, "kommunen")),
        ("export.xlsx", [], ["Utfall jan-aug 2025", "Prognos 2025"], ("delarsrapport", 2025, 8, "kommunen")),
    ],
)  # fmt: skip
def test_kind_year_period_actor(file_name, titles, headers, expected):
    doc = detect_document(file_name, titles, [table(*headers)], None, None, has_goals=False)
    assert (doc.kind, doc.doc_year, doc.period_month, doc.actor) == expected


def test_flags_win_and_demo_marker():
    doc = detect_document(
        "x.xlsx", ["Demodata — påhittade belopp"], [table("Budget 2026")], "bokslut", 2020, False
    )
    assert (doc.kind, doc.doc_year, doc.is_demo) == ("bokslut", 2020, True)
