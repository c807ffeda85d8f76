"""Small helpers shared by the import tests."""

import hashlib
import json
from pathlib import Path


def snapshot(folder: Path) -> dict[str, str]:
    """The import store's content (entries, tables, audit log) and every other file under ``folder``.

    The 'nothing lost' check: the database file's bytes may change (SQLite checkpoints), its content not.
    """
    if not folder.exists():
        return {}
    from geo_app.data import store_backends, user_store

    out = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(store_backends.SQLITE_FILE)
    }
    if (folder / store_backends.SQLITE_FILE).exists():
        store = user_store.backend(folder)
        for e in store.entries():
            out[f"entry:{e['id']}"] = json.dumps(e, sort_keys=True)
            out[f"table:{e['id']}"] = hashlib.sha256(store.table_bytes(e["id"])).hexdigest()
        out["audit"] = json.dumps(store.audit_log(10_000), sort_keys=True)
    return out


def write(folder: Path, name: str, content: bytes) -> Path:
    """Write ``content`` to ``folder/name`` and return the path."""
    f = folder / name
    f.write_bytes(content)
    return f
