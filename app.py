"""Verkstad: navigation and the shared sidebar. Each page lives in pages/."""

import streamlit as st

from pipelines import auth, ui

st.set_page_config(page_title="Verkstad", page_icon="🛠️", layout="wide")

PAGES = [
    st.Page(
        "pages/oversikt.py",
        title="Översikt",
        icon=":material/dashboard:",
        url_path="oversikt",
        default=True,
    ),
    # url_path differs from the file's stem: on a fresh server Streamlit serves /<stem> from
    # pages/ directly (its old directory mode), without app.py, until st.navigation has run.
    st.Page("pages/forslag.py", title="Förslag", icon=":material/task_alt:", url_path="forslaget"),
    st.Page(
        "pages/jamfor.py", title="Jämför år", icon=":material/compare_arrows:", url_path="jamfor-ar"
    ),
    st.Page("pages/program.py", title="Program", icon="📜", url_path="program"),
    st.Page("pages/koppla.py", title="Koppla", icon=":material/link:", url_path="koppla"),
    st.Page(
        "pages/kommundelar.py", title="Kommundelar", icon=":material/map:", url_path="kommundelarna"
    ),
    st.Page("pages/jamforelse.py", title="Jämförelse", icon="⚖️", url_path="jamforelse"),
    st.Page("pages/leverantorer.py", title="Leverantörer", icon="🧾", url_path="leverantorer"),
    st.Page(
        "pages/ord_mot_verkstad.py",
        title="Ord mot verkstad",
        icon=":material/fact_check:",
        url_path="ord-mot-verkstad",
    ),
    st.Page(
        "pages/presentation.py",
        title="Presentation",
        icon=":material/slideshow:",
        url_path="presentationslage",
    ),
    st.Page(
        "pages/importera.py", title="Importera", icon=":material/upload_file:", url_path="importera"
    ),
]

navigation = st.navigation(PAGES)
ui.sidebar()
auth.login_box()
navigation.run()
