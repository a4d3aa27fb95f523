"""Ord mot verkstad: every goal with the municipality's colour beside what its money did, and
its analysis text read for concrete action against internal organisation."""

import polars as pl
import streamlit as st

from pipelines import fmt, ui
from pipelines.ordmotverkstad import charts, goals
from pipelines.ordmotverkstad.classifier import VERDICTS, classify, highlight_markdown, load_rules
from pipelines.sources_view import download_data, download_png, show_sources

MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
BADGES = {
    "grön": ":green-badge[Grön]",
    "gul": ":orange-badge[Gul]",
    "röd": ":red-badge[Röd]",
    "ej bedömd": ":gray-badge[Ej bedömd]",
}


@st.cache_data(max_entries=8)
def _table(version):
    con = ui.connection()
    return goals.goal_table(con), goals.has_money(con)


def report_label(choice):
    if tuple(choice) == goals.ALL_REPORTS:
        return "Alla rapporter"
    year, period = choice
    if not period:
        return f"{year}, helår"
    month = int(period[-2:])
    return f"{year}, delår jan–{MONTHS[month - 1]}"


ui.require_connection()
ui.demo_banner()
st.title("Ord mot verkstad")
st.caption(
    "Kommunens färger står bredvid vad pengarna gjorde och vad analystexten faktiskt beskriver. "
    "Texten läses med öppna regler (data/ord_mot_verkstad/rules.csv): ord för konkret verkstad "
    "(anställde, öppnade, byggdes, tal med enhet) mot ord för inre organisation "
    "(arbetssätt, struktur, samordning, kompetenshöjning, kartläggning)."
)
table, has_money = _table(ui.db_version())
if table.is_empty():
    st.info("Inga mål inlästa ännu. Läs in en delårsrapport eller ett bokslut med mål.")
    st.stop()
if not has_money:
    st.warning("Budgetjämförelsen saknas: databasens marts är inte byggda. Kör `verkstad ingest`.")

left, mid, right = st.columns([2, 2, 2])
report = left.selectbox(
    "Rapport", goals.report_choices(table), format_func=report_label, key="omv_report"
)
in_report = goals.in_report(table, report)
organisations = sorted({o or goals.WHOLE_MUNICIPALITY for o in in_report["money_of"].to_list()})
organisation = mid.selectbox("Nämnd", ["Alla", *organisations], key="omv_org")
only_flagged = right.toggle("Bara gröna där inget hände", key="omv_flagged")
shown = (
    in_report if organisation == "Alla" else in_report.filter(pl.col("money_of") == organisation)
)

a, b, c, d = st.columns(4)
a.metric("Mål", fmt.number(shown.height))
b.metric("Gröna", fmt.number(shown.filter(pl.col("assessment") == "grön").height))
c.metric("Gröna, men inget hände", fmt.number(shown.filter(pl.col("flag")).height))
d.metric(
    "Analyser mest inre organisation",
    fmt.number(shown.filter(pl.col("verdict") == "internal").height),
)

title_suffix = report_label(report) + ("" if organisation == "Alla" else f", {organisation}")
one, two = st.columns(2)
verdicts = charts.verdict_by_assessment(shown, f"Vad analyserna handlar om — {title_suffix}")
scatter = charts.colour_against_money(shown, f"Färg mot pengar — {title_suffix}")
one.plotly_chart(verdicts, key="omv_verdicts")
two.plotly_chart(scatter, key="omv_scatter")
with one:
    download_png(verdicts, "ord-mot-verkstad-analyser", key="omv_verdicts")
with two:
    download_png(scatter, "ord-mot-verkstad-farg-mot-pengar", key="omv_scatter")
two.caption(
    "Rött fält: budgeten växte inte i fasta priser. Mål utan budget eller analys saknas i "
    "diagrammet men finns i listan."
)

listed = (shown.filter(pl.col("flag")) if only_flagged else shown).sort(
    "flag", descending=True, maintain_order=True
)
st.subheader(f"{fmt.number(listed.height)} mål")
for row in listed.iter_rows(named=True):
    with st.container(border=True):
        head = f"{BADGES.get(row['assessment'], row['assessment'])} "
        st.markdown(head + highlight_markdown(row["goal"], classify("")))
        if row["flag"]:
            st.markdown(f":red-background[**Grön, men inget hände:** {row['flag_reason']}.]")
        if row["budget"] is not None:
            real = (
                fmt.percent(row["real_change"], 1)
                if row["real_change"] is not None
                else "– (prisindex saknas)"
            )
            st.markdown(
                f"**Pengarna ({row['money_of']}):** budget {row['doc_year']} "
                f"{fmt.sek(row['budget'])}, året innan {fmt.sek(row['budget_prev'])}; "
                f"förändring {fmt.percent(row['nominal_change'], 1)} i löpande priser, "
                f"{real} i fasta priser. Prognos helår {fmt.sek(row['prognos'])}, "
                f"utfall {fmt.sek(row['utfall'])}."
            )
        else:
            st.caption(f"Ingen budget för {row['money_of']} {row['doc_year']} i databasen.")
        if row["proposals_money"]:
            st.markdown(
                f"**Handlingsprogrammets förslag i nämndens budget:** {row['proposals_money']}"
            )
        if row["outcome"]:
            st.markdown(f"**Utfallet för invånarna:** {row['outcome']}")
        if row["analysis"]:
            result = classify(row["analysis"])
            st.markdown(highlight_markdown(row["analysis"], result))
            words = []
            if row["action_words"]:
                words.append(f"verkstad: {row['action_words']}")
            if row["internal_words"]:
                words.append(f"inre organisation: {row['internal_words']}")
            st.caption(
                f"Bedömning: **{VERDICTS[row['verdict']]}** "
                f"(verkstad {fmt.number(row['action'])} poäng, inre organisation "
                f"{fmt.number(row['internal'])} poäng). Orden som avgjorde — "
                + ("; ".join(words) or "inga regelord i texten")
                + f". Källa: {row['source_file']}, {row['source_cell'] or 'cell saknas'}."
            )

show_sources(
    shown.select(
        "goal", "assessment", "source_file", "source_sheet", "source_cell", "money_sources"
    ).rename({"goal": "Mål", "assessment": "Färg", "money_sources": "Budgetens källor"}),
    key="omv_sources",
)
with st.expander("Reglerna som läser texten"):
    st.dataframe(
        pl.DataFrame(
            [
                {
                    "Mönster": r.pattern,
                    "Matchning": r.match,
                    "Klass": "verkstad" if r.cls == "action" else "inre organisation",
                    "Vikt": r.weight,
                    "Varför": r.note,
                }
                for r in load_rules()
            ]
        ),
        hide_index=True,
        key="omv_rules",
    )
download_data({"Ord mot verkstad": shown}, "ord-mot-verkstad", key="omv_data")
