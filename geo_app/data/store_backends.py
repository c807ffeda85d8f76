"""The two backends of the import store: SQLite (embedded default) and PostgreSQL.

Both keep the same three tables — ``imports`` (one row per import: the catalogue
entry as JSON and the table as Parquet bytes), ``audit`` (who did what, when) and
``meta`` (a generation token that changes with every write, for cache keys). Each
import or removal is **one transaction**, so concurrent writers (several sessions,
processes or replicas) never lose or orphan anything, and a process killed in the
middle leaves the previous state.

SQLite runs in WAL mode with ``BEGIN IMMEDIATE`` (writers queue, readers never
block); PostgreSQL serialises writers with a transaction-scoped advisory lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from geo_app.errors import InputError

SQLITE_FILE = "narvarokartan.sqlite3"
SCHEMA_VERSION = "1"
_LOCK_KEY = 4_711_016  # advisory lock id of the import store in PostgreSQL


class Backend(Protocol):
    """What :mod:`geo_app.data.user_store` needs from a backend."""

    name: str

    def entries(self) -> list[dict[str, Any]]:
        """Every catalogue entry, oldest first."""
        ...

    def generation(self) -> str:
        """A token that changes with every committed write."""
        ...

    def table_bytes(self, import_id: str) -> bytes:
        """The stored Parquet bytes of one import."""
        ...

    def write(
        self, entry: dict[str, Any], data: bytes, *, replace: str | None, drop_kind: str | None, audit: dict[str, Any]
    ) -> None:
        """Insert ``entry`` (replacing ``replace`` if given) and its audit row in one transaction."""
        ...

    def delete(self, import_id: str, audit: dict[str, Any]) -> dict[str, Any]:
        """Remove an import and record it, in one transaction; returns the removed entry."""
        ...

    def audit_log(self, limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` audit rows, newest first."""
        ...


def _conflict(entry_id: str) -> InputError:
    return InputError(
        f"an import called {entry_id!r} already exists; choose another name, "
        f"or replace it explicitly (--replace {entry_id})"
    )


AUDIT_COLUMNS = ("at", "who", "action", "import_id", "file", "sha256", "rows")


class SqliteBackend:
    """One SQLite file in the user data directory (WAL mode)."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(
                """
                CREATE TABLE IF NOT EXISTS imports (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, entry TEXT NOT NULL, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
                    action TEXT NOT NULL, import_id TEXT NOT NULL, file TEXT, sha256 TEXT, rows INTEGER);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT OR IGNORE INTO meta VALUES ('generation', 'empty');
                INSERT OR IGNORE INTO meta VALUES ('schema', '1');
                """
            )

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        con.execute("PRAGMA busy_timeout=60000")
        con.execute("PRAGMA synchronous=FULL")
        return con

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def entries(self) -> list[dict[str, Any]]:
        con = self._connect()
        try:
            return [json.loads(r[0]) for r in con.execute("SELECT entry FROM imports ORDER BY seq")]
        finally:
            con.close()

    def generation(self) -> str:
        con = self._connect()
        try:
            return str(con.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        finally:
            con.close()

    def table_bytes(self, import_id: str) -> bytes:
        con = self._connect()
        try:
            row = con.execute("SELECT data FROM imports WHERE id=?", (import_id,)).fetchone()
        finally:
            con.close()
        if row is None:
            raise InputError(f"no import called {import_id!r}")
        return bytes(row[0])

    def write(
        self, entry: dict[str, Any], data: bytes, *, replace: str | None, drop_kind: str | None, audit: dict[str, Any]
    ) -> None:
        with self._tx() as con:
            exists = con.execute("SELECT 1 FROM imports WHERE id=?", (entry["id"],)).fetchone()
            if exists and replace != entry["id"]:
                raise _conflict(entry["id"])
            con.execute("DELETE FROM imports WHERE id=?", (entry["id"],))
            if drop_kind:
                con.execute("DELETE FROM imports WHERE kind=?", (drop_kind,))
            con.execute(
                "INSERT INTO imports (id, kind, entry, data) VALUES (?, ?, ?, ?)",
                (entry["id"], entry["kind"], json.dumps(entry, ensure_ascii=False, sort_keys=True), data),
            )
            self._audit(con, audit)

    def delete(self, import_id: str, audit: dict[str, Any]) -> dict[str, Any]:
        with self._tx() as con:
            row = con.execute("SELECT entry FROM imports WHERE id=?", (import_id,)).fetchone()
            if row is None:
                known = ", ".join(r[0] for r in con.execute("SELECT id FROM imports ORDER BY seq")) or "none"
                raise InputError(f"no import called {import_id!r} (imports: {known})")
            con.execute("DELETE FROM imports WHERE id=?", (import_id,))
            entry: dict[str, Any] = json.loads(row[0])
            self._audit(con, {**audit, "file": entry.get("file"), "rows": entry.get("matched", entry.get("rows"))})
            return entry

    def _audit(self, con: sqlite3.Connection, audit: dict[str, Any]) -> None:
        con.execute(
            f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})",
            tuple(audit.get(c) for c in AUDIT_COLUMNS),
        )
        con.execute("UPDATE meta SET value=? WHERE key='generation'", (uuid.uuid4().hex,))

    def audit_log(self, limit: int) -> list[dict[str, Any]]:
        con = self._connect()
        try:
            rows = con.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY seq DESC LIMIT ?", (limit,))
            return [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in rows]
        finally:
            con.close()

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` result (``"ok"`` when the file is sound)."""
        con = self._connect()
        try:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            con.close()


class PostgresBackend:
    """A PostgreSQL database shared by several app replicas (psycopg 3)."""

    name = "postgres"

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self.url = url
        self.pool_size = pool_size
        self._idle: list[Any] = []  # a small pool shared by Streamlit's script threads
        self._lock = threading.Lock()
        with self._tx() as cur:
            cur.execute(
                """
                CREATE TABLE IF NOT EXISTS imports (
                    seq BIGSERIAL PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, entry TEXT NOT NULL, data BYTEA NOT NULL);
                CREATE TABLE IF NOT EXISTS audit (
                    seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
                    action TEXT NOT NULL, import_id TEXT NOT NULL, file TEXT, sha256 TEXT, rows INTEGER);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta VALUES ('generation', 'empty') ON CONFLICT DO NOTHING;
                INSERT INTO meta VALUES ('schema', '1') ON CONFLICT DO NOTHING;
                """
            )

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        """A connection from the pool (a new one when none is idle); returned unless it broke."""
        import psycopg

        with self._lock:
            con = self._idle.pop() if self._idle else None
        if con is None or con.closed or con.broken:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        try:
            yield con
        except BaseException:
            con.close()
            raise
        with self._lock:
            if len(self._idle) < self.pool_size and not con.closed and not con.broken:
                self._idle.append(con)
                return
        con.close()

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for con in idle:
            con.close()

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        with self._borrow() as con, con.transaction(), con.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            yield cur

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        for attempt in (0, 1):  # one retry on a connection the server dropped
            try:
                with self._borrow() as con, con.cursor() as cur:
                    cur.execute(sql, params)
                    rows: list[tuple[Any, ...]] = cur.fetchall()
                    return rows
            except psycopg.OperationalError:
                if attempt:
                    raise
        return []

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self._read("SELECT entry FROM imports ORDER BY seq")]

    def generation(self) -> str:
        return str(self._read("SELECT value FROM meta WHERE key='generation'")[0][0])

    def table_bytes(self, import_id: str) -> bytes:
        rows = self._read("SELECT data FROM imports WHERE id=%s", (import_id,))
        if not rows:
            raise InputError(f"no import called {import_id!r}")
        return bytes(rows[0][0])

    def write(
        self, entry: dict[str, Any], data: bytes, *, replace: str | None, drop_kind: str | None, audit: dict[str, Any]
    ) -> None:
        with self._tx() as cur:
            cur.execute("SELECT 1 FROM imports WHERE id=%s", (entry["id"],))
            if cur.fetchone() and replace != entry["id"]:
                raise _conflict(entry["id"])
            cur.execute("DELETE FROM imports WHERE id=%s", (entry["id"],))
            if drop_kind:
                cur.execute("DELETE FROM imports WHERE kind=%s", (drop_kind,))
            cur.execute(
                "INSERT INTO imports (id, kind, entry, data) VALUES (%s, %s, %s, %s)",
                (entry["id"], entry["kind"], json.dumps(entry, ensure_ascii=False, sort_keys=True), data),
            )
            self._audit(cur, audit)

    def delete(self, import_id: str, audit: dict[str, Any]) -> dict[str, Any]:
        with self._tx() as cur:
            cur.execute("SELECT entry FROM imports WHERE id=%s", (import_id,))
            row = cur.fetchone()
            if row is None:
                cur.execute("SELECT id FROM imports ORDER BY seq")
                known = ", ".join(r[0] for r in cur.fetchall()) or "none"
                raise InputError(f"no import called {import_id!r} (imports: {known})")
            cur.execute("DELETE FROM imports WHERE id=%s", (import_id,))
            entry: dict[str, Any] = json.loads(row[0])
            self._audit(cur, {**audit, "file": entry.get("file"), "rows": entry.get("matched", entry.get("rows"))})
            return entry

    def _audit(self, cur: Any, audit: dict[str, Any]) -> None:
        cur.execute(
            f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(AUDIT_COLUMNS))})",
            tuple(audit.get(c) for c in AUDIT_COLUMNS),
        )
        cur.execute("UPDATE meta SET value=%s WHERE key='generation'", (uuid.uuid4().hex,))

    def audit_log(self, limit: int) -> list[dict[str, Any]]:
        rows = self._read(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY seq DESC LIMIT %s", (limit,))
        return [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in rows]
