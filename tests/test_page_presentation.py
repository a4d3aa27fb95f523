"""Presentation mode: decks from the database, next/previous, PPTX export."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from test_page_kommundelar import add_proposals
from test_page_ord import make_db

from pipelines import fmt
from pipelines import presentation as pres
from pipelines.config import ROOT
from pipelines.db import connect_read, write_transaction
from pipelines.export.slides import build_pptx


@pytest.fixture
def db(config, tmp_path):
    path = make_db(config, tmp_path)
    with write_transaction(path) as con:
        add_proposals(
            con,
            [
                (
                    "p1",
                    "Kultur",
                    "Avgiftsfri kulturskola",
                    "Kulturskolan ska vara avgiftsfri.",
                    False,
                ),
                ("p2", "Demokrati", "Medborgardialog i Järna", "Möten i Järna.", True),
            ],
        )
    return path


def _app() -> AppTest:
    return (
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        .run()
        .switch_page(str(ROOT / "pages" / "presentation.py"))
        .run()
    )


def _counter(at) -> str:
    return next(m.value for m in at.markdown if "Bild " in m.value)


def test_decks_from_the_database(db):
    con = connect_read(db)
    ord_deck = pres.ord_deck(con, (2025, "2025-08"))
    assert [s.title for s in ord_deck] == [
        "Ord mot verkstad — 2025, delår jan–aug",
        "Vad analyserna handlar om",
        "Färg mot pengar",
        "Gröna, men inget hände",
    ]
    assert "Gröna, men inget hände: 1" in ord_deck[0].lines
    assert ord_deck[3].table[1][1] == "Kommunstyrelsen"
    deck = pres.proposal_deck(con, "p1")
    assert deck[0].title == "Avgiftsfri kulturskola"
    assert pres.proposal_deck(con, "no-such-id") == []
    assert len(pres.kommundelar_deck(con, 2025)) == 3


def test_next_and_previous_through_the_ord_deck(db):
    at = _app()
    assert not at.exception, at.exception
    assert at.title[0].value == "Avgiftsfri kulturskola"
    at.radio(key="pres_deck").set_value("ord").run()
    assert not at.exception
    assert at.title[0].value == "Ord mot verkstad — 2025, delår jan–aug"
    assert "Bild 1 av 4" in _counter(at)
    assert at.button(key="pres_prev").disabled
    for n in (2, 3, 4):
        at.button(key="pres_next").click().run()
        assert not at.exception
        assert f"Bild {n} av 4" in _counter(at)
    assert at.button(key="pres_next").disabled
    assert at.title[0].value == "Gröna, men inget hände"
    at.button(key="pres_prev").click().run()
    assert at.title[0].value == "Färg mot pengar"
    # another deck starts at its first slide
    at.radio(key="pres_deck").set_value("kommundelar").run()
    assert not at.exception
    assert "Bild 1 av 3" in _counter(at)
    at.radio(key="pres_deck").set_value("oversikt").run()
    assert not at.exception


def test_choose_a_proposal(db):
    at = _app()
    at.selectbox(key="pres_proposal").set_value("p2").run()
    assert not at.exception
    assert at.title[0].value == "Medborgardialog i Järna"


def test_deck_exports_to_pptx_with_chart_images(db):
    con = connect_read(db)
    deck = pres.ord_deck(con, (2025, "2025-08"))
    data = build_pptx(deck, footer="test")
    slides = Presentation(io.BytesIO(data)).slides
    assert len(slides) == len(deck)
    pictures = [s for s in slides if any(sh.shape_type == 13 for sh in s.shapes)]
    assert len(pictures) == sum(1 for s in deck if s.chart is not None)


def test_proposal_deck_money_lines(db, monkeypatch):
    """The money slide: the latest adopted year with its change, and V:s förslag."""
    import polars as pl

    fund = pl.DataFrame(
        {
            "proposal_id": ["p1"] * 4,
            "year": [2024, 2025, 2026, 2025],
            "document": ["budget", "budget", "budget", "forslag"],
            "measure": ["budget", "budget", "plan", "budget"],
            "amount_sek": [4e6, 5e6, 5e6, 6e6],
            "amount_fixed_sek": [4.2e6, 5e6, 4.9e6, 6e6],
            "amount_per_invanare": [None] * 4,
        },
        schema_overrides={"amount_per_invanare": pl.Float64},
    )
    monkeypatch.setattr(pres.dq, "funding", lambda con, pid=None: fund)
    con = connect_read(db)
    money = pres.proposal_deck(con, "p1")[1]
    assert money.title == "Pengarna år för år" and money.chart is not None
    assert money.lines == [
        f"Antagen budget 2025: {fmt.sek(5e6)}",
        f"Förändring mot 2024: {fmt.sek(1e6)} i löpande priser, {fmt.sek(0.8e6)} i fasta priser",
        f"V:s förslag 2025: {fmt.sek(6e6)}",
    ]
    assert [p for p, _ in pres.proposal_choices(con)][:1] == ["p1"]
