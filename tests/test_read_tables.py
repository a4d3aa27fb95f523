"""Tables found without a template: header rows, two-row headers, several tables, goals."""

from __future__ import annotations

import openpyxl

from pipelines.config import Limits
from pipelines.read.files import read_csv, read_workbook
from pipelines.read.tables import find_tables, make_grid


def summary(table):
    return (
        table.header_rows,
        table.first_row,
        table.last_row,
        [
            (v.header_cell, v.meaning.measure, v.meaning.year, v.meaning.period_month)
            for v in table.value_columns
        ],
        table.label_columns,
    )


def test_csv_two_row_header_without_merge_information(tmp_path):
    path = tmp_path / "dr.csv"
    path.write_text(
        "Delårsrapport 2 2025;;;;\n"
        "Belopp i tkr;;;;\n"
        ";Jan–aug 2025;;Helår 2025;\n"
        "Nämnd;Budget;Utfall;Budget;Prognos\n"
        "Socialnämnden;800;850;1200;1260\n"
        "Summa;800;850;1200;1260\n",
        encoding="utf-8",
    )
    (sheet,) = read_csv(path, Limits())
    tables, goals = find_tables(make_grid(sheet))
    assert goals == []
    assert [summary(t) for t in tables] == [
        (
            [2, 3],
            4,
            5,
            [
                ("B4", "budget", 2025, 8),
                ("C4", "utfall", 2025, 8),
                ("D4", "budget", 2025, None),
                ("E4", "prognos", 2025, None),
            ],
            [0],
        )
    ]
    assert tables[0].context == ["Delårsrapport 2 2025", "Belopp i tkr"]


def test_several_tables_title_between_and_offset_start(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad"
    # the table starts in column C, row 3: positions must stay absolute
    ws["C3"] = "Driftbudget (mnkr)"
    ws.append([])
    for row in [
        [None, None, "Nämnd", "Budget 2026", "Plan 2027"],
        [None, None, "Miljönämnden", 10, 11],
        [None, None, None, None, None],
        [None, None, "Investeringar per projekt (mnkr)"],
        [None, None, "Projekt", "Budget 2026"],
        [None, None, "Ny skola", 40],
        [None, None, "Not: beloppen avser utgifter"],
    ]:
        ws.append(row)
    wb.save(tmp_path / "b.xlsx")
    (sheet,) = read_workbook(tmp_path / "b.xlsx", "xlsx", Limits())
    tables, _ = find_tables(make_grid(sheet))
    assert [summary(t) for t in tables] == [
        ([4], 5, 5, [("D5", "budget", 2026, None), ("E5", "plan", 2027, None)], [0]),
        ([8], 9, 9, [("D9", "budget", 2026, None)], [0]),
    ]
    assert tables[1].context == ["Investeringar per projekt (mnkr)"]
    assert tables[0].range_ref(sheet) == "C5:E6"


def test_merged_upper_header_spreads_over_its_columns_only(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Delårsrapport 2025"])
    ws.append([None, "Helår 2025", None, None])
    ws.append(["Nämnd", "Budget", "Prognos", "Utfall 2024"])
    ws.append(["Miljönämnden", 10, 11, 9])
    ws.merge_cells("B2:C2")
    wb.save(tmp_path / "m.xlsx")
    (sheet,) = read_workbook(tmp_path / "m.xlsx", "xlsx", Limits())
    assert sheet.merges == [(1, 1, 1, 2)]
    (table,), _ = find_tables(make_grid(sheet))
    assert [
        (v.meaning.measure, v.meaning.year, v.meaning.full_year) for v in table.value_columns
    ] == [
        ("budget", 2025, True),
        ("prognos", 2025, True),
        ("utfall", 2024, False),
    ]


def test_goal_table_columns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [
        ["Måluppfyllelse"],
        ["Nämndmål", "Ansvarig nämnd", "Bedömning", "Kommentar"],
        ["Fler i arbete", "ANN", "Grön", "Bra"],
    ]:
        ws.append(row)
    wb.save(tmp_path / "g.xlsx")
    (sheet,) = read_workbook(tmp_path / "g.xlsx", "xlsx", Limits())
    tables, (goal,) = find_tables(make_grid(sheet))
    assert tables == []
    assert (goal.header_row, goal.first_row, goal.last_row) == (1, 2, 2)
    assert (goal.goal_col, goal.org_col, goal.assess_col, goal.analysis_col) == (0, 1, 2, 3)
