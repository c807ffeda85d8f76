"""Streamlit entry point: language switch and page navigation (UI only).

Start with ``geo-app serve`` or ``streamlit run geo_app/app/main.py`` (both read the same
hardened settings, see :mod:`geo_app.app.serve_config`). The pages are the thin scripts in
the repository's top-level ``pages/`` folder; this script sits inside the package so
Streamlit never treats that folder as an old-style (v1) multipage folder.

Every run activates the session's private imports (uploads of visitors without editor
rights) and, when viewing needs a login, stops visitors who are not signed in. An
unexpected error is logged server-side as a JSON line with an id; the visitor sees only
the id (``client.showErrorDetails`` is off).
"""

import streamlit as st

from geo_app.app import auth, logs
from geo_app.app.chrome_text import translate_chrome
from geo_app.app.ui import language_selector, md_escape, page_chrome, private_imports
from geo_app.data.paths import PAGES_DIR
from geo_app.i18n import t

logs.configure()
st.set_page_config(page_title="Närvarokartan", page_icon="🗺️", layout="wide")
private_imports()
lang = language_selector()
page_chrome(lang)  # <html lang>, caption contrast, map focus ring
translate_chrome(lang)  # Streamlit's own texts (skip link, uploader, table toolbar) in the page language
st.sidebar.caption(t("app.title", lang))
auth.gate_viewing(lang)
# The map is the default page at "/" (old links: "/?lan=…"); "/karta" opens it too, by a hidden
# alias (the default page's own url_path is not served, and two pages cannot share one path).
pages = [
    st.Page(PAGES_DIR / "national_map.py", title=t("page.map", lang), url_path="start", default=True),
    st.Page(PAGES_DIR / "national_map.py", title=t("page.map", lang), url_path="karta", visibility="hidden"),
    st.Page(PAGES_DIR / "presence_gaps.py", title=t("page.gaps", lang), url_path="luckor"),
    st.Page(PAGES_DIR / "compare.py", title=t("page.compare", lang), url_path="jamfor"),
    st.Page(PAGES_DIR / "scenario.py", title=t("page.scenario", lang), url_path="scenario"),
    st.Page(PAGES_DIR / "suggest.py", title=t("page.suggest", lang), url_path="forslag"),
    st.Page(PAGES_DIR / "data_sources.py", title=t("page.data", lang), url_path="data"),
    st.Page(PAGES_DIR / "accessibility.py", title=t("page.accessibility", lang), url_path="tillganglighet"),
]
page = st.navigation(pages)
try:
    page.run()
except Exception as exc:  # noqa: BLE001 - the visitor gets an id, the log gets the traceback
    st.error(md_escape(t("secure.error", lang, id=logs.log_error(exc, page.url_path))), icon="⚠️")
