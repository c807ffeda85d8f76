"""The user's imported data: one store with transactions, shared by every session and process.

Backends (see :mod:`geo_app.data.store_backends`): an embedded **SQLite** file in
``GEO_APP_DATA_DIR`` (default), or **PostgreSQL** when ``GEO_APP_DATABASE_URL`` is
set (several app replicas share it). Each import or removal is one transaction
that also writes an audit row (who, when, action, file, SHA-256, rows).

Imports are named by identifiers (:data:`NAME_PATTERN`); a name that is taken is
refused unless the caller replaces that import explicitly (``replace=NAME``).

A visitor without editor rights may still import for themselves: the app puts such
uploads in a :class:`PrivateImports` overlay that is active for that session only
(:func:`use_private`); :func:`list_imports`, :func:`load_table` and :func:`version`
include it, so the visitor's own map, tables and downloads show it and nobody
else's do.

A store from before (``imports/imports.json`` + Parquet files) is moved into the
database on first start, and stale ``.tmp-*`` files are swept.
"""

from __future__ import annotations

import contextvars
import getpass
import hashlib
import io
import json
import logging
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from geo_app.data import store_backends
from geo_app.data.paths import user_data_dir
from geo_app.errors import InputError

CATALOGUE = "imports.json"  # the catalogue of the old file store (migrated on first start)
NAME_MAX = 40
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,39}")
NAME_RULE = (
    f"1–{NAME_MAX} characters: lower-case a–z, digits 0–9, '_' or '-', starting with a letter (e.g. arbetsloshet_2023)"
)
STALE_TMP_SECONDS = 600
_log = logging.getLogger("geo_app.audit")
_backends: dict[tuple[str, str], store_backends.Backend] = {}


def imports_dir(data_dir: Path | None = None) -> Path:
    """The folder of the old file store (``<user data>/imports``), migrated on first start."""
    return Path(data_dir or user_data_dir()) / "imports"


def database_url() -> str | None:
    """``GEO_APP_DATABASE_URL`` (PostgreSQL) or None for the embedded SQLite store."""
    return os.environ.get("GEO_APP_DATABASE_URL") or None


def describe(data_dir: Path | None = None) -> str:
    """Where the store is, for messages (the PostgreSQL URL without its password)."""
    url = database_url()
    if url:
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
    return str(Path(data_dir or user_data_dir()) / store_backends.SQLITE_FILE)


def backend(data_dir: Path | None = None) -> store_backends.Backend:
    """The store for ``data_dir`` (or the configured database), opened once per process.

    Opening sweeps stale temporary files and migrates an old file store.
    """
    url = database_url()
    folder = Path(data_dir or user_data_dir())
    key = ("postgres", url) if url else ("sqlite", str(folder.resolve()))
    store: store_backends.Backend | None = _backends.get(key)
    if store is None:
        store = (
            store_backends.PostgresBackend(url)
            if url
            else store_backends.SqliteBackend(folder / store_backends.SQLITE_FILE)
        )
        sweep_temporary(folder)
        _migrate_file_store(folder, store)
        _backends[key] = store
    return store


def slug(text: str) -> str:
    """A safe identifier from a text: ASCII lowercase letters, digits and ``_``."""
    fold = str(text).casefold().translate(str.maketrans("åäöéü", "aaoeu"))
    out = re.sub(r"[^a-z0-9]+", "_", fold).strip("_")
    return out[:NAME_MAX] or "import"


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid import name; otherwise refuse it, saying the allowed form.

    Names are never rewritten: two different names must not silently become one.
    """
    if len(name) > NAME_MAX:
        raise InputError(f"import name {name[:60]!r}… is too long ({len(name)} characters); allowed: {NAME_RULE}")
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(f"import name {name!r} is not allowed; allowed: {NAME_RULE}")
    return name


def default_name(stem: str) -> str:
    """An import name derived from a file name when the user gave none (e.g. ``Mina siffror`` → ``mina_siffror``)."""
    out = slug(stem)
    return out if out[0].isalpha() else f"import_{out}"[:NAME_MAX]


# -- the session overlay (uploads of visitors without editor rights) --------------------------------


@dataclass
class PrivateImports:
    """Imports visible to one browser session only (kept in its session state)."""

    items: dict[str, tuple[dict[str, Any], pd.DataFrame]] = field(default_factory=dict)
    token: str = "empty"

    def add(self, entry: dict[str, Any], table: pd.DataFrame) -> dict[str, Any]:
        """Add or replace a private import; returns its entry."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        entry = {**entry, "imported_at": stamp, "private": True, "stored": "session"}
        self.items[entry["id"]] = (entry, table)
        self.token = uuid.uuid4().hex[:12]
        return entry

    def remove(self, import_id: str) -> dict[str, Any]:
        """Remove a private import; returns its entry."""
        if import_id not in self.items:
            raise InputError(f"no private import called {import_id!r}")
        self.token = uuid.uuid4().hex[:12]
        return self.items.pop(import_id)[0]


_private: contextvars.ContextVar[PrivateImports | None] = contextvars.ContextVar("private_imports", default=None)


def use_private(private: PrivateImports | None) -> None:
    """Make ``private`` the overlay of the current thread/context (the app sets it on every run)."""
    _private.set(private)


# -- reading --------------------------------------------------------------------------------------


def list_imports(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """Catalogue entries of the imports: the shared ones, then the session's private ones."""
    shared = backend(data_dir).entries()
    private = _private.get()
    if private is None or not private.items:
        return shared
    mine = [e for e, _ in private.items.values()]
    names = {e["id"] for e in mine}
    return [e for e in shared if e["id"] not in names] + mine


def version(data_dir: Path | None = None) -> str:
    """A short token of the store's state (changes with every import/removal), for cache keys."""
    gen = backend(data_dir).generation()
    private = _private.get()
    token = gen if private is None or not private.items else f"{gen}+{private.token}"
    return hashlib.sha256(token.encode()).hexdigest()[:12] if token != "empty" else "none"


def load_table(entry: dict[str, Any], data_dir: Path | None = None) -> pd.DataFrame:
    """The stored table of a catalogue entry."""
    private = _private.get()
    if entry.get("private") and private is not None and entry["id"] in private.items:
        return private.items[entry["id"]][1]
    return pd.read_parquet(io.BytesIO(backend(data_dir).table_bytes(entry["id"])))


def audit_log(limit: int = 500, data_dir: Path | None = None) -> list[dict[str, Any]]:
    """The newest audit rows (who, when, action, import, file, SHA-256, rows), newest first."""
    return backend(data_dir).audit_log(limit)


# -- writing --------------------------------------------------------------------------------------


def cli_actor() -> str:
    """Who runs the command line (``cli:<OS user>``), for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(  # noqa: PLR0913
    entry: dict[str, Any],
    table: pd.DataFrame,
    data_dir: Path | None = None,
    replace_kind: str | None = None,
    *,
    replace: str | None = None,
    actor: str | None = None,
    sha256: str | None = None,
) -> dict[str, Any]:
    """Store ``table`` and its ``entry`` in one transaction, with an audit row.

    Parameters
    ----------
    entry : dict
        Catalogue fields; ``id`` (a valid name, :func:`check_name`) and ``kind`` are required.
        ``stored`` and ``imported_at`` are filled in here.
    table : pandas.DataFrame
        The validated data to keep.
    replace_kind : str, optional
        Also drop every existing import of this kind.
    replace : str, optional
        The name of an existing import this one replaces; it must equal ``entry["id"]``.
        Without it an import whose name is taken is refused.
    actor : str, optional
        Who imports (default: the command line's OS user).
    sha256 : str, optional
        SHA-256 of the source file (for the audit log; default: of the stored table).

    Returns
    -------
    dict
        The entry as stored.
    """
    check_name(entry["id"])
    if replace is not None and replace != entry["id"]:
        raise InputError(f"--replace {replace!r} does not match the import name {entry['id']!r}")
    buf = io.BytesIO()
    table.to_parquet(buf, index=True)
    data = buf.getvalue()
    digest = sha256 or hashlib.sha256(data).hexdigest()
    store = backend(data_dir)
    replacing = replace is not None and any(e["id"] == replace for e in store.entries())
    now = datetime.now(UTC).isoformat(timespec="seconds")
    entry = {**entry, "stored": store.name, "imported_at": now, "sha256": digest}
    audit = {
        "at": now,
        "who": actor or cli_actor(),
        "action": "replace" if replacing else "import",
        "import_id": entry["id"],
        "file": entry.get("file"),
        "sha256": digest,
        "rows": entry.get("matched", entry.get("rows")),
    }
    store.write(entry, data, replace=replace, drop_kind=replace_kind, audit=audit)
    _log.info("import store changed", extra=audit)
    return entry


def remove(import_id: str, data_dir: Path | None = None, *, actor: str | None = None) -> dict[str, Any]:
    """Remove an import (one transaction, audited). Raises InputError if there is none."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    audit = {"at": now, "who": actor or cli_actor(), "action": "remove", "import_id": import_id}
    entry = backend(data_dir).delete(import_id, audit)
    _log.info("import store changed", extra={**audit, "file": entry.get("file")})
    return entry


# -- housekeeping ---------------------------------------------------------------------------------


def sweep_temporary(folder: Path, older_than: float = 0.0) -> int:
    """Delete ``.tmp-*`` files and folders left by killed processes under ``folder``; returns how many."""
    if not folder.exists():
        return 0
    now, n = time.time(), 0
    for path in [*folder.glob(".tmp-*"), *folder.glob("*/.tmp-*")]:
        try:
            if now - path.lstat().st_mtime < older_than:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            n += 1
        except FileNotFoundError:
            continue
    return n


def _migrate_file_store(folder: Path, store: store_backends.Backend) -> None:
    """Move an old ``imports/imports.json`` store into the database (once), then retire the files."""
    old = imports_dir(folder)
    catalogue = old / CATALOGUE
    if not catalogue.exists():
        return
    try:
        entries = json.loads(catalogue.read_text("utf-8"))
    except json.JSONDecodeError:
        catalogue.rename(old / f"{CATALOGUE}.damaged")
        return
    have = {e["id"] for e in store.entries()}
    for e in entries:
        name = e["id"] if NAME_PATTERN.fullmatch(e["id"]) else default_name(e["id"])
        table_file = old / e.get("stored", "")
        if name in have or not table_file.is_file():
            continue
        data = table_file.read_bytes()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        entry = {**e, "id": name, "stored": store.name}
        audit = {
            "at": now,
            "who": "migration",
            "action": "import",
            "import_id": name,
            "file": e.get("file"),
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": e.get("matched", e.get("rows")),
        }
        try:
            store.write(entry, data, replace=None, drop_kind=None, audit=audit)
        except InputError:
            continue
    catalogue.rename(old / f"{CATALOGUE}.migrated")
    for path in old.glob("*.parquet"):
        path.unlink(missing_ok=True)


def close_all() -> None:
    """Forget the opened stores (closing this thread's database connections)."""
    for store in _backends.values():
        close = getattr(store, "close", None)
        if close is not None:
            close()
    _backends.clear()
