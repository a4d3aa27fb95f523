"""Kommundelar: the four kommundelsnämnder and the town — budget, investments, per invånare,
and the program's proposals that name Kommundelsnämnderna."""

import polars as pl
import streamlit as st

from pipelines import fmt, ui
from pipelines import kommundelar as kd
from pipelines.kommundelar import charts
from pipelines.sources_view import download_data, download_png, show_sources


@st.cache_data(max_entries=4)
def _data(version):
    """Every KDN fact, investment and proposal, read once per database version."""
    con = ui.connection()
    return kd.budget_years(con), kd.load(con)


@st.cache_data(max_entries=32)
def _overview(version, year):
    data = _data(version)[1]
    return kd.overview(data, year), kd.unassigned_investments(data, year)


@st.cache_data(max_entries=64)
def _detail(version, kommundel, year):
    data = _data(version)[1]
    return (
        kd.drift_series(data, kommundel),
        kd.drift_lines(data, kommundel, year),
        kd.investments_in(data, year).filter(pl.col("kommundel") == kommundel),
        kd.proposals(data, kommundel, year),
    )


def _pick_tile():
    """A click on a tile chooses its kommundel (before the rerun draws the selectbox)."""
    points = st.session_state.kd_map.selection.points
    if points:
        picked = points[0].get("customdata")
        st.session_state.kd_kommundel = picked[0] if isinstance(picked, list) else picked


ui.require_connection()
ui.demo_banner()
st.title("Kommundelar")
st.caption(
    "Järna, Enhörna, Hölö-Mörkö och Vårdinge-Mölnbo har egna kommundelsnämnder; staden har "
    "ingen, där ansvarar facknämnderna direkt. Kartan är schematisk: en ruta per kommundel, "
    "ungefär där den ligger."
)
version = ui.db_version()
years = _data(version)[0]
if not years:
    st.info("Ingen antagen budget är inläst ännu. Läs in Mål och budget med `verkstad ingest`.")
    st.stop()

left, mid, right = st.columns([1, 2, 2])
year = left.selectbox("År", years, key="kd_year")
overview, unassigned = _overview(version, year)
measure = mid.radio(
    "Färg på kartan",
    list(charts.MEASURES),
    format_func=lambda m: charts.MEASURES[m][0],
    horizontal=True,
    key="kd_measure",
)
labels = dict(zip(overview["kommundel"], overview["label"], strict=True))
# Start on the first kommundel with its own nämnd: the town has no KDN budget to show.
first_kdn = next((i for i, org in enumerate(overview["organisation"]) if org), 0)
chosen = right.selectbox(
    "Kommundel", list(labels), index=first_kdn, format_func=labels.get, key="kd_kommundel"
)

table = overview.select(
    pl.col("label").alias("Kommundel"),
    pl.col("drift_budget")
    .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
    .alias("Driftbudget"),
    pl.col("drift_change")
    .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
    .alias("Förändring"),
    pl.col("drift_change_fixed")
    .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
    .alias("Förändring, fasta priser"),
    pl.col("investment_budget")
    .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
    .alias("Investeringar"),
    pl.col("population")
    .map_elements(fmt.number, return_dtype=pl.String, skip_nulls=False)
    .alias("Invånare"),
    pl.col("drift_per_inv")
    .map_elements(lambda v: charts.value_text(v, "kr"), return_dtype=pl.String, skip_nulls=False)
    .alias("Drift per invånare"),
)
map_col, table_col = st.columns([5, 6])
tile_map = charts.tile_map(overview, measure, chosen)
map_col.plotly_chart(tile_map, key="kd_map", on_select=_pick_tile, selection_mode="points")
with map_col:
    download_png(tile_map, f"kommundelar-{year}-{measure}", key="kd_map")
table_col.dataframe(table, hide_index=True, key="kd_table")
table_col.caption(
    f"Driftbudget = kommundelsnämndens antagna budget {year} (drift, alla rader). "
    "Förändring mot året innan i löpande och i fasta priser (data/price_index.csv). "
    "Investeringar = projekt i investeringsbudgeten som ligger i kommundelen. "
    + (
        f"Investeringar utan kommundel (hela kommunen, bolagen): {fmt.sek(unassigned)}."
        if unassigned
        else ""
    )
)

row = overview.filter(pl.col("kommundel") == chosen).row(0, named=True)
series, lines, projects, props = _detail(version, chosen, year)
st.header(row["label"])
a, b, c, d = st.columns(4)
a.metric("Driftbudget", fmt.sek(row["drift_budget"]))
base_year = kd.price_index()[1]
b.metric(
    f"Förändring mot {year - 1}",
    fmt.sek(row["drift_change"]),
    delta=(
        # An ASCII minus first: Streamlit reads the arrow's direction from it.
        f"{fmt.sek(row['drift_change_fixed']).replace(chr(0x2212), '-', 1)} i fasta priser "
        f"({base_year})"
        if row["drift_change_fixed"] is not None
        else None
    ),
)
c.metric("Investeringar", fmt.sek(row["investment_budget"]))
d.metric(
    "Drift per invånare",
    f"{fmt.number(row['drift_per_inv'])}\u00a0kr" if row["drift_per_inv"] is not None else "–",
)
if row["organisation"] is None:
    st.info(
        "Staden har ingen egen kommundelsnämnd. Facknämndernas budget delas inte upp per "
        "kommundel i Mål och budget, så här visas bara investeringar som ligger i staden."
    )
elif not series.is_empty():
    st.plotly_chart(charts.drift_trend(series, row["label"], row["source"]), key="kd_trend")

st.subheader("Investeringsprojekt")
if projects.is_empty():
    st.caption(f"Inga investeringsprojekt i {row['label']} i budgeten för {year}.")
else:
    st.dataframe(
        projects.select(
            pl.col("line_item").alias("Projekt"),
            pl.col("amount_sek")
            .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
            .alias("Budget"),
            pl.col("organisation").alias("Nämnd"),
            pl.col("source_file").alias("Källa"),
            pl.col("source_cell").alias("Cell"),
        ),
        hide_index=True,
        key="kd_projects",
    )

st.subheader("Förslag i handlingsprogrammet som nämner kommundelsnämnderna")
if props.is_empty():
    st.caption("Inga förslag inlästa som nämner Kommundelsnämnderna.")
else:
    st.caption(
        f"{len(props)} förslag; de som nämner {row['label']} vid namn står först. "
        f"Pengar {year} ur budget och V:s förslag där de är kopplade."
    )
    st.dataframe(
        props.select(
            pl.col("title").alias("Förslag"),
            pl.col("section").alias("Avsnitt"),
            pl.col("names_place").alias(f"Nämner {row['label']}"),
            pl.col("budget")
            .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
            .alias("Budget"),
            pl.col("forslag")
            .map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)
            .alias("V:s förslag"),
        ),
        hide_index=True,
        key="kd_proposals",
    )

show_sources(kd.source_cells(lines, projects), key="kd_sources")
download_data(
    {f"Kommundelar {year}": table, f"Investeringar {row['label']}": projects},
    f"kommundelar-{year}",
    key="kd_data",
)
