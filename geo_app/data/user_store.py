"""The user's imported data: tables in ``<user data dir>/imports/`` plus one catalogue file.

The catalogue (``imports.json``) is the commit point: a table file is written
under a new content-addressed name first, and the catalogue is replaced
atomically only after that succeeded. A failed or interrupted import therefore
leaves the data in use byte-identical.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo_app.data.paths import user_data_dir
from geo_app.errors import InputError

CATALOGUE = "imports.json"


def imports_dir(data_dir: Path | None = None) -> Path:
    """The folder of the import store (``<user data>/imports``)."""
    return Path(data_dir or user_data_dir()) / "imports"


def slug(text: str) -> str:
    """A safe identifier from a name: ASCII lowercase letters, digits and ``_``."""
    fold = str(text).casefold().translate(str.maketrans("åäöéü", "aaoeu"))
    out = re.sub(r"[^a-z0-9]+", "_", fold).strip("_")
    return out[:40] or "import"


def list_imports(data_dir: Path | None = None) -> list[dict]:
    """Catalogue entries of the user's imports (empty when nothing was imported)."""
    path = imports_dir(data_dir) / CATALOGUE
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: the imports catalogue is damaged ({exc}); remove or repair it") from exc
    return entries


def version(data_dir: Path | None = None) -> str:
    """A short hash of the imports catalogue ("none" without imports), for cache keys."""
    path = imports_dir(data_dir) / CATALOGUE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "none"


def load_table(entry: dict, data_dir: Path | None = None) -> pd.DataFrame:
    """The stored table of a catalogue entry."""
    return pd.read_parquet(imports_dir(data_dir) / entry["stored"])


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(entry: dict, table: pd.DataFrame, data_dir: Path | None = None, replace_kind: str | None = None) -> dict:
    """Store ``table`` and add ``entry`` to the catalogue (replacing one with the same id).

    Parameters
    ----------
    entry : dict
        Catalogue fields; ``id`` and ``kind`` are required. ``stored`` and
        ``imported_at`` are filled in here.
    table : pandas.DataFrame
        The validated data to keep.
    replace_kind : str, optional
        Also drop every existing entry of this kind (e.g. "replace the office list").

    Returns
    -------
    dict
        The entry as stored.
    """
    folder = imports_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    entries = list_imports(data_dir)
    buf = io.BytesIO()
    table.to_parquet(buf, index=True)
    data = buf.getvalue()
    stored = f"{entry['id']}-{hashlib.sha256(data).hexdigest()[:12]}.parquet"
    entry = {**entry, "stored": stored, "imported_at": datetime.now(UTC).isoformat(timespec="seconds")}
    new_file = folder / stored
    existed = new_file.exists()
    if not existed:
        _atomic_write(new_file, data)
    keep = [e for e in entries if e["id"] != entry["id"] and (replace_kind is None or e.get("kind") != replace_kind)]
    try:
        _atomic_write(folder / CATALOGUE, _dump([*keep, entry]))
    except BaseException:
        if not existed:
            new_file.unlink(missing_ok=True)
        raise
    _remove_unreferenced(folder, [*keep, entry])
    return entry


def remove(import_id: str, data_dir: Path | None = None) -> dict:
    """Remove an import (catalogue entry and table). Raises InputError if there is none."""
    folder = imports_dir(data_dir)
    entries = list_imports(data_dir)
    hit = [e for e in entries if e["id"] == import_id]
    if not hit:
        known = ", ".join(e["id"] for e in entries) or "none"
        raise InputError(f"no import called {import_id!r} (imports: {known})")
    keep = [e for e in entries if e["id"] != import_id]
    _atomic_write(folder / CATALOGUE, _dump(keep))
    _remove_unreferenced(folder, keep)
    return hit[0]


def _dump(entries: list[dict]) -> bytes:
    return (json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _remove_unreferenced(folder: Path, entries: list[dict]) -> None:
    used = {e["stored"] for e in entries}
    for path in folder.glob("*.parquet"):
        if path.name not in used:
            path.unlink(missing_ok=True)
