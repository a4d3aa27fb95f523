"""The indicator trend beside a proposal's money, for the Förslag page (one call per page).

`show_indicators(con, proposal_id)` renders, for each indicator linked to the proposal in
data/indicators/links.csv, the yearly series for Södertälje with the direction that counts
as progress, the latest change, the source, and a demo label when the series is invented.
"""

from __future__ import annotations

import duckdb
import plotly.express as px
import polars as pl
import streamlit as st

from pipelines import fmt
from pipelines.statistics.queries import indicators_for_proposal

DIRECTION_TEXT = {"lower": "lägre värde är framsteg", "higher": "högre värde är framsteg"}


def indicator_figure(series: pl.DataFrame, title: str):
    """A line chart of one indicator's yearly values (gaps stay gaps)."""
    fig = px.line(
        series.select("year", "value").to_pandas(),
        x="year",
        y="value",
        markers=True,
        labels={"year": "År", "value": ""},
        title=title,
        height=300,
    )
    fig.update_layout(separators=", ", margin={"t": 48, "b": 24, "l": 24, "r": 24})
    fig.update_xaxes(dtick=1)
    return fig


def show_indicators(con: duckdb.DuckDBPyConnection, proposal_id: str) -> pl.DataFrame:
    """Render the proposal's outcome indicators; returns the series shown (may be empty)."""
    table = indicators_for_proposal(con, proposal_id)
    st.subheader("Utfall: indikatorer")
    if table.is_empty():
        st.caption(
            "Inget utfallsmått är kopplat till förslaget, eller så är dess statistik inte "
            "inläst (data/indicators/links.csv, `verkstad fetch kolada`)."
        )
        return table
    for (kpi,), series in table.group_by("kpi", maintain_order=True):
        title = series["kpi_title"][0] or kpi
        known = series.filter(pl.col("value").is_not_null())
        if series["is_demo"].any():
            st.warning(
                f"**Demodata — påhittade värden** för {title}, inte Koladas siffror.", icon="⚠️"
            )
        st.plotly_chart(
            indicator_figure(series, f"{title} ({kpi})"), width="stretch", key=f"indikator_{kpi}"
        )
        text = DIRECTION_TEXT[series["direction"][0]]
        if known.height >= 2:
            first, last = known.row(0, named=True), known.row(-1, named=True)
            change = last["value"] - first["value"]
            better = (change < 0) == (series["direction"][0] == "lower")
            verdict = "oförändrat" if change == 0 else ("framsteg" if better else "bakslag")
            text += (
                f". {first['year']}–{last['year']}: {fmt.number(first['value'], 1)} → "
                f"{fmt.number(last['value'], 1)}, {verdict}"
            )
        sources = ", ".join(sorted({s for s in series["source"].to_list() if s}))
        st.caption(f"{text}. {series['why'][0]} Källa: {sources}.")
    return table
