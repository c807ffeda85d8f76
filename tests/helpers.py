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


def review_upload(page, attempts: int = 8, wait_ms: int = 20_000) -> None:
    """Click "Granska filen" until the preview shows.

    The browser sends an uploaded file to the server in the background; a click that comes before
    the upload has arrived finds no file and shows nothing, so it is repeated (a person would too).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    preview = page.get_by_text("Förhandsvisning – inget är sparat än")
    for _ in range(attempts):
        page.get_by_role("button", name="Granska filen").first.click()
        try:
            preview.wait_for(timeout=wait_ms)
            return
        except PlaywrightTimeout:
            continue
    preview.wait_for(timeout=wait_ms)
