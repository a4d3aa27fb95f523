"""Program: the action program's proposals by section, with search, filters and a link each."""

import streamlit as st

from pipelines import ui
from pipelines.program import queries as q

PARAM = "forslag"  # ?forslag=<proposal_id> opens and highlights one proposal


@st.cache_data(max_entries=4)
def _proposals(version):
    return q.proposals(ui.connection())


def _escape(text: str) -> str:
    # Program text is prose, not Markdown: keep *, _, [, $ and # literal.
    for ch in "\\`*_[]$#<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _share(proposal_id: str) -> None:
    st.query_params[PARAM] = proposal_id


def _clear_share() -> None:
    st.query_params.pop(PARAM, None)


def _details(row: dict, titles: dict[str, str], where: str) -> None:
    if row["topic"]:
        st.caption(row["topic"])
    st.markdown(_escape(row["text"]))
    if row["level"] == "stat_region":
        st.markdown("**Nivå:** staten och regionen — ett krav på dem, inget kommunalt uppdrag.")
    elif row["kind"] == "position":
        st.markdown("**Typ:** ställningstagande i programmets löptext (utan ansvarsparentes).")
    if row["decision_body"]:
        how = f" — {_escape(row['decision_how'])}" if row["decision_how"] else ""
        st.markdown(f"**{q.ROLES['decision']}:** {_escape(row['decision_body'])}{how}")
    for role, column in (
        ("executing", "executing_bodies"),
        ("local", "local_bodies"),
        ("mentioned", "mentioned_bodies"),
    ):
        if row[column]:
            st.markdown(f"**{q.ROLES[role]}:** " + ", ".join(_escape(b) for b in row[column]))
    st.markdown("**Berör kommundelarna:** " + ("ja" if row["kommundel_relevant"] else "nej"))
    for other in row["similar"]:
        st.warning(
            f"Nästan likadan som förslaget ”{_escape(titles.get(other, other))}” "
            f"(`{other}`). Båda finns kvar i programmet.",
            icon="⚠️",
        )
    st.caption("Länk till förslaget:")
    st.code(f"{st.context.url or ''}?{PARAM}={row['proposal_id']}", language=None, wrap_lines=True)
    if where == "delad":
        return  # this is the shared proposal already
    st.button(
        "Dela länk till förslaget",
        key=f"dela_{where}_{row['proposal_id']}",
        on_click=_share,
        args=(row["proposal_id"],),
    )


def _label(row: dict) -> str:
    tags = []
    if row["level"] == "stat_region":
        tags.append("staten/regionen")
    if row["kind"] == "position":
        tags.append("ställningstagande")
    return _escape(row["title"]) + (f"  ·  _{', '.join(tags)}_" if tags else "")


ui.require_connection()
st.title("Handlingsprogrammet 2026–2030")
st.caption(
    "Vänsterpartiet Södertäljes förslag och ställningstaganden, med de instanser som enligt "
    "programmets hakparenteser beslutar, verkställer och tar tillvara lokala behov."
)
frame = _proposals(ui.db_version())
if frame.is_empty():
    st.info(
        "Handlingsprogrammet är inte inläst. Kör "
        "`verkstad ingest data/program/handlingsprogram-2026-2030.txt`."
    )
    st.stop()

search_col, body_col, level_col = st.columns([3, 2, 2])
search = search_col.text_input(
    "Sök", key="sok", placeholder="t.ex. kulturskola, hyresrätter", bind="query-params"
)
body_options = ["", *q.bodies(frame)]
body = body_col.selectbox(
    "Ansvarig instans",
    body_options,
    format_func=lambda b: b or "Alla instanser",
    key="instans",
    bind="query-params",
)
level = level_col.selectbox(
    "Nivå",
    ["", *q.LEVELS],
    format_func=lambda v: q.LEVELS.get(v, "Alla nivåer"),
    key="niva",
    bind="query-params",
)
kind_col, kommundel_col = st.columns([3, 4])
kind = kind_col.radio(
    "Typ",
    ["", *q.KINDS],
    format_func=lambda v: q.KINDS.get(v, "Alla"),
    horizontal=True,
    key="typ",
    bind="query-params",
)
kommundel_only = kommundel_col.checkbox(
    "Bara det som berör kommundelarna", key="kommundel", bind="query-params"
)

if body:
    st.caption(
        "Förslag som programmet riktar till ”Samtliga nämnder och kommunala bolag” eller "
        "”Berörda nämnder” visas under de namnen, inte under varje enskild nämnd."
    )
shown = q.filter_proposals(frame, search, body or None, level or None, kind or None, kommundel_only)
titles = dict(zip(frame["proposal_id"], frame["title"], strict=True))
selected = q.by_id(frame, st.query_params.get(PARAM))

if st.query_params.get(PARAM) and selected is None:
    st.warning("Förslaget i länken finns inte i det inlästa programmet.")
if selected is not None:
    with st.container(border=True):
        st.subheader(_escape(selected["title"]))
        st.caption(_escape(selected["section"]))
        _details(selected, titles, "delad")
        st.button("Stäng", key="stang_delad", on_click=_clear_share)

st.caption(f"Visar {shown.height} av {frame.height} förslag och ställningstaganden.")
if shown.is_empty():
    st.info("Inga förslag matchar filtren.")
for section in shown["section"].unique(maintain_order=True):
    st.header(_escape(section), divider="gray")
    for row in shown.filter(shown["section"] == section).iter_rows(named=True):
        is_selected = selected is not None and row["proposal_id"] == selected["proposal_id"]
        with st.expander(_label(row), expanded=is_selected, icon="🔗" if is_selected else None):
            _details(row, titles, "lista")
