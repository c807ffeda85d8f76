"""Who may change shared data: viewers (no login by default) and editors.

Editors sign in with Streamlit's built-in OpenID Connect (``st.login``; configured in
``.streamlit/secrets.toml`` under ``[auth]``) — what an agency's identity provider speaks —
or, for the embedded default, with an editor password whose **hash** is in Streamlit's
secrets (``editor_password_hash``) or ``GEO_APP_EDITOR_PASSWORD_HASH`` (make one with
``geo-app hash-password``). The password is never stored and never in a URL.

``GEO_APP_EDITORS`` (or ``editors = [...]`` in the secrets) limits OIDC editors to those
e-mail addresses; ``GEO_APP_REQUIRE_LOGIN=1`` (or ``require_login = true``) makes viewing
need a login too.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

import streamlit as st

from geo_app.app import credentials
from geo_app.i18n import t

EDITOR_KEY = "_editor_actor"
FAILS_KEY = "_editor_fails"
MAX_FAILS = 5
LOCK_SECONDS = 60


def _secret(key: str) -> Any:  # a TOML value: text, list, table, bool
    try:
        return st.secrets.get(key)
    except Exception:  # noqa: BLE001 - no secrets file, or a malformed one: treat as not configured
        return None


def oidc_configured() -> bool:
    """True when Streamlit's OIDC login is configured (an ``[auth]`` section in the secrets)."""
    return bool(_secret("auth"))


def password_hash() -> str | None:
    """The editor password hash from the secrets or the environment (None: no password login)."""
    return _secret("editor_password_hash") or os.environ.get("GEO_APP_EDITOR_PASSWORD_HASH") or None


def _editor_emails() -> set[str]:
    listed = _secret("editors") or [e for e in os.environ.get("GEO_APP_EDITORS", "").split(",") if e.strip()]
    return {str(e).strip().casefold() for e in listed}


def login_required() -> bool:
    """True when viewing needs a login (off by default)."""
    flag = _secret("require_login")
    if flag is None:
        flag = os.environ.get("GEO_APP_REQUIRE_LOGIN", "0")
    return str(flag).lower() in ("1", "true", "yes")


def _oidc_user() -> str | None:
    try:
        if not st.user.is_logged_in:
            return None
        return str(st.user.get("email") or st.user.get("sub") or "user")
    except Exception:  # noqa: BLE001 - st.user unavailable (auth not configured)
        return None


def editor() -> str | None:
    """The signed-in editor as written to the audit log (``oidc:…``/``password:…``), or None for a viewer."""
    if oidc_configured():
        user = _oidc_user()
        if user is not None:
            allowed = _editor_emails()
            if not allowed or user.casefold() in allowed:
                return f"oidc:{user}"
    return st.session_state.get(EDITOR_KEY)


def gate_viewing(lang: str) -> None:
    """Stop the page for visitors who are not signed in, when viewing needs a login."""
    if not login_required():
        return
    if oidc_configured() and _oidc_user() is not None:
        return
    if st.session_state.get(EDITOR_KEY):
        return
    st.info(t("secure.login_required", lang))
    editor_panel(lang)
    st.stop()


def editor_panel(lang: str) -> str | None:
    """Sign-in/out for editors; returns the editor (or None). Shown on the Data page."""
    who = editor()
    if who is not None:
        st.success(t("secure.editor.signed_in", lang, who=who))
        if st.button(t("secure.editor.logout", lang), key="editor_logout"):
            st.session_state.pop(EDITOR_KEY, None)
            if oidc_configured() and _oidc_user() is not None:
                st.logout()
            st.rerun()
        return who
    if oidc_configured():
        if st.button(t("secure.editor.login", lang), key="editor_oidc_login"):
            st.login()
        return None
    stored = password_hash()
    if not stored:
        st.caption(t("secure.editor.none_configured", lang))
        return None
    with st.form("editor_login", clear_on_submit=True):
        name = st.text_input(t("secure.editor.who", lang), max_chars=60, key="editor_name")
        password = st.text_input(t("secure.editor.password", lang), type="password", key="editor_password")
        submitted = st.form_submit_button(t("secure.editor.login", lang))
    if submitted:
        fails, since = st.session_state.get(FAILS_KEY, (0, 0.0))
        if fails >= MAX_FAILS and time.time() - since < LOCK_SECONDS:
            st.error(t("secure.editor.locked", lang))
            return None
        if credentials.verify_password(password or "", stored):
            label = re.sub(r"[^\w .@-]", "", name or "").strip()[:60] or "editor"
            st.session_state[EDITOR_KEY] = f"password:{label}"
            st.session_state.pop(FAILS_KEY, None)
            st.rerun()
        time.sleep(1.0)  # slows guessing
        st.session_state[FAILS_KEY] = (fails + 1, time.time())
        st.error(t("secure.editor.wrong", lang))
    return None
