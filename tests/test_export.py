"""Exports: formula-injection escaping, xlsx and CSV round trips, PNG and PPTX."""

from __future__ import annotations

import csv
import io
import shutil

import plotly.graph_objects as go
import polars as pl
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from pipelines.export import escape_cell, to_csv_bytes, to_xlsx_bytes
from pipelines.export.slides import Slide, build_pptx

HOSTILE = [
    "=1+1",
    "+46 8 123",
    "-2+3",
    "@SUM(A1)",
    "\t=cmd",
    "\r=cmd",
    '  =HYPERLINK("http://x")',
    "\uff1d1+1",  # full-width equals sign
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_cell_neutralises_formulas(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Kulturskola", "", "1 234,5", "a=b", 12, -3.5, None, True])
def test_escape_cell_leaves_plain_values(value):
    assert escape_cell(value) == value


def test_xlsx_round_trip_keeps_numbers_and_escapes_text():
    frame = pl.DataFrame(
        {
            "organisation": ["Socialnämnden", '=HYPERLINK("http://evil")', "@kod"],
            "belopp": [1_234_500.0, -5.0, None],
            "år": [2025, 2025, 2024],
        }
    )
    data = to_xlsx_bytes({"Per nämnd": frame, "Blad/med:konstigt*namn?": frame}, ["-källa"])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Per nämnd", "Blad_med_konstigt_namn_", "Om data"]
    ws = wb["Per nämnd"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("organisation", "belopp", "år")
    assert rows[1] == ("Socialnämnden", 1_234_500.0, 2025)
    assert rows[2] == ('\'=HYPERLINK("http://evil")', -5.0, 2025)
    assert rows[3] == ("'@kod", None, 2024)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert wb["Om data"]["A1"].value == "'-källa"


def test_csv_is_swedish_excel_and_escaped():
    frame = pl.DataFrame({"text": ["=1+1", "ok"], "belopp": [1.5, -2.0]})
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["text", "belopp"], ["'=1+1", "1,5"], ["ok", "-2,0"]]


def _bar() -> go.Figure:
    return go.Figure(go.Bar(x=["2024", "2025"], y=[20, 26], name="Budget"))


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("google-chrome")), reason="ingen Chrome"
)
def test_png_and_pptx_with_chart_images():
    from pipelines.export.images import chart_png

    png = chart_png(_bar(), 640, 360)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    deck = build_pptx(
        [
            Slide("Avgiftsfri kulturskola", ["Budget 2025: 26,0 mnkr"], chart=_bar(), note="källa"),
            Slide("Tabell", table=[["Nämnd", "Belopp"], ["=x", "1"]]),
            Slide("Ännu ett diagram", chart=_bar()),
        ],
        footer="Demodata — påhittade belopp",
    )
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slides) == 3
    pictures = [
        [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE] for slide in prs.slides
    ]
    assert [len(p) for p in pictures] == [1, 0, 1]
    assert pictures[0][0].image.content_type == "image/png"
    texts = " ".join(
        shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame
    )
    assert "Avgiftsfri kulturskola" in texts and "Demodata" in texts


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("google-chrome")), reason="ingen Chrome"
)
def test_overview_and_proposal_decks_from_the_database(tmp_path, config, monkeypatch):
    from test_dashboard_data import build_fixture_db

    from pipelines.dashboard import charts, present
    from pipelines.dashboard import overview as ov
    from pipelines.dashboard import queries as q
    from pipelines.db import connect_read

    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    db = build_fixture_db(tmp_path, config)
    con = connect_read(db.db_path)
    o = ov.overview(con, 2025)
    sources = q.source_index(q.mapped_lines(con, None))
    deck = present.overview_pptx(
        o,
        charts.proposals_chart(o.proposals, sources, 2025),
        charts.organisation_changes_chart(o.organisations, 2025),
        demo=True,
    )
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slides) == 3
    first = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "1 326,0 mnkr".replace(" ", "\u00a0") in first and "Demodata" in first
    fund = q.funding(con, "p-kulturskola")
    fig = charts.funding_chart(fund, sources, "Avgiftsfri kulturskola")
    deck = present.proposal_pptx(
        q.proposal(con, "p-kulturskola"),
        "Status: ingen satt",
        ["Antagen budget 2025: 26,0 mnkr"],
        fig,
        q.related_goals(con, "p-kulturskola"),
        demo=True,
    )
    prs = Presentation(io.BytesIO(deck))
    kinds = [[s.shape_type for s in slide.shapes] for slide in prs.slides]
    assert len(kinds) == 3 and MSO_SHAPE_TYPE.PICTURE in kinds[1]
    assert MSO_SHAPE_TYPE.TABLE in kinds[2]  # the goals with their colours


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("google-chrome")), reason="ingen Chrome"
)
def test_comparison_deck(tmp_path, config, monkeypatch):
    from test_dashboard_data import build_fixture_db

    from pipelines.dashboard import charts, present
    from pipelines.dashboard import compare as cmp
    from pipelines.dashboard import queries as q
    from pipelines.db import connect_read

    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    con = connect_read(build_fixture_db(tmp_path, config).db_path)
    all_slices = q.slices(con)
    c = cmp.compare(con, q.adopted_budget(all_slices, 2024), q.adopted_budget(all_slices, 2025))
    fig = charts.waterfall_chart(cmp.waterfall_steps(c), "Från A till B", False, {})
    orgs, _ = present.comparison_tables(c)
    prs = Presentation(io.BytesIO(present.comparison_pptx(c, fig, orgs, "mnkr", demo=False)))
    assert len(prs.slides) == 3
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in prs.slides[1].shapes)
    table = next(s for s in prs.slides[2].shapes if s.has_table).table
    assert table.cell(1, 0).text == orgs["Organisation"][0]


def test_page_downloads_carry_numbers_not_formatted_text(tmp_path, config, monkeypatch):
    from test_dashboard_data import build_fixture_db

    from pipelines.dashboard import compare as cmp
    from pipelines.dashboard import overview as ov
    from pipelines.dashboard import present
    from pipelines.dashboard import queries as q
    from pipelines.db import connect_read

    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    con = connect_read(build_fixture_db(tmp_path, config).db_path)
    all_slices = q.slices(con)
    c = cmp.compare(con, q.adopted_budget(all_slices, 2024), q.adopted_budget(all_slices, 2025))
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(present.comparison_export(c))))
    rows = {r[0]: r for r in wb["Per nämnd"].iter_rows(min_row=2, values_only=True)}
    assert rows["Utbildningsnämnden"][1:4] == (1_000_000_000, 1_030_000_000, 30_000_000)
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(present.overview_export(ov.overview(con, 2025)))))
    header = [cell.value for cell in wb["Förslag"][1]]
    kultur = next(
        r for r in wb["Förslag"].iter_rows(min_row=2, values_only=True) if r[0] == "p-kulturskola"
    )
    assert kultur[header.index("Budget 2025 (kr)")] == 26_000_000
