"""Jämför år: any two years or documents side by side, per nämnd and per proposal, in current
or fixed prices, in total or per invånare, with a waterfall of the changes."""

import polars as pl
import streamlit as st

from pipelines import sources_view, ui
from pipelines.dashboard import cached, charts, present
from pipelines.dashboard import compare as cmp
from pipelines.dashboard import queries as q

ui.require_connection()
ui.demo_banner()
st.title("Jämför år")
st.caption(
    "Välj två år eller dokument: kommunens antagna budget, V:s budgetförslag, delårsrapportens "
    "prognos eller bokslutets utfall. Fasta priser räknas om med prisindexet i "
    "data/price_index.csv, per invånare med befolkningen i data/population.csv."
)

all_slices = cached.slices()
# A link carries the choice (?slag=&a=&b=&fasta=&per=): read it once per session, then the
# widgets decide and the URL follows them.
url = st.query_params
if "jf_url_read" not in st.session_state:
    st.session_state["jf_url_read"] = True
    if url.get("slag") in q.KIND_NAMES:
        st.session_state["jf_kind"] = url["slag"]
    for key in ("a", "b"):
        if url.get(key):
            st.session_state[f"jf_{key}"] = url[key]
    st.session_state["jf_fixed"] = url.get("fasta") == "1"
    st.session_state["jf_per"] = url.get("per") == "1"
kind = st.radio(
    "Slag", ["drift", "investering"], format_func=q.KIND_NAMES.get, horizontal=True, key="jf_kind"
)
options = [s for s in all_slices if s.budget_kind == kind and s.measure != "avvikelse"]
if len(options) < 2:
    st.info("Det behövs minst två inlästa dokument eller år att jämföra.")
    st.stop()
by_token = {s.token: s for s in options}
tokens = list(by_token)
years = q.budget_years(all_slices, kind)
default_b = q.adopted_budget(all_slices, years[-1], kind) if years else None
default_a = q.adopted_budget(all_slices, years[-2], kind) if len(years) > 1 else None
default_a_token = default_a.token if default_a else tokens[min(1, len(tokens) - 1)]
default_b_token = default_b.token if default_b else tokens[0]
for key, default in (("jf_a", default_a_token), ("jf_b", default_b_token)):
    if st.session_state.get(key) not in by_token:  # first visit, a stale link, another kind
        st.session_state[key] = default
left, right = st.columns(2)
a_token = left.selectbox("A (från)", tokens, format_func=lambda t: by_token[t].label, key="jf_a")
b_token = right.selectbox("B (till)", tokens, format_func=lambda t: by_token[t].label, key="jf_b")
t1, t2 = st.columns(2)
fixed = t1.toggle("Fasta priser", key="jf_fixed")
per = t2.toggle("Per invånare", key="jf_per")
a, b = by_token[a_token], by_token[b_token]
st.query_params.update(
    {"slag": kind, "a": a_token, "b": b_token, "fasta": str(int(fixed)), "per": str(int(per))}
)

c = cached.comparison(a, b, fixed, per)
base = cached.price_base()
unit = "kr per invånare" if per else "mnkr"
prices = f"fasta priser ({base['base_year']} års priser)" if fixed else "löpande priser"
st.caption(f"Belopp i {unit}, {prices}.")
if c.missing_prices:
    st.warning(
        "Prisindex eller befolkning saknas för något av åren: de beloppen lämnas tomma "
        f"(prisindexet täcker {base['first_year']}–{base['last_year']})."
    )

m1, m2, m3 = st.columns(3)
m1.metric(f"A: {a.label}", charts.unit_value(c.total_a, per))
m2.metric(f"B: {b.label}", charts.unit_value(c.total_b, per))
m3.metric("Förändring B − A", charts.unit_value(c.change, per))

org_sources = {
    row["organisation"]: "; ".join(x for x in (row["sources_a"], row["sources_b"]) if x)
    for row in c.organisations.iter_rows(named=True)
}
steps = cmp.waterfall_steps(c)
steps[0] = ("A: " + steps[0][0], steps[0][1], steps[0][2])
steps[-1] = ("B: " + steps[-1][0], steps[-1][1], steps[-1][2])
org_sources[steps[0][0]] = a.doc_file or ""
org_sources[steps[-1][0]] = b.doc_file or ""
fig = charts.waterfall_chart(steps, "Från A till B: förändringar per nämnd", per, org_sources)
st.plotly_chart(fig, key="jf_waterfall")

orgs_table, props_table = present.comparison_tables(c)
st.subheader("Per nämnd")
st.dataframe(orgs_table, hide_index=True, key="jf_orgs")
st.subheader("Per förslag")
if props_table.is_empty():
    st.caption("Inga budgetrader i de valda dokumenten är kopplade till förslag.")
else:
    st.dataframe(props_table, hide_index=True, key="jf_props")

facts = pl.concat([cached.slice_facts(a), cached.slice_facts(b)])
sources_view.show_sources(facts, "jf")
sources_view.download_data(
    present.comparison_export(c),
    f"jamfor-{a.year}-{b.year}",
    key="jf",
    notes=[f"A: {a.label}", f"B: {b.label}", f"Belopp i {unit}, {prices}."],
)
col1, col2 = st.columns(2)
with col1:
    sources_view.download_png(fig, f"jamfor-{a.year}-{b.year}", key="jf")
with col2:
    sources_view.download_pptx(
        lambda: present.comparison_pptx(
            c, fig, orgs_table, f"Belopp i {unit}, {prices}.", ui.has_demo_data()
        ),
        f"jamfor-{a.year}-{b.year}",
        key="jf",
        label="Ladda ned jämförelsen som presentation (pptx)",
    )
