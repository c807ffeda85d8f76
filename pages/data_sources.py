"""Data page: the catalogue of every dataset with source, year, licence and kind (UI only)."""

import pandas as pd
import streamlit as st

from geo_app import ui
from geo_app.i18n import t

lang = ui.language()
b = ui.bundle()
st.title(t("data.heading", lang))
st.caption(t("data.intro", lang))
rows = [
    {
        t("data.name", lang): d.name(lang),
        t("data.kind", lang): t(f"kind.{d.kind}", lang),
        t("data.source", lang): d.source,
        t("data.year", lang): d.year,
        t("data.licence", lang): d.licence,
        t("data.rows", lang): d.rows,
        t("data.note", lang): d.note,
        "URL": d.url,
    }
    for d in b.catalogue.values()
]
st.dataframe(
    pd.DataFrame(rows), width="stretch", hide_index=True,
    column_config={"URL": st.column_config.LinkColumn("URL")},
)
