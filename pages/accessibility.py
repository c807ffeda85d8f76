"""Page "Tillgänglighet": the accessibility statement (tillgänglighetsredogörelse), our own text (UI only)."""

import streamlit as st

from geo_app.app import ui
from geo_app.i18n import t

lang = ui.language()
st.title(t("a11y.heading", lang))
st.markdown(t("a11y.body", lang))
