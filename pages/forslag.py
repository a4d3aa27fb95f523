"""Förslag: one proposal of the action program — its text and bodies, its money over the
years, the budget lines behind the figures, the municipality's goals, and the group's status.
The chosen proposal is in the URL (?forslag=<id>), so a link shows the same proposal."""

from datetime import date

import polars as pl
import streamlit as st

from pipelines import auth, fmt, sources_view, ui
from pipelines.dashboard import cached, charts, present, status
from pipelines.dashboard import queries as q
from pipelines.statistics.view import show_indicators

ui.require_connection()
ui.demo_banner()
st.title("Förslag")

props = cached.proposals()
if props.is_empty():
    st.info("Handlingsprogrammet är inte inläst. Kör `verkstad ingest data/program`.")
    st.stop()

ids = props["proposal_id"].to_list()
titles = dict(zip(ids, props["title"], strict=True))
sections = dict(zip(ids, props["section"], strict=True))

# The URL decides when it names a proposal this session has not shown yet (a shared link,
# a link from Översikt); after that the select box decides and the URL follows it.
wanted = st.query_params.get("forslag")
if wanted in titles and wanted != st.session_state.get("fs_url_seen"):
    st.session_state["fs_forslag"] = wanted
if st.session_state.get("fs_forslag") not in titles:
    st.session_state["fs_forslag"] = wanted if wanted in titles else ids[0]
chosen = st.selectbox(
    "Förslag",
    ids,
    format_func=lambda pid: f"{titles[pid]} — {sections[pid]}",
    key="fs_forslag",
)
st.query_params["forslag"] = chosen
st.session_state["fs_url_seen"] = chosen
if wanted and wanted not in titles:
    shown = wanted[:100].replace("`", "'")
    st.warning(f"Förslaget i länken finns inte (längre): `{shown}`. Visar {titles[chosen]}.")

detail = cached.proposal_detail(chosen)
prop = detail["proposal"]
st.header(prop["title"])
st.caption(f"Avsnitt: {prop['section']} · Nivå: {prop['level']} · Id: `{chosen}`")
st.markdown(prop["text"])
bodies = detail["bodies"]
role_names = {
    "decision": "Beslutar",
    "executing": "Verkställer",
    "local": "Lokala behov och dialog",
}
for role, name in role_names.items():
    named = bodies.filter(pl.col("role") == role)["body"].to_list() if bodies.height else []
    if named:
        st.markdown(f"**{name}:** {', '.join(named)}")

# --- the group's status -------------------------------------------------------------------
st.subheader("Status enligt budgetgruppen")
current = status.read_statuses().get(chosen)
if current:
    st.markdown(f"{present.status_badge(current.status)} {current.note_date}")
    if current.note:
        st.text(current.note)
    st.caption(f"Satt av {current.editor}, {current.updated_at}")
    status_line = f"Status: {current.status} ({current.note_date}) {current.note}"
else:
    st.markdown(f"{present.badge('Ingen status', 'gray')} Budgetgruppen har inte satt någon ännu.")
    status_line = "Status: ingen satt"
if auth.is_editor():
    with st.form("fs_status_form", clear_on_submit=True):
        new_status = st.radio(
            "Status",
            status.STATUSES,
            index=status.STATUSES.index(current.status) if current else 0,
            horizontal=True,
            key="fs_status",
        )
        note_date = st.date_input(
            "Datum", value=date.today(), format="YYYY-MM-DD", key="fs_note_date"
        )
        note = st.text_area("Anteckning", value="", max_chars=status.MAX_NOTE_CHARS, key="fs_note")
        if st.form_submit_button("Spara status"):
            try:
                status.set_status(chosen, new_status, note, note_date, auth.current_editor())
            except status.StatusError as exc:
                st.error(str(exc))
            else:
                st.success("Statusen är sparad.")
                st.rerun()
else:
    st.caption("Logga in som redaktör (i sidomenyn) för att ändra status.")
log = status.history(chosen)
if log:
    with st.expander(f"Historik ({len(log)} ändringar)"):
        st.dataframe(
            pl.DataFrame(log).select(
                pl.col("at").alias("Ändrad"),
                pl.col("editor").alias("Av"),
                pl.col("from").alias("Från"),
                pl.col("to").alias("Till"),
                pl.col("note_date").alias("Datum"),
                pl.col("note").alias("Anteckning"),
            ),
            hide_index=True,
            key="fs_history",
        )

# --- money --------------------------------------------------------------------------------
st.subheader("Pengarna")
fund = cached.funding().filter(pl.col("proposal_id") == chosen)
if prop.get("level") and prop["level"] != "kommun":
    st.caption(
        "Förslaget riktar sig till staten eller regionen: kommunens budget har inga pengar för "
        "det, men budgetgruppen kan följa det med status och anteckning."
    )
budget_years = sorted(
    set(fund.filter((pl.col("document") == "budget") & (pl.col("measure") == "budget"))["year"])
)
all_years = q.budget_years(cached.slices())
fig = None
money_lines: list[str] = []
if fund.is_empty():
    st.info(
        "Inga budgetrader är kopplade till förslaget: varken kommunens budget, V:s förslag "
        "eller utfallet har pengar som går att hänföra hit."
    )
else:
    year_choices = list(reversed(all_years or budget_years))
    year = st.selectbox("År att jämföra med året innan", year_choices, key="fs_year")
    c = q.change(fund, chosen, year)
    party = q.change(fund, chosen, year, document="forslag")
    base = cached.price_base()["base_year"]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        f"Antagen budget {year}",
        fmt.sek(c.amount),
        delta=f"{present.signed_sek(c.diff('amount'))} mot {year - 1}"
        if c.diff("amount") is not None
        else None,
        delta_color="off",
        delta_arrow=present.arrow(c.diff("amount")),
    )
    m2.metric(
        "Förändring i fasta priser",
        present.signed_sek(c.diff("amount_fixed")),
        help=f"Mot {year - 1}, båda åren i {base or 'basårets'} priser (data/price_index.csv).",
    )
    per = c.diff("amount_per_invanare")
    m3.metric("Förändring per invånare", charts.unit_value(per, True))
    m4.metric(f"V:s förslag {year}", fmt.sek(party.amount))
    money_lines = [
        f"Antagen budget {year}: {fmt.sek(c.amount)} ({fmt.sek(c.diff('amount'))} mot {year - 1})",
        f"Förändring i fasta priser: {present.signed_sek(c.diff('amount_fixed'))}; per invånare: "
        f"{charts.unit_value(per, True)}",
        f"V:s förslag {year}: {fmt.sek(party.amount)}",
    ]
    fig = charts.funding_chart(fund, cached.source_index(), f"{prop['title']}: pengar per år")
    st.plotly_chart(fig, key="fs_chart")
    st.dataframe(present.funding_table(fund), hide_index=True, key="fs_funding")

# --- outcome indicators beside the money (pipelines/statistics, data/indicators/links.csv) ---
show_indicators(ui.connection(), chosen)

lines = detail["lines"]
st.subheader("Budgetrader kopplade till förslaget")
if lines.is_empty():
    st.caption("Inga rader kopplade. Koppla rader på sidan Koppla.")
else:
    st.dataframe(present.lines_table(lines), hide_index=True, key="fs_lines")

goals = detail["goals"]
st.subheader("Kommunens mål för samma nämnder")
if goals.is_empty():
    st.caption("Inga mål från delårsrapporter eller bokslut för de nämnder förslaget nämner.")
else:
    for g in goals.filter(pl.col("is_latest")).iter_rows(named=True):
        when = g["period"] or g["doc_year"]
        st.markdown(
            f"{present.assessment_badge(g['assessment'])} **{g['goal']}** — "
            f"{g['organisation']} ({when})"
        )
        if g["analysis"]:
            st.text(g["analysis"])
        where = sources_view.source_text(g["source_file"], g["source_sheet"], g["source_cell"])
        st.caption(f"Källa: {where}")

sources_view.show_sources(
    lines.select([c for c in sources_view.SOURCE_COLUMNS if c in lines.columns]),
    "fs",
)
sources_view.download_data(
    present.proposal_export(fund, lines, goals), f"forslag-{chosen}", key="fs"
)
col1, col2 = st.columns(2)
if fig is not None:
    with col1:
        sources_view.download_png(fig, f"forslag-{chosen}", key="fs")
with col2:
    sources_view.download_pptx(
        lambda: present.proposal_pptx(
            prop, status_line, money_lines, fig, goals, ui.has_demo_data()
        ),
        f"forslag-{chosen}",
        key="fs",
        label="Ladda ned förslaget som presentation (pptx)",
    )
