"""Jämförelse: Södertälje's net cost per invånare per verksamhet beside chosen peer kommuner."""

import plotly.express as px
import polars as pl
import streamlit as st

from pipelines import fmt, ui
from pipelines.statistics import queries as q
from pipelines.statistics.kommuner import HOME_KOMMUNKOD


@st.cache_data(max_entries=8)
def _years(version):
    return q.comparison_years(ui.connection())


@st.cache_data(max_entries=16)
def _kommuner(version, year):
    return q.kommuner_with_net_cost(ui.connection(), year)


@st.cache_data(max_entries=32)
def _table(version, year, codes):
    con = ui.connection()
    return q.net_cost_per_invanare(con, year, list(codes)), q.statistics_sources(con, year)


ui.require_connection()
ui.demo_banner()
st.title("Jämförelse")
st.caption(
    "Nettokostnad per verksamhet enligt SCB:s räkenskapssammandrag, i kronor per invånare, "
    "för Södertälje och de kommuner du väljer. Bara kommuner vars statistik är inläst visas."
)

version = ui.db_version()
years = _years(version)
if not years:
    st.info(
        "Ingen nettokostnadsstatistik är inläst. Läs in SCB:s referensfil "
        "(`verkstad ingest data/reference/`) eller hämta med `verkstad fetch scb`."
    )
    st.stop()

year = st.selectbox("År", years, key="jamforelse_ar")
kommuner = _kommuner(version, year)
names = dict(kommuner.iter_rows())
peers = [code for code in names if code != HOME_KOMMUNKOD]
if not peers:
    st.info(
        "Ingen jämförelsekommun är inläst för året. Hämta till exempel med "
        "`verkstad fetch scb --kommun 0181,0182,0138 --ar 2024` eller läs in en json-stat2-fil "
        "från SCB:s statistikdatabas."
    )
# Another year may lack some of the kommuner chosen before: keep only those it has.
if "jamforelse_kommuner" in st.session_state:
    st.session_state["jamforelse_kommuner"] = [
        c for c in st.session_state["jamforelse_kommuner"] if c in peers
    ]
else:
    st.session_state["jamforelse_kommuner"] = peers[:4]
chosen = st.multiselect(
    "Jämför med",
    peers,
    format_func=lambda code: f"{names[code]} ({code})",
    key="jamforelse_kommuner",
)
codes = tuple(([HOME_KOMMUNKOD] if HOME_KOMMUNKOD in names else []) + chosen)
table, sources = _table(version, year, codes)
if table.is_empty():
    st.warning("Inga värden för de valda kommunerna.")
    st.stop()

# Kommuner without any per-invånare figure (no folkmängd loaded, nothing published).
missing_pop = sorted(
    set(table["kommun"].to_list())
    - set(table.filter(pl.col("kr_per_invanare").is_not_null())["kommun"].to_list())
)
per_inv = len(missing_pop) < table["kommun"].n_unique()
if missing_pop and per_inv:
    st.warning(
        "Folkmängd saknas för "
        + ", ".join(missing_pop)
        + f" {year}; de visas som – per invånare. Läs in Koladas N01951 (Invånare totalt) "
        "eller SCB:s folkmängd för året."
    )
elif missing_pop:
    st.warning(
        "Folkmängd saknas för "
        + ", ".join(missing_pop)
        + f" {year}, så beloppen visas i miljoner kronor, inte per invånare. Läs in Koladas "
        "N01951 (Invånare totalt) eller SCB:s folkmängd för året."
    )

if not per_inv and q.RIKET in codes:
    # Riket in mnkr would dwarf every kommun: it is only comparable per invånare.
    table = table.filter(pl.col("kommunkod") != q.RIKET)
    codes = tuple(c for c in codes if c != q.RIKET)

value_col = "kr_per_invanare" if per_inv else "amount_sek"
wide = (
    table.with_columns(
        pl.col("kommun"),
        (pl.col(value_col) if per_inv else pl.col(value_col) / 1_000_000).alias("värde"),
    )
    .pivot(on="kommun", index=["verksamhetskod", "verksamhet"], values="värde")
    .sort("verksamhetskod")
)
order = [names[c] for c in codes if names.get(c) in wide.columns]
unit = "kr per invånare" if per_inv else "mnkr"

chart_rows = table.with_columns(
    (pl.col(value_col) if per_inv else pl.col(value_col) / 1_000_000).alias("värde")
)
home_name = names.get(HOME_KOMMUNKOD)
largest = (
    chart_rows.filter(pl.col("kommun") == home_name).sort("värde", descending=True).head(12)
    if home_name
    else chart_rows.head(12)
)["verksamhet"].to_list()
fig = px.bar(
    chart_rows.filter(pl.col("verksamhet").is_in(largest)).to_pandas(),
    x="värde",
    y="verksamhet",
    color="kommun",
    barmode="group",
    orientation="h",
    category_orders={"verksamhet": largest, "kommun": order},
    labels={"värde": unit, "verksamhet": "", "kommun": "Kommun"},
    height=620,
)
fig.update_layout(separators=", ", legend_title_text="")
st.subheader(f"Största verksamheterna {year}, {unit}")
st.plotly_chart(fig, width="stretch")

st.subheader(f"Alla verksamheter {year}, {unit}")
shown = wide.select(
    pl.col("verksamhet").alias("Verksamhet"),
    *[
        pl.col(name)
        .map_elements(lambda v: fmt.number(v, 0 if per_inv else 1), return_dtype=pl.String)
        .fill_null("–")
        for name in order
    ],
)
st.dataframe(shown, hide_index=True, width="stretch", key="jamforelse_tabell")
basis = sorted(b for b in table["basis"].unique().to_list() if b)
st.caption(
    "Per invånare: SCB:s publicerade värde där filen har ett, annars nettokostnaden delad med "
    f"folkmängden ({', '.join(basis) or '–'}). Rader märkta TOTALT är SCB:s summor för "
    "områden vars delar inte finns i filen. Källa: " + "; ".join(sources)
)
