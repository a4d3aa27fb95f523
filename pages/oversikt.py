"""Översikt: the year's budget, how much of it the program accounts for, and which proposals
got money, got none, or shrank in fixed prices."""

import polars as pl
import streamlit as st

from pipelines import fmt, sources_view, ui
from pipelines.dashboard import cached, charts, present, status
from pipelines.dashboard import overview as ov
from pipelines.dashboard import queries as q

ui.require_connection()
ui.demo_banner()
st.title("Översikt")
st.caption(
    "Ord mot verkstad: har pengarna till handlingsprogrammets förslag kommit? Beloppen är "
    "kommunens antagna budget (Mål och budget, senaste versionen för varje år) och de "
    "budgetrader som är kopplade till förslagen."
)

all_slices = cached.slices()
left, right = st.columns([3, 1])
kind = right.radio(
    "Slag",
    ["drift", "investering"],
    format_func=q.KIND_NAMES.get,
    horizontal=True,
    key="ov_kind",
    help="Driftbudget och investeringsbudget läggs aldrig ihop.",
)
kind_name = "driftbudget" if kind == "drift" else "investeringsbudget"
years = q.budget_years(all_slices, kind)
if not years:
    st.info(
        f"Ingen antagen {kind_name} är inläst ännu. Läs in Mål och budget med `verkstad ingest`."
    )
    st.stop()

year = left.selectbox("År", list(reversed(years)), key="ov_year")
o = cached.overview(year, kind)
base_year = cached.price_base()["base_year"]

a, b, c, d = st.columns(4)
a.metric(
    f"Antagen {kind_name} {year}",
    fmt.sek(o.total_sek),
    delta=f"{present.signed_sek(o.total_sek - o.previous_sek)} mot {year - 1}"
    if o.previous_sek
    else None,
    delta_color="off",
    delta_arrow=present.arrow(o.total_sek - o.previous_sek if o.previous_sek else None),
)
fixed_change = (
    o.total_fixed_sek - o.previous_fixed_sek
    if o.total_fixed_sek is not None and o.previous_fixed_sek is not None
    else None
)
b.metric(
    f"Förändring mot {year - 1} i fasta priser",
    present.signed_sek(fixed_change) if fixed_change is not None else "–",
    help=f"Båda åren räknade om till {base_year or 'basårets'} priser med prisindexet i "
    "data/price_index.csv: en ökning i kronor som är mindre än prisökningen är en minskning.",
)
c.metric(
    "Kopplat till handlingsprogrammet",
    fmt.sek(o.mapped_sek),
    delta=f"{fmt.percent(o.mapped_share, 1)} av {kind_name}en" if o.mapped_share else None,
    delta_color="off",
    delta_arrow="off",
)
counts = o.proposals.group_by("category").len()
count = dict(zip(counts["category"], counts["len"], strict=True))
with_money = count.get(ov.MORE, 0) + count.get(ov.LESS, 0) + count.get(ov.SAME, 0)
d.metric("Förslag med pengar i budgeten", f"{with_money} av {o.proposals.height}")

st.subheader(f"Förslagen {year}: kom pengarna?")
columns = st.columns(4)
for column, category in zip(columns, ov.CATEGORIES, strict=True):
    rows = o.proposals.filter(pl.col("category") == category)
    column.markdown(f"**{category}** ({rows.height})")
    for r in present.category_items(rows, category).head(8).iter_rows(named=True):
        column.page_link(
            "pages/forslag.py",
            label=r["label"],
            help=r["title"],
            query_params={"forslag": r["proposal_id"]},
            width="stretch",
        )
    if rows.height > 8:
        column.caption(f"… och {rows.height - 8} till i tabellen nedan.")

if o.proposals.is_empty():
    st.info("Handlingsprogrammet är inte inläst. Kör `verkstad ingest data/program`.")
else:
    st.caption(
        f"De {o.proposals.height} förslag som kommunen beslutar om. Förslag som riktar sig till "
        "staten eller regionen har inga pengar i kommunens budget och räknas inte här. "
        "Krympt/mer avgörs i fasta priser: oförändrade kronor är mindre pengar när priserna stiger."
    )

sources = cached.source_index(kind)
left, right = st.columns(2)
props_fig = charts.proposals_chart(o.proposals, sources, year)
orgs_fig = charts.organisation_changes_chart(o.organisations, year)
if o.proposals["change_fixed_sek"].is_not_null().any():
    left.plotly_chart(props_fig, key="ov_props_chart")
else:
    left.caption(
        f"Inget förslag har kopplade budgetrader både {year - 1} och {year}, så ingen "
        "förändring i fasta priser kan visas."
    )
right.plotly_chart(orgs_fig, key="ov_orgs_chart")

st.subheader("Alla förslag")
table = present.overview_table(o.proposals, year, status.read_statuses())
st.dataframe(table, hide_index=True, key="ov_table")

budget_facts = [cached.slice_facts(s) for s in (o.budget, o.previous) if s is not None]
sources_view.show_sources(pl.concat(budget_facts) if budget_facts else pl.DataFrame(), "ov")
sources_view.download_data(
    present.overview_export(o),
    f"oversikt-{year}",
    key="ov",
    notes=[present.source_note(o.budget)],
)
col1, col2 = st.columns(2)
with col1:
    sources_view.download_png(props_fig, f"forslag-{year}", key="ov_props")
with col2:
    sources_view.download_pptx(
        lambda: present.overview_pptx(o, props_fig, orgs_fig, ui.has_demo_data()),
        f"oversikt-{year}",
        key="ov",
        label="Ladda ned sidan som presentation (pptx)",
    )
