"""Importera: upload workbooks or CSV files, see the ingest report, confirm to load them.

Only a logged-in editor may upload. The preview runs the real importer against a throwaway
copy of the database, so its report is the one the load will give.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from pipelines import auth, ui
from pipelines.sources import upload

KINDS = {
    "Gissa ur innehåll och filnamn": None,
    "Mål och budget": "budget",
    "Partiets budgetförslag": "forslag",
    "Delårsrapport": "delarsrapport",
    "Bokslut / årsredovisning": "bokslut",
}
PREVIEW = "_importera_preview"  # (fingerprint, reports) of the last preview
RESULT = "_importera_result"

st.title("Importera dokument")
st.caption(
    "Arbetsböcker (xlsx, xlsm, xls, ods) och CSV-filer med budget, delårsrapport, bokslut "
    "eller partiets budgetförslag. Makron körs aldrig."
)
config = ui.config()
if not auth.is_editor():
    st.info("Logga in som redaktör i sidomenyn för att läsa in dokument.", icon="🔒")
    st.stop()

files = st.file_uploader(
    "Filer",
    type=[ext.lstrip(".") for ext in upload.ALLOWED],
    accept_multiple_files=True,
    key="importera_filer",
)
kind_label = st.selectbox("Dokumentslag", list(KINDS), key="importera_slag")
year = st.number_input(
    "Dokumentets år (0 = läs ur innehållet)",
    min_value=0,
    max_value=2100,
    value=0,
    step=1,
    key="importera_ar",
)


def _show(reports) -> None:
    for report in reports:
        lines = upload.report_lines(report)
        if report.status == "rejected":
            st.error(lines[0])
        elif report.status == "already loaded":
            st.info(lines[0])
        else:
            st.success(lines[0])
            st.code("\n".join(lines[1:]) or "-", language=None)
            with st.expander("Tabeller i detalj"):
                st.json(report.details.get("_tabeller", []))


uploads = [upload.Upload(f.name, f.getvalue()) for f in files or []]
if RESULT in st.session_state:
    st.subheader("Inläst")
    _show(st.session_state[RESULT])
if uploads:
    problems = upload.check_uploads(uploads, config)
    if problems:
        for problem in problems:
            st.error(problem)
        st.stop()
    kind = KINDS[kind_label]
    chosen_year = int(year) or None
    digest = hashlib.sha256()
    for up in uploads:
        digest.update(hashlib.sha256(up.data).digest())
    fingerprint = (digest.hexdigest(), kind, chosen_year)
    if st.button("Förhandsgranska", key="importera_forhandsgranska", type="primary"):
        with st.spinner("Läser filerna …"):
            reports = upload.preview(uploads, config, kind, chosen_year)
        st.session_state[PREVIEW] = (fingerprint, reports)
        st.session_state.pop(RESULT, None)
    seen = st.session_state.get(PREVIEW)
    if seen and seen[0] == fingerprint:
        st.subheader("Förhandsgranskning")
        _show(seen[1])
        accepted = [r for r in seen[1] if r.status == "accepted"]
        if accepted and st.button(
            f"Läs in {len(accepted)} fil(er)", key="importera_bekrafta", type="primary"
        ):
            # checked again at the moment of writing: the login may have ended meanwhile
            if not auth.is_editor():
                st.error("Du måste vara inloggad som redaktör för att läsa in dokument.")
                st.stop()
            with st.spinner("Läser in …"):
                result = upload.load(uploads, config, kind, chosen_year)
            st.session_state[RESULT] = result
            st.session_state.pop(PREVIEW, None)
            st.rerun()
