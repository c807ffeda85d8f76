"""Streamlit entry point: language switch and page navigation (UI only).

Start with ``geo-app serve`` (applies ``streamlit_config.toml``).
"""

import streamlit as st

from geo_app.i18n import t
from geo_app.ui import language_selector

st.set_page_config(page_title="Närvarokartan", page_icon="🗺️", layout="wide")
lang = language_selector()
st.sidebar.caption(t("app.title", lang))
pages = [
    st.Page("pages/national_map.py", title=t("page.map", lang), url_path="karta", default=True),
    st.Page("pages/presence_gaps.py", title=t("page.gaps", lang), url_path="luckor"),
    st.Page("pages/compare.py", title=t("page.compare", lang), url_path="jamfor"),
    st.Page("pages/data_sources.py", title=t("page.data", lang), url_path="data"),
]
st.navigation(pages).run()
