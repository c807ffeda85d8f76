"""Data page: the catalogue (source, year, licence, kind) and import of the user's own figures (UI only)."""

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo_app.app import ui
from geo_app.data import loaders, user_store
from geo_app.errors import InputError
from geo_app.i18n import t
from geo_app.imports import indicators as indicator_import
from geo_app.imports import offices as office_import
from geo_app.views import gap_view, presence_view
from geo_app.views import preview as import_preview


def check_upload(upload, key: str, prepare) -> None:
    """Write the upload to a temporary file, run ``prepare(path)`` and keep the preview (or show why not)."""
    tmp = Path(tempfile.mkdtemp()) / ("upload" + Path(upload.name).suffix.lower())
    tmp.write_bytes(upload.getvalue())
    try:
        st.session_state[key] = prepare(tmp)
    except InputError as exc:
        st.session_state.pop(key, None)
        st.error(t("import.refused", lang) + " " + str(exc), icon="⚠️")
    finally:
        tmp.unlink(missing_ok=True)


def save_button(key: str, preview, save) -> None:
    """The "save" button under a preview: store it, forget the preview, say what was saved."""
    if st.button(t("import.save", lang), type="primary", key=f"{key}_save"):
        entry = save(preview)
        st.session_state.pop(key, None)
        st.success(t("import.saved", lang, name=entry["id"], n=entry["matched"]))
        st.rerun()


lang = ui.language()
b = ui.bundle()
st.title(t("data.heading", lang))
st.caption(t("data.intro", lang))
rows = [
    {
        t("data.name", lang): d.name(lang),
        t("data.kind", lang): t(f"kind.{d.kind}", lang),
        t("data.source", lang): d.source_in(lang),
        t("data.year", lang): d.year,
        t("data.licence", lang): d.licence,
        t("data.rows", lang): d.rows,
        t("data.note", lang): d.note_in(lang),
        "URL": d.url,
    }
    for d in b.catalogue.values()
]
st.dataframe(
    pd.DataFrame(rows),
    width="stretch",
    hide_index=True,
    column_config={"URL": st.column_config.LinkColumn("URL")},
)

st.header(t("import.heading", lang))
st.caption(t("import.intro", lang))
with st.form("import_form", clear_on_submit=False):
    upload = st.file_uploader(t("import.file", lang), type=["csv", "txt", "xlsx", "json"], key="import_file")
    c1, c2, c3 = st.columns(3)
    name = c1.text_input(t("import.name", lang), key="import_name")
    year = c2.number_input(
        t("import.year", lang), min_value=1990, max_value=2100, value=None, step=1, key="import_year"
    )
    key = c3.selectbox(
        t("import.key", lang),
        ["", *indicator_import.KEY_TYPES],
        key="import_key",
        format_func=lambda k: t(f"import.key.{k or 'auto'}", lang),
    )
    allow = st.checkbox(t("import.allow_unmatched", lang), key="import_allow")
    check = st.form_submit_button(t("import.check", lang))

if check and upload is not None:
    check_upload(
        upload,
        "import_preview",
        lambda path: indicator_import.prepare_indicators(
            path,
            b.regso,
            b.kommun,
            loaders.load_regso2020_keys(),
            file_name=upload.name,
            import_id=name or Path(upload.name).stem,
            year=int(year) if year else None,
            key_type=key or None,
            allow_unmatched=allow,
        ),
    )

preview = st.session_state.get("import_preview")
if preview is not None:
    st.subheader(t("import.preview", lang))
    st.text("\n".join(import_preview.indicator_summary(preview, lang)))
    names = b.regso["regsonamn"] if preview.level == "regso" else b.kommun["kommunnamn"]
    shown = preview.table.head(20).copy()
    shown.insert(
        0,
        t("col.regsonamn", lang) if preview.level == "regso" else t("col.kommunnamn", lang),
        names.reindex(shown.index),
    )
    st.dataframe(shown, width="stretch")
    save_button("import_preview", preview, indicator_import.save_indicators)

st.header(t("presence.completeness", lang))
st.caption(t("presence.completeness_intro", lang))
st.dataframe(
    presence_view.completeness_table(loaders.load_completeness(), lang),
    width="stretch",
    hide_index=True,
    column_config={t("offices.col.source", lang): st.column_config.LinkColumn()},
)
st.text(t("presence.states_heading", lang, day=date.today().isoformat()))
st.dataframe(
    presence_view.state_counts(ui.presence_states()).rename(
        index=lambda s: t(f"presence.state.{s}", lang), columns=gap_view.AGENCIES
    ),
    width="content",
)

st.header(t("officeimport.heading", lang))
st.caption(t("officeimport.intro", lang))
with st.form("office_form", clear_on_submit=False):
    office_file = st.file_uploader(
        t("import.file", lang), type=["csv", "txt", "xlsx", "json", "geojson", "gpkg"], key="office_file"
    )
    c1, c2, c3 = st.columns(3)
    agency = c1.selectbox(
        t("officeimport.agency", lang),
        list(office_import.AGENCY_CHOICES),
        key="office_agency",
        format_func=lambda a: t("officeimport.agency.other", lang) if a == "other" else gap_view.AGENCIES[a],
    )
    office_name = c2.text_input(t("import.name", lang), key="office_name")
    replace = c3.checkbox(t("officeimport.replace", lang), key="office_replace")
    list_date = c3.date_input(t("presence.list_date", lang), key="office_list_date", format="YYYY-MM-DD")
    office_check = st.form_submit_button(t("import.check", lang))

if office_check and office_file is not None:
    check_upload(
        office_file,
        "office_preview",
        lambda path: office_import.prepare_offices(
            path,
            b.regso,
            b.kommun,
            b.lan,
            loaders.load_towns(),
            loaders.load_postal_codes(),
            agency=agency,
            replace=replace,
            list_date=list_date.isoformat() if replace and list_date else None,
            file_name=office_file.name,
            import_id=office_name or Path(office_file.name).stem,
        ),
    )

office_preview = st.session_state.get("office_preview")
if office_preview is not None:
    st.subheader(t("import.preview", lang))
    st.text("\n".join(import_preview.office_summary(office_preview, lang)))
    shown = office_preview.table.head(50).assign(origin=office_preview.id)
    st.dataframe(gap_view.office_table(shown, b.kommun["kommunnamn"], lang), width="stretch", hide_index=True)
    save_button("office_preview", office_preview, office_import.save_offices)

entries = user_store.list_imports()
if entries:
    st.subheader(t("import.list", lang))
    for e in entries:
        c1, c2 = st.columns([5, 1])
        c1.text(
            f"{e['id']} – {e['file']} – {e['imported_at']} – {e.get('matched', e.get('rows'))} "
            + t("import.rows", lang)
        )
        if c2.button(t("import.remove", lang), key=f"remove_{e['id']}"):
            user_store.remove(e["id"])
            st.rerun()
