"""Roles on the Data page (AppTest): viewers' uploads stay in their session, editors change shared data
(password login, confirmation before removal), every change in the audit log."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo_app.app import credentials
from geo_app.data import loaders, user_store
from geo_app.data.paths import APP_SCRIPT, page_script
from geo_app.imports import indicators as indicator_import

TIMEOUT = 180


def data_page() -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT).run()
    at.switch_page(page_script("data_sources.py")).run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def known():
    return loaders.load_regso(), loaders.load_kommun(), loaders.load_regso2020_keys()


def prepared(tmp_path, known, name: str):
    f = tmp_path / f"{name}.csv"
    pd.DataFrame({"regsokod": known[0].index[:4], "arbetslosa_pct": [5.0, 6.0, 7.0, 8.0]}).to_csv(f, index=False)
    return indicator_import.prepare_indicators(f, *known, import_id=name, year=2024)


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def test_a_viewers_upload_is_private_to_the_session(tmp_path, known, user_dir, monkeypatch):
    monkeypatch.delenv("GEO_APP_EDITOR_PASSWORD_HASH", raising=False)
    at = data_page()
    assert any("besökare" in i.value for i in at.info)
    at.session_state["import_preview"] = prepared(tmp_path, known, "privat_test")
    at.run()
    at.button(key="import_preview_save").click().run()
    assert not at.exception
    assert "privat_test" in texts(at) and "bara i din session" in texts(at)
    assert user_store.backend().entries() == []  # nothing shared was written
    assert user_store.audit_log() == []
    # the visitor's own map offers the imported layer …
    at.switch_page(page_script("national_map.py")).run()
    assert any("arbetslosa_pct" in str(o) for o in at.selectbox(key="layer").options)
    # … a second session sees neither the import nor the layer
    other = data_page()
    assert "privat_test" not in texts(other)
    other.switch_page(page_script("national_map.py")).run()
    assert not any("arbetslosa_pct" in str(o) for o in other.selectbox(key="layer").options)


def test_a_viewer_cannot_remove_shared_imports(tmp_path, known, user_dir, monkeypatch):
    monkeypatch.delenv("GEO_APP_EDITOR_PASSWORD_HASH", raising=False)
    indicator_import.save_indicators(prepared(tmp_path, known, "delad"), actor="cli:test")
    at = data_page()
    assert "delad" in texts(at)
    assert not [b for b in at.button if b.key == "remove_delad"]


def test_an_editor_signs_in_saves_for_everyone_and_removes_after_confirmation(tmp_path, known, user_dir, monkeypatch):
    monkeypatch.setenv("GEO_APP_EDITOR_PASSWORD_HASH", credentials.hash_password("rätt lösen"))
    at = data_page()
    at.text_input(key="editor_name").input("Anna")
    at.text_input(key="editor_password").input("fel")
    next(b for b in at.button if b.label == "Logga in").click().run()
    assert any("Fel lösenord" in e.value for e in at.error)
    at.text_input(key="editor_name").input("Anna")
    at.text_input(key="editor_password").input("rätt lösen")
    next(b for b in at.button if b.label == "Logga in").click().run()
    assert any("password:Anna" in s.value for s in at.success)
    assert "rätt lösen" not in str(at.query_params)

    at.session_state["import_preview"] = prepared(tmp_path, known, "gemensam")
    at.run()
    at.button(key="import_preview_save").click().run()
    assert [e["id"] for e in user_store.backend().entries()] == ["gemensam"]
    # the same name again needs an explicit confirmation to replace
    at.session_state["import_preview"] = prepared(tmp_path, known, "gemensam")
    at.run()
    assert at.button(key="import_preview_save").disabled
    at.checkbox(key="import_preview_confirm").check().run()
    at.button(key="import_preview_save").click().run()
    # removal asks first
    at.button(key="remove_gemensam").click().run()
    assert [e["id"] for e in user_store.backend().entries()] == ["gemensam"]
    assert any("Ta bort importen gemensam" in w.value for w in at.warning)
    at.button(key="remove_confirm").click().run()
    assert user_store.backend().entries() == []
    log = user_store.audit_log()
    assert [(r["who"], r["action"]) for r in log] == [
        ("password:Anna", "remove"),
        ("password:Anna", "replace"),
        ("password:Anna", "import"),
    ]
    assert log[2]["sha256"] and log[2]["rows"] == 4
    assert any("Ändringslogg" in e.label for e in at.expander)


def test_password_hashes_verify_and_never_hold_the_password():
    stored = credentials.hash_password("s3cret!")
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    assert credentials.verify_password("s3cret!", stored)
    assert not credentials.verify_password("s3cret", stored)
    assert not credentials.verify_password("s3cret!", "garbage")


def test_viewing_can_require_a_login(user_dir, monkeypatch):
    monkeypatch.setenv("GEO_APP_REQUIRE_LOGIN", "1")
    monkeypatch.setenv("GEO_APP_EDITOR_PASSWORD_HASH", credentials.hash_password("lösen"))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=TIMEOUT).run()
    assert any("Logga in för att se kartan" in i.value for i in at.info)
    assert not at.get("deck_gl_json_chart")  # the map page did not run
    at.text_input(key="editor_password").input("lösen")
    next(b for b in at.button if b.label == "Logga in").click().run()
    assert not at.info or not any("Logga in för att se kartan" in i.value for i in at.info)
    assert at.get("deck_gl_json_chart")
