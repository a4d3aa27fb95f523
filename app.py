"""Verkstad: navigation and the shared sidebar. Each page lives in pages/."""

import streamlit as st

from pipelines import auth, ui

st.set_page_config(page_title="Verkstad", page_icon=":material/construction:", layout="wide")

# Every url_path differs from its file's stem: on a freshly started server Streamlit serves
# /<stem> straight from pages/ (its old directory mode), without app.py's sidebar and login,
# until st.navigation has run once. tests/test_app.py keeps it so.
PAGES = [
    st.Page(
        "pages/oversikt.py",
        title="Översikt",
        icon=":material/dashboard:",
        url_path="start",
        default=True,
    ),
    st.Page("pages/forslag.py", title="Förslag", icon=":material/task_alt:", url_path="forslaget"),
    st.Page(
        "pages/jamfor.py", title="Jämför år", icon=":material/compare_arrows:", url_path="jamfor-ar"
    ),
    st.Page(
        "pages/program.py",
        title="Program",
        icon=":material/menu_book:",
        url_path="handlingsprogrammet",
    ),
    st.Page("pages/koppla.py", title="Koppla", icon=":material/link:", url_path="koppling"),
    st.Page(
        "pages/kommundelar.py", title="Kommundelar", icon=":material/map:", url_path="kommundelarna"
    ),
    st.Page(
        "pages/jamforelse.py",
        title="Jämförelse",
        icon=":material/balance:",
        url_path="kommunjamforelse",
    ),
    st.Page(
        "pages/leverantorer.py",
        title="Leverantörer",
        icon=":material/receipt_long:",
        url_path="leverantorsbetalningar",
    ),
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
        "pages/importera.py", title="Importera", icon=":material/upload_file:", url_path="import"
    ),
]

navigation = st.navigation(PAGES)
ui.sidebar()
auth.login_box()
navigation.run()
