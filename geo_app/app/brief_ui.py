"""The Jämför page's "Skriv ut / Ladda ner PDF": the brief of the chosen kommun or län (Streamlit glue)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import partial

import streamlit as st

from geo_app.i18n import t
from geo_app.layers.bundle import Bundle
from geo_app.report.brief import brief_bytes, file_name_for
from geo_app.report.context import BriefInputs


def download_buttons(bundle: Bundle, level: str, codes: Sequence[str], lang: str, inputs: BriefInputs) -> None:
    """A unit picker (when several are compared) and PDF/HTML buttons; the brief is made on click.

    ``inputs``: the page's year and its presence (offices, states) on ``inputs.as_of`` (default today).
    """
    st.subheader(t("brief.download.heading", lang))
    if level not in ("kommun", "lan"):
        st.caption(t("brief.download.regso", lang))
        return
    names = bundle.kommun["kommunnamn"] if level == "kommun" else bundle.lan["lansnamn"]
    code = codes[0]
    if len(codes) > 1:
        code = st.selectbox(
            t("brief.download.unit", lang),
            list(codes),
            format_func=lambda c: f"{names[c]} ({c})",
            key="c_brief_unit",
            placeholder=t("ui.choose_one", lang),
        )
    day = inputs.as_of or date.today()
    inputs = replace(inputs, as_of=day)
    c1, c2 = st.columns(2)
    for col, fmt, mime, primary in (
        (c1, "pdf", "application/pdf", True),
        (c2, "html", "text/html", False),
    ):
        col.download_button(
            t(f"brief.download.{fmt}", lang) + f" – {names[code]}",
            partial(brief_bytes, bundle, inputs, (level, code), fmt, lang),
            file_name=file_name_for(level, code, day, fmt),
            mime=mime,
            key=f"c_brief_{fmt}",
            type="primary" if primary else "secondary",
        )
