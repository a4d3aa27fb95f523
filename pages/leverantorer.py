"""Leverantörer: supplier payments per category and nämnd, top suppliers, linked proposals."""

import streamlit as st

from pipelines import auth, sources_view, ui
from pipelines.payments import classify, present
from pipelines.payments import queries as q
from pipelines.payments.edit import change_and_reclassify

ALL_YEARS = "Alla år"
ALL_ORGS = "Alla nämnder"
MESSAGE = "_lev_message"

st.title("Leverantörer")
st.caption(
    "Vart går pengarna? Kommunens betalningar till leverantörer, sorterade i de kategorier "
    "handlingsprogrammet bryr sig om: bemanningsföretag, konsulter, privata välfärdsaktörer, "
    "idéburna och de kommunala bolagen."
)
ui.demo_banner()
con = ui.require_connection()


@st.cache_data(max_entries=4)
def _filters(version):
    return q.filters(ui.connection())


@st.cache_data(max_entries=32)
def _trend(version, grain, organisation, categories):
    return q.trend(ui.connection(), grain, organisation, list(categories))


@st.cache_data(max_entries=32)
def _by_org(version, year, categories):
    return q.by_organisation(ui.connection(), year, list(categories))


@st.cache_data(max_entries=32)
def _top(version, year, organisation, categories, limit):
    return q.top_suppliers(ui.connection(), year, organisation, list(categories), limit)


@st.cache_data(max_entries=8)
def _links(version, categories):
    return q.linked_proposals(ui.connection(), list(categories))


if not q.has_payments(con):
    st.info(
        "Inga leverantörsbetalningar är inlästa. Läs in kommunens fil (CSV eller xlsx) med "
        "`verkstad ingest FIL`, eller bygg demodata med `verkstad demo`."
    )
    st.stop()

version = ui.db_version()
choices = _filters(version)
if q.rules_changed(con, classify.load_rules()):
    st.warning(
        "Regelfilen data/suppliers/rules.csv har ändrats sedan betalningarna klassades. "
        "Kör `verkstad suppliers reclassify` så att sidan visar de nya kategorierna.",
        icon="⚠️",
    )
cols = st.columns([1, 2, 3, 1])
year_label = cols[0].selectbox("År", [ALL_YEARS, *map(str, choices["years"])], key="ar")
org_label = cols[1].selectbox("Nämnd", [ALL_ORGS, *choices["organisations"]], key="namnd")
# All categories are selected again whenever the set present changes (a rule change can
# empty "oklassad" or bring it back); otherwise the widget would keep the old selection.
if st.session_state.get("_lev_categories_seen") != choices["categories"]:
    st.session_state["_lev_categories_seen"] = choices["categories"]
    st.session_state["kategorier"] = choices["categories"]
categories = cols[2].multiselect("Kategorier", choices["categories"], key="kategorier")
grain_label = cols[3].radio("Per", ["år", "kvartal"], key="upplosning", horizontal=True)

year = None if year_label == ALL_YEARS else int(year_label)
organisation = None if org_label == ALL_ORGS else org_label
cats = tuple(categories)
if not cats:
    st.warning("Välj minst en kategori.")
    st.stop()

trend = _trend(version, "quarter" if grain_label == "kvartal" else "year", organisation, cats)
where = organisation or "alla nämnder"
trend_fig = present.trend_figure(trend, f"Betalningar per kategori och {grain_label}, {where}")
st.plotly_chart(trend_fig, key="lev_trend")
sources_view.download_png(trend_fig, "leverantorer-trend", key="lev_png")

totals = present.category_totals(
    trend if year is None else trend.filter(trend["period"].str.starts_with(str(year)))
)
st.dataframe(present.category_table(totals), hide_index=True, key="lev_kategorier")

if organisation is None:
    by_org = _by_org(version, year, cats)
    st.plotly_chart(
        present.organisation_figure(by_org, f"Per nämnd, {year_label.lower()}"), key="lev_org"
    )

st.subheader("Största leverantörerna")
limit = st.slider("Antal", 5, 100, 20, step=5, key="antal")
top = _top(version, year, organisation, cats, limit)
st.dataframe(present.supplier_table(top), hide_index=True, key="lev_top")
sources_view.download_data(
    {
        "Största leverantörer": present.for_export(top),
        "Per kategori och period": present.for_export(trend),
    },
    "leverantorer",
    key="lev_data",
    notes=[
        f"Urval: {year_label}, {where}, kategorier: {', '.join(cats)}.",
        "Kategorier enligt data/suppliers/rules.csv; oklassad = ingen regel passar.",
    ],
)
st.caption(
    "Andel = leverantörens del av alla betalningar i urvalet. Regel = den regel i "
    "data/suppliers/rules.csv som bestämde kategorin; 'ingen regel' betyder oklassad."
)

st.subheader("Förslag i programmet som berörs")
links = _links(version, cats)
if links.is_empty():
    st.caption("Inga förslag är kopplade till de valda kategorierna.")
for row in links.iter_rows(named=True):
    if row["proposal_id"]:
        st.markdown(
            f"- **{row['category']}**: [{row['title']}](forslaget?forslag={row['proposal_id']})"
            f" — {row['why']}"
        )
    else:
        st.markdown(
            f"- **{row['category']}**: {row['why']} _(förslaget hittades inte i det inlästa "
            "programmet)_"
        )

with st.expander("Klassningsregler och ändringslogg"):
    st.markdown(
        "Kategorin bestäms av regler (namnmönster, org.nr-serier, kontointervall, Telgebolagen "
        "ur organisationsregistret). En leverantör som ingen regel passar är **oklassad** — "
        "Verkstad gissar aldrig. Redaktörer ändrar regler här nedan eller med "
        "`verkstad suppliers add-rule …` (se `verkstad suppliers --help`); varje ändring "
        "loggas med vem, när och varför."
    )
    st.dataframe(
        [
            {
                "Regel": r.rule_id,
                "Ordning": r.priority,
                "Kategori": r.category,
                "Namnmönster": r.name_pattern or "",
                "Org.nr": r.orgnr_pattern or "",
                "Konto": f"{r.konto_from}–{r.konto_to}" if r.konto_from is not None else "",
                "Register": r.registry_kind or "",
                "Not": r.note or "",
            }
            for r in classify.load_rules()
        ],
        hide_index=True,
        key="lev_regler",
    )
    st.dataframe(
        [
            {
                "När": e["at"],
                "Vem": e["who"],
                "Vad": f"{e['action']} {e['rule_id']}",
                "Varför": e["why"],
            }
            for e in reversed(classify.read_audit())
        ],
        hide_index=True,
        key="lev_logg",
    )


def _change(action: str, rule, why_key: str) -> None:
    """Apply a rule change for the logged-in editor; the outcome shows after the rerun."""
    who = auth.current_editor()
    why = st.session_state.get(why_key, "").strip()
    if who is None:
        st.session_state[MESSAGE] = ("error", "Logga in som redaktör för att ändra regler.")
        return
    try:
        counts = change_and_reclassify(ui.config().db_path, action, rule, who, why)
    except classify.RuleError as exc:
        st.session_state[MESSAGE] = ("error", f"Regeln sparades inte: {exc}")
        return
    st.session_state[MESSAGE] = (
        "success",
        f"Sparat och omklassat ({', '.join(f'{k} {v}' for k, v in counts.items())}).",
    )


def _add() -> None:
    konto = st.session_state.get("regel_konto", "").strip()
    try:
        low, _, high = konto.partition("-")
        konto_from = int(low) if konto else None
        konto_to = int(high or low) if konto else None
    except ValueError:
        st.session_state[MESSAGE] = ("error", "Ange kontointervallet som 4600-4699.")
        return
    _change(
        "add",
        classify.Rule(
            rule_id=st.session_state.get("regel_id", "").strip(),
            priority=int(st.session_state.get("regel_prioritet", 50)),
            category=st.session_state.get("regel_kategori", ""),
            name_pattern=st.session_state.get("regel_namn", "").strip() or None,
            orgnr_pattern=st.session_state.get("regel_orgnr", "").strip() or None,
            konto_from=konto_from,
            konto_to=konto_to,
            note=st.session_state.get("regel_not", "").strip() or None,
        ),
        "regel_varfor",
    )


if auth.current_editor() is not None:
    st.subheader("Ändra klassningsregler")
    if MESSAGE in st.session_state:
        kind, text = st.session_state.pop(MESSAGE)
        (st.success if kind == "success" else st.error)(text)
    if "oklassad" in choices["categories"]:
        unclassified = _top(version, year, organisation, ("oklassad",), 10)
        st.caption("Oklassade leverantörer som fått mest i urvalet:")
        st.dataframe(present.supplier_table(unclassified), hide_index=True, key="lev_oklassade")
    with st.form("ny_regel"):
        c1, c2, c3 = st.columns([2, 2, 1])
        c1.text_input("Regelns id (a–z, 0–9, -)", key="regel_id")
        c2.selectbox("Kategori", classify.CATEGORIES, key="regel_kategori")
        c3.number_input("Ordning", 1, 999, 50, key="regel_prioritet")
        c1.text_input("Namnmönster (reguljärt uttryck)", key="regel_namn")
        c2.text_input("Org.nr-mönster (på de tio siffrorna)", key="regel_orgnr")
        c3.text_input("Konto", placeholder="4600-4699", key="regel_konto")
        st.text_input("Not", key="regel_not")
        st.text_input("Varför (krävs, hamnar i ändringsloggen)", key="regel_varfor")
        st.form_submit_button("Lägg till regel", on_click=_add)
    removable = [r.rule_id for r in classify.load_rules()]
    c1, c2 = st.columns([1, 2])
    c1.selectbox("Ta bort regel", [""] + removable, key="regel_ta_bort")
    c2.text_input("Varför den tas bort", key="regel_varfor_bort")
    st.button(
        "Ta bort regeln",
        key="regel_ta_bort_knapp",
        disabled=not st.session_state.get("regel_ta_bort"),
        on_click=lambda: _change(
            "remove", st.session_state.get("regel_ta_bort"), "regel_varfor_bort"
        ),
    )
