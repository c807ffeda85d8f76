"""Streamlit entry point: language switch and page navigation (UI only).

Start with ``geo-app serve`` (applies ``streamlit_config.toml``) or
``streamlit run geo_app/app/main.py``. The pages are the thin scripts in the
repository's top-level ``pages/`` folder; this script sits inside the package so
Streamlit never treats that folder as an old-style (v1) multipage folder.
"""

import streamlit as st

from geo_app.app.ui import language_selector, page_chrome
from geo_app.data.paths import PAGES_DIR
from geo_app.i18n import t

st.set_page_config(page_title="Närvarokartan", page_icon="🗺️", layout="wide")
lang = language_selector()
page_chrome(lang)  # <html lang>, caption contrast, map focus ring
st.sidebar.caption(t("app.title", lang))
pages = [
    st.Page(PAGES_DIR / "national_map.py", title=t("page.map", lang), url_path="karta", default=True),
    st.Page(PAGES_DIR / "presence_gaps.py", title=t("page.gaps", lang), url_path="luckor"),
    st.Page(PAGES_DIR / "compare.py", title=t("page.compare", lang), url_path="jamfor"),
    st.Page(PAGES_DIR / "scenario.py", title=t("page.scenario", lang), url_path="scenario"),
    st.Page(PAGES_DIR / "suggest.py", title=t("page.suggest", lang), url_path="forslag"),
    st.Page(PAGES_DIR / "data_sources.py", title=t("page.data", lang), url_path="data"),
    st.Page(PAGES_DIR / "accessibility.py", title=t("page.accessibility", lang), url_path="tillganglighet"),
]
st.navigation(pages).run()
