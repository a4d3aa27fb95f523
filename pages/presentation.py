"""Presentation mode for member meetings: large type, one chart per screen, next/previous,
and the deck as PPTX or the current chart as PNG."""

import html

import polars as pl
import streamlit as st

from pipelines import kommundelar as kd
from pipelines import presentation as pres
from pipelines import ui
from pipelines.export.slides import build_pptx
from pipelines.sources_view import download_png, download_pptx

BIG_TYPE = """
<style>
[data-testid="stMain"] h1 { font-size: 3.4rem; line-height: 1.15; }
[data-testid="stMain"] .deck-line { font-size: 1.9rem; line-height: 1.35; margin-bottom: 0.6rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th { font-size: 1.5rem; }
[data-testid="stMain"] [data-testid^="stBaseButton"] p { font-size: 1.5rem; }
</style>
"""


@st.cache_data(max_entries=4)
def _proposals(version):
    return pres.proposal_choices(ui.connection())


@st.cache_data(max_entries=4)
def _years(version):
    return kd.budget_years(ui.connection())


@st.cache_data(max_entries=4)
def _reports(version):
    return pres.ord_reports(ui.connection())


@st.cache_data(max_entries=32)
def _deck(version, kind, choice):
    con = ui.connection()
    if kind == "forslag":
        return pres.proposal_deck(con, choice)
    if kind == "oversikt":
        return pres.overview_deck(con, choice)
    if kind == "kommundelar":
        return pres.kommundelar_deck(con, choice)
    return pres.ord_deck(con, choice)


def _step(delta, size):
    st.session_state.pres_index = max(0, min(size - 1, st.session_state.pres_index + delta))


ui.require_connection()
ui.demo_banner()
st.html(BIG_TYPE)
version = ui.db_version()

# The controls live in the sidebar (collapse it on the projector); the main area is the slide.
with st.sidebar:
    st.subheader("Presentation")
    kind = st.radio("Visa", list(pres.DECKS), format_func=pres.DECKS.get, key="pres_deck")
    choice = None
    if kind == "forslag":
        proposals = dict(_proposals(version))
        if proposals:
            choice = st.selectbox(
                "Förslag", list(proposals), format_func=proposals.get, key="pres_proposal"
            )
    elif kind in ("oversikt", "kommundelar"):
        years = _years(version)
        if years:
            choice = st.selectbox("År", years, key="pres_year")
    else:
        reports = _reports(version)
        if reports:
            choice = st.selectbox(
                "Rapport", reports, format_func=lambda r: pres.report_label(*r), key="pres_report"
            )

deck = _deck(version, kind, choice) if choice is not None else []
if not deck:
    st.info("Det finns inget att visa här ännu: läs in program, budget och rapporter först.")
    st.stop()

# A new deck starts at its first slide.
if st.session_state.get("pres_for") != (kind, choice):
    st.session_state.pres_for = (kind, choice)
    st.session_state.pres_index = 0
st.session_state.pres_index = min(st.session_state.get("pres_index", 0), len(deck) - 1)
index = st.session_state.pres_index
slide = deck[index]

prev_col, count_col, next_col = st.columns([1, 2, 1])
prev_col.button(
    "◀ Föregående",
    key="pres_prev",
    on_click=_step,
    args=(-1, len(deck)),
    disabled=index == 0,
    width="stretch",
)
count_col.markdown(
    f"<div style='text-align:center;font-size:1.6rem'>Bild {index + 1} av {len(deck)}</div>",
    unsafe_allow_html=True,
)
next_col.button(
    "Nästa ▶",
    key="pres_next",
    on_click=_step,
    args=(1, len(deck)),
    disabled=index == len(deck) - 1,
    width="stretch",
)

st.title(slide.title)
for line in slide.lines:
    # Text from documents is shown as text, never as markdown or HTML.
    st.markdown(f"<div class='deck-line'>{html.escape(line)}</div>", unsafe_allow_html=True)
if slide.chart is not None:
    # Plotly's own theme: Streamlit's theme would shrink the projector-sized type again.
    st.plotly_chart(pres.projector(slide.chart), key=f"pres_chart_{index}", theme=None)
elif slide.table:
    st.table(pl.DataFrame(slide.table[1:], schema=list(slide.table[0]), orient="row"))
if slide.note:
    st.caption(slide.note)

footer = ui.DEMO_TEXT.split("**")[1] if ui.has_demo_data() else "Verkstad"
name = f"verkstad-{kind}-{choice}".replace(" ", "-").replace(",", "")
with st.expander("Exportera"):
    download_pptx(
        lambda: build_pptx(deck, footer=footer), name, key="pres", label="Hela bildspelet som PPTX"
    )
    if slide.chart is not None:
        download_png(slide.chart, f"{name}-{index + 1}", key="pres")
