"""Data page: the catalogue (source, year, licence, kind) and import of the user's own figures (UI only)."""

import hashlib
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo_app.app import auth, ui
from geo_app.data import loaders, paths, user_store
from geo_app.errors import InputError
from geo_app.i18n import t
from geo_app.imports import indicators as indicator_import
from geo_app.imports import offices as office_import
from geo_app.imports import reader as table_reader
from geo_app.views import office_view, presence_view
from geo_app.views import preview as import_preview
from geo_app.views.links import http_link


def check_upload(upload, key: str, prepare) -> None:
    """Check the size, write the upload to a temporary folder, run ``prepare(path)``, keep the preview.

    The folder is removed whatever happens (a killed process leaves a ``.tmp-`` folder that the
    next start sweeps).
    """
    try:
        table_reader.check_size(upload.name, upload.size)  # before anything is written
        folder = Path(tempfile.mkdtemp(prefix=".tmp-upload-", dir=paths.uploads_dir()))
        try:
            tmp = folder / ("upload" + Path(upload.name).suffix.lower())
            data = upload.getvalue()
            tmp.write_bytes(data)
            st.session_state[key] = prepare(tmp)
            st.session_state[f"{key}_sha"] = hashlib.sha256(data).hexdigest()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    except InputError as exc:
        st.session_state.pop(key, None)
        st.error(ui.md_escape(t("import.refused", lang) + " " + str(exc)), icon="⚠️")


def save_button(key: str, preview, save) -> None:
    """The "save" button under a preview: shared (editors, with confirmation to replace) or session-private."""
    confirmed = True
    if editor is not None:
        if preview.id in {e["id"] for e in user_store.backend().entries()}:
            st.warning(ui.md_escape(t("secure.name_taken", lang, name=preview.id)))
            confirmed = st.checkbox(t("secure.confirm_replace", lang, name=preview.id), key=f"{key}_confirm")
        if getattr(preview, "replace", False):
            confirmed = confirmed and st.checkbox(
                t("secure.confirm_replace_embedded", lang, agency=presence_view.agency_name(preview.agency, lang)),
                key=f"{key}_confirm_embedded",
            )
    elif getattr(preview, "replace", False):
        st.caption(t("secure.replace_needs_editor", lang))
    if st.button(t("import.save", lang), type="primary", key=f"{key}_save", disabled=not confirmed):
        if editor is None:
            entry = private.add(preview.entry(), preview.table)
            message = t("secure.saved_private", lang, name=entry["id"], n=entry["matched"])
        else:
            taken = preview.id in {e["id"] for e in user_store.backend().entries()}
            try:
                entry = save(
                    preview,
                    replace=preview.id if taken else None,
                    actor=editor,
                    sha256=st.session_state.get(f"{key}_sha"),
                )
            except InputError as exc:
                st.error(ui.md_escape(str(exc)), icon="⚠️")
                return
            message = t("import.saved", lang, name=entry["id"], n=entry["matched"])
        st.session_state.pop(key, None)
        st.session_state["import_message"] = message
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
        "URL": http_link(d.url),
    }
    for d in b.catalogue.values()
]
st.dataframe(
    pd.DataFrame(rows),
    width="stretch",
    hide_index=True,
    column_config={"URL": st.column_config.LinkColumn("URL")},
)

private = ui.private_imports()
st.header(t("secure.editor.heading", lang))
editor = auth.editor_panel(lang)
if editor is None:
    st.info(t("secure.editor.viewer", lang))
if "import_message" in st.session_state:
    st.success(ui.md_escape(st.session_state.pop("import_message")))

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
        placeholder=t("ui.choose_one", lang),
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
            import_id=name or user_store.default_name(Path(upload.name).stem),
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
        index=lambda s: t(f"presence.state.{s}", lang), columns=lambda a: presence_view.agency_name(a, lang)
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
        format_func=lambda a: (
            t("officeimport.agency.other", lang) if a == "other" else presence_view.agency_name(a, lang)
        ),
        placeholder=t("ui.choose_one", lang),
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
            list_date=list_date if replace and list_date else None,
            file_name=office_file.name,
            import_id=office_name or user_store.default_name(Path(office_file.name).stem),
        ),
    )

office_preview = st.session_state.get("office_preview")
if office_preview is not None:
    st.subheader(t("import.preview", lang))
    st.text("\n".join(import_preview.office_summary(office_preview, lang)))
    shown = office_preview.table.head(50).assign(origin=office_preview.id)
    st.dataframe(office_view.office_table(shown, b.kommun["kommunnamn"], lang), width="stretch", hide_index=True)
    save_button("office_preview", office_preview, office_import.save_offices)

entries = user_store.list_imports()
pending = st.session_state.get("pending_remove")
if entries:
    st.subheader(t("import.list", lang))
    for e in entries:
        c1, c2 = st.columns([5, 1])
        where = t("secure.private_tag", lang) if e.get("private") else t("secure.shared_tag", lang)
        c1.text(
            f"{e['id']} – {e['file']} – {e['imported_at']} – {e.get('matched', e.get('rows'))} "
            + t("import.rows", lang)
            + f" – {where}"
        )
        if (e.get("private") or editor is not None) and c2.button(t("import.remove", lang), key=f"remove_{e['id']}"):
            st.session_state["pending_remove"] = (e["id"], bool(e.get("private")))
            st.rerun()
if pending:
    name, is_private = pending
    st.warning(ui.md_escape(t("secure.confirm_remove", lang, name=name)))
    c1, c2, _ = st.columns([1, 1, 4])
    if c1.button(t("secure.yes_remove", lang), type="primary", key="remove_confirm"):
        st.session_state.pop("pending_remove", None)
        try:
            if is_private:
                private.remove(name)
            elif editor is not None:
                user_store.remove(name, actor=editor)
            st.session_state["import_message"] = t("secure.removed", lang, name=name)
        except InputError as exc:
            st.error(ui.md_escape(str(exc)), icon="⚠️")
        st.rerun()
    if c2.button(t("secure.cancel", lang), key="remove_cancel"):
        st.session_state.pop("pending_remove", None)
        st.rerun()

log = user_store.audit_log(200)
if log:
    with st.expander(t("secure.audit.heading", lang) + f" ({len(log)})"):
        columns = {
            "at": "secure.audit.at",
            "who": "secure.audit.who",
            "action": "secure.audit.action",
            "import_id": "secure.audit.import",
            "file": "secure.audit.file",
            "rows": "secure.audit.rows",
        }
        frame = pd.DataFrame(log)[[*columns, "sha256"]].rename(columns={k: t(v, lang) for k, v in columns.items()})
        st.dataframe(frame, width="stretch", hide_index=True)
