"""Koppla: budget lines to program proposals. Worklist, suggestions with reasons, accept /
reject / split, hand-written rules, renamed lines, and the audit log.

Reading is open to all; every change needs a logged-in editor (pipelines.auth) and is
checked again when it is made. Changes are sent with the version of the file this page
showed, so an edit made against an old page is merged or refused, never lost.
"""

from __future__ import annotations

import streamlit as st

from pipelines import auth, fmt, ui
from pipelines.mapping import edits, review
from pipelines.mapping.rules import Line, RuleError, crosswalk_store
from pipelines.mapping.store import ConflictError

DOCUMENTS = {
    "budget": "Mål och budget",
    "forslag": "Budgetförslag",
    "delarsrapport": "Delårsrapport",
    "bokslut": "Bokslut",
    "statistik": "Statistik",
}
STATUSES = ["okopplad", "delvis", "över 100 %", "kopplad"]
SEEN = "_koppla_seen"  # what the last render showed: file versions, the line, rules
MESSAGE = "_koppla_message"

st.title("Koppla budgetrader till förslag")
ui.demo_banner()
config = ui.config()
editor = auth.current_editor()
if editor is None:
    st.info(
        "Läsläge: du kan se arbetslistan, förslagen och reglerna. Logga in som redaktör i "
        "sidomenyn för att koppla, avvisa, dela eller skriva regler.",
        icon="🔒",
    )
con = ui.require_connection()


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


def _guarded(action) -> None:
    """Run an edit for the logged-in editor; turn refusals into a message on the page."""
    who = auth.current_editor()
    if who is None:
        _say("error", "Du måste vara inloggad som redaktör för att ändra kopplingar.")
        return
    try:
        _say("success", action(who))
    except ConflictError as exc:
        _say("error", f"Ändringen sparades inte: {exc}")
    except (RuleError, ValueError) as exc:
        _say("error", f"Ändringen sparades inte: {exc}")


def _seen() -> dict:
    return st.session_state.get(SEEN, {})


def _accept() -> None:
    seen = _seen()
    pid = st.session_state.get("koppla_choice")
    if not seen.get("line") or not pid:
        _say("error", "Välj en rad och ett förslag först.")
        return

    def run(who: str) -> str:
        edits.accept(
            config,
            seen["line"],
            pid,
            who=who,
            why=st.session_state.get("koppla_note", ""),
            base_version=seen["rules_version"],
            share=f"{st.session_state.get('koppla_share', 100)} %",
            only_document=st.session_state.get("koppla_only_document", False),
        )
        return f"Kopplad: '{seen['line'].line_item}' → {seen['titles'].get(pid, pid)}."

    _guarded(run)


def _reject() -> None:
    seen = _seen()
    pid = st.session_state.get("koppla_choice")
    if not seen.get("line") or not pid:
        _say("error", "Välj en rad och ett förslag först.")
        return

    def run(who: str) -> str:
        edits.reject(
            config,
            seen["line"],
            pid,
            who=who,
            why=st.session_state.get("koppla_note", ""),
            base_version=seen["rejections_version"],
        )
        return f"Avvisat: {seen['titles'].get(pid, pid)} föreslås inte igen för raden."

    _guarded(run)


def _split() -> None:
    seen = _seen()
    chosen = st.session_state.get("koppla_split", [])
    if not seen.get("line") or not chosen:
        _say("error", "Välj raden och minst ett förslag att dela mellan.")
        return
    parts = [
        (pid, f"{st.session_state.get(f'koppla_split_share_{i}', 0)} %")
        for i, pid in enumerate(chosen)
    ]

    def run(who: str) -> str:
        edits.split(
            config,
            seen["line"],
            parts,
            who=who,
            why=st.session_state.get("koppla_split_note", ""),
            base_version=seen["rules_version"],
        )
        return f"Raden '{seen['line'].line_item}' är delad mellan {len(parts)} förslag."

    _guarded(run)


def _write_rule() -> None:
    seen = _seen()
    s = st.session_state

    def run(who: str) -> str:
        row = edits.rule_row(
            organisation=s.get("koppla_rule_org") or "",
            line_item=s.get("koppla_rule_item") or "",
            proposal_id=s.get("koppla_rule_proposal") or "",
            share=f"{s.get('koppla_rule_share', 100)} %",
            match="pattern" if s.get("koppla_rule_match") == "mönster" else "exact",
            document=s.get("koppla_rule_document") or "",
            year_from=s.get("koppla_rule_from") or None,
            year_to=s.get("koppla_rule_to") or None,
            note=s.get("koppla_rule_note", ""),
            author=who,
        )
        edits.add_rule(config, row, who=who, why=row["note"], base_version=seen["rules_version"])
        return f"Regeln för '{row['line_item']}' är sparad."

    _guarded(run)


def _remove_rule() -> None:
    seen = _seen()
    rid = st.session_state.get("koppla_remove_rule")
    row = seen.get("rules", {}).get(rid)
    if row is None:
        _say("error", "Välj en regel att ta bort.")
        return

    def run(who: str) -> str:
        edits.remove_rule(
            config,
            row,
            who=who,
            why=st.session_state.get("koppla_remove_note", ""),
            base_version=seen["rules_version"],
        )
        return f"Regeln {rid} är borttagen."

    _guarded(run)


def _add_crosswalk() -> None:
    seen = _seen()
    s = st.session_state

    def run(who: str) -> str:
        edits.add_crosswalk(
            config,
            organisation=s.get("koppla_cw_org") or "",
            line_item=s.get("koppla_cw_old") or "",
            canonical=s.get("koppla_cw_new") or "",
            who=who,
            why=s.get("koppla_cw_note", ""),
            base_version=seen["crosswalk_version"],
        )
        return f"'{s.get('koppla_cw_old')}' räknas nu som '{s.get('koppla_cw_new')}'."

    _guarded(run)


if MESSAGE in st.session_state:
    kind, text = st.session_state.pop(MESSAGE)
    (st.success if kind == "success" else st.error)(text)

# --- coverage ----------------------------------------------------------------------------
cov = review.coverage(con)
cols = st.columns(4)
cols[0].metric(
    f"Kopplad andel av budget {cov['budget_year'] or ''}".strip(),
    fmt.percent(cov["mapped_share"], 1) if cov["mapped_share"] is not None else "–",
    help="Andel av den senast antagna driftbudgeten (Mål och budget) som är kopplad till förslag.",
)
cols[1].metric(
    "Förslag utan pengar",
    f"{cov['without_money']} av {cov['proposals']}" if cov["proposals"] else "–",
    help="Kommunala förslag i programmet som ingen budgetrad är kopplad till. "
    "Kräver att programmet är inläst (verkstad ingest data/program/…).",
)
cols[2].metric("Rader över 100 %", cov["over_mapped"])
cols[3].metric("Okopplade rader", cov["unmapped_lines"])
problems = review.file_problems(con)
if problems:
    st.warning(
        "Regelfilerna har rader som inte används:\n"
        + "\n".join(f"- {f}: {p}" for f, p in problems),
        icon="⚠️",
    )

# --- worklist ----------------------------------------------------------------------------
st.subheader("Arbetslista")
left, right, third = st.columns([2, 2, 1])
documents = left.multiselect(
    "Dokument",
    list(DOCUMENTS),
    default=["budget", "forslag"],
    format_func=DOCUMENTS.get,
    key="koppla_documents",
)
statuses = right.multiselect(
    "Status", STATUSES, default=["okopplad", "delvis", "över 100 %"], key="koppla_status"
)
with_totals = third.checkbox(
    "Visa totalramar",
    key="koppla_totals",
    help="Rader som bara är en nämnds egen total (t.ex. 'Socialnämnden' eller 'SN').",
)
lines = review.worklist(con, statuses, documents, with_totals=with_totals)
if lines.is_empty():
    st.caption("Inga rader med de valen.")
    st.session_state[SEEN] = {
        "rules_version": review.rules_table(config)[1],
        "rejections_version": review.rejections_version(config),
        "crosswalk_version": crosswalk_store(config.crosswalk_file).read().version,
        "line": None,
        "suggested": [],
        "titles": {},
        "rules": {},
    }
    st.stop()

records = lines.to_dicts()
st.dataframe(
    [
        {
            "Nämnd/bolag": r["organisation"],
            "Rad": r["line_item"],
            "Dokument": DOCUMENTS.get(r["document"], r["document"]),
            "Aktör": r["actor"],
            "Slag": r["budget_kind"],
            "Senaste år": r["last_year"],
            "Belopp": fmt.sek(r["amount_sek"]),
            "Kopplat": fmt.percent(r["share_max"]),
            "Status": r["status"],
        }
        for r in records
    ],
    hide_index=True,
    width="stretch",
)


def _label(i: int) -> str:
    r = records[i]
    doc = DOCUMENTS.get(r["document"], r["document"])
    return (
        f"{r['organisation']} — {r['line_item']} ({doc}, {r['actor']}, {r['budget_kind']}) · "
        f"{fmt.sek(r['amount_sek'])}"
    )


index = st.selectbox("Rad att koppla", range(len(records)), format_func=_label, key="koppla_line")
record = records[index or 0]
line = Line(
    record["organisation"],
    record["line_item"],
    record["document"],
    record["actor"],
    record["budget_kind"],
    record["last_year"],
)
titles = review.proposal_titles(con, config)
if record["proposal_ids"]:
    st.caption("Redan kopplad till: " + "; ".join(titles.get(p, p) for p in record["proposal_ids"]))

# --- suggestions -------------------------------------------------------------------------
st.subheader("Förslag till koppling")
suggestions = review.suggestions_for_line(config, line, top=5)
if not suggestions:
    st.caption("Inga förslag: programmet är inte inläst, eller alla förslag är avvisade.")
else:
    for rank, s in enumerate(suggestions, start=1):
        st.markdown(f"**{rank}. {s.title}** · poäng {fmt.number(s.score, 2)}  \n{s.reason}")
    choice_ids = [s.proposal_id for s in suggestions]
    st.radio(
        "Välj förslag",
        choice_ids,
        format_func=lambda pid: titles.get(pid, pid),
        key="koppla_choice",
    )
    read_only = editor is None
    c1, c2 = st.columns(2)
    c1.number_input("Andel av raden (%)", 1, 100, 100, key="koppla_share", disabled=read_only)
    c2.checkbox(
        "Bara i detta dokument och för denna aktör",
        key="koppla_only_document",
        disabled=read_only,
    )
    st.text_input("Varför (sparas i loggen)", key="koppla_note", disabled=read_only)
    b1, b2 = st.columns(2)
    b1.button("Godkänn", key="koppla_accept", on_click=_accept, disabled=read_only, type="primary")
    b2.button("Avvisa", key="koppla_reject", on_click=_reject, disabled=read_only)

all_ids = list(dict.fromkeys([s.proposal_id for s in suggestions] + sorted(titles)))
with st.expander("Dela raden mellan flera förslag"):
    chosen = st.multiselect(
        "Förslag",
        all_ids,
        format_func=lambda pid: titles.get(pid, pid),
        key="koppla_split",
        disabled=editor is None,
        placeholder="Välj förslag",
    )
    for i, pid in enumerate(chosen):
        st.number_input(
            f"Andel (%) för {titles.get(pid, pid)}",
            1,
            100,
            max(1, 100 // len(chosen)),
            key=f"koppla_split_share_{i}",
        )
    st.text_input("Varför", key="koppla_split_note", disabled=editor is None)
    st.button("Spara delning", key="koppla_split_save", on_click=_split, disabled=editor is None)

with st.expander("Skriv en egen regel"):
    st.caption(
        "En regel kopplar alla rader som matchar: exakt text, eller ett mönster där * står "
        "för vad som helst (t.ex. *fältassist*). Lämna nämnd, dokument och år tomma för alla."
    )
    st.text_input("Nämnd eller bolag", value=record["organisation"], key="koppla_rule_org")
    st.text_input("Rad eller mönster", value=record["line_item"] or "", key="koppla_rule_item")
    st.radio("Matchning", ["exakt", "mönster"], horizontal=True, key="koppla_rule_match")
    st.selectbox(
        "Dokument",
        ["", *DOCUMENTS],
        format_func=lambda d: DOCUMENTS.get(d, "alla"),
        key="koppla_rule_document",
    )
    y1, y2 = st.columns(2)
    y1.number_input("Från år", 1990, 2100, value=None, key="koppla_rule_from")
    y2.number_input("Till år", 1990, 2100, value=None, key="koppla_rule_to")
    st.selectbox(
        "Förslag", all_ids, format_func=lambda pid: titles.get(pid, pid), key="koppla_rule_proposal"
    )
    st.number_input("Andel (%)", 1, 100, 100, key="koppla_rule_share")
    st.text_input("Varför", key="koppla_rule_note")
    st.button("Spara regel", key="koppla_rule_save", on_click=_write_rule, disabled=editor is None)

with st.expander("Raden har bytt namn"):
    st.caption(
        "Säg att ett gammalt radnamn är samma rad som ett nytt, så räcker en regel för alla år."
    )
    st.text_input(
        "Nämnd eller bolag (tomt = alla)", value=record["organisation"], key="koppla_cw_org"
    )
    st.text_input(
        "Namnet som det står i dokumentet", value=record["line_item"] or "", key="koppla_cw_old"
    )
    st.text_input("Samma rad heter", key="koppla_cw_new")
    st.text_input("Varför", key="koppla_cw_note")
    st.button(
        "Spara namnbyte", key="koppla_cw_save", on_click=_add_crosswalk, disabled=editor is None
    )

rules, rules_version = review.rules_table(config)
with st.expander(f"Regler ({rules.height})"):
    st.dataframe(rules, hide_index=True, width="stretch")
    if rules.height:
        st.selectbox(
            "Ta bort regel",
            rules["rule_id"].to_list(),
            format_func=lambda rid: next(
                f"{r['rule_id']}: {r['line_item']} → {titles.get(r['proposal_id'], r['proposal_id'])}"
                for r in rules.iter_rows(named=True)
                if r["rule_id"] == rid
            ),
            key="koppla_remove_rule",
        )
        st.text_input("Varför", key="koppla_remove_note")
        st.button(
            "Ta bort regeln", key="koppla_remove", on_click=_remove_rule, disabled=editor is None
        )

with st.expander("Förslag utan pengar"):
    st.dataframe(review.proposals_without_money(con), hide_index=True, width="stretch")

with st.expander("Logg över ändringar"):
    broken = review.audit_problems(config)
    if broken:
        st.error(
            "Loggen har ändrats i efterhand: " + "; ".join(broken[:5]),
            icon="🚨",
        )
    for entry in review.audit_tail(config, 20):
        st.markdown(
            f"**{entry.get('at', '')}** · {entry.get('who', '')} · {entry.get('action', '')} · "
            f"{entry.get('file', '')}  \n{entry.get('why') or '–'}"
        )

st.session_state[SEEN] = {
    "rules_version": rules_version,
    "rejections_version": review.rejections_version(config),
    "crosswalk_version": crosswalk_store(config.crosswalk_file).read().version,
    "line": line,
    "suggested": [s.proposal_id for s in suggestions],
    "titles": titles,
    "rules": {r["rule_id"]: r for r in rules.iter_rows(named=True)},
}
