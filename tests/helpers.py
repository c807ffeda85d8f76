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


UPLOAD_STATE_JS = """
([name, retry]) => {
  const chips = [...document.querySelectorAll('[data-testid="stFileChip"]')].filter((chip) => {
    const label = chip.querySelector('[data-testid="stFileChipName"]');
    const aria = chip.getAttribute("aria-label") || "";  // "<name>, <size>"
    return (label !== null && label.getAttribute("title") === name) || aria.startsWith(name + ", ");
  });
  if (chips.length === 0) return "absent";
  const chip = chips[chips.length - 1];
  if (chip.querySelector('[data-testid="stFileChipIconSpinner"]')) return "uploading";
  if (chip.querySelector('[data-testid="stFileChipIconError"]')) {
    if (retry) chip.click();  // an errored chip is a "click to retry upload" button
    return "error";
  }
  return "uploaded";
}
"""


def wait_uploaded(page, file_name: str, timeout_s: float = 120, retries: int = 2) -> None:
    """Wait until Streamlit's file uploader shows ``file_name`` as uploaded to the server.

    The browser posts an uploaded file to ``/_stcore/upload_file`` in the background; while that
    runs, the file chip (``stFileChip``, named in ``stFileChipName``'s title) shows a spinner
    (``stFileChipIconSpinner``), and a failed upload shows ``stFileChipIconError`` (clicking the
    chip retries, at most ``retries`` times). Streamlit 1.67's DOM, see ``FileUploader``/``utils``
    in ``streamlit/static``.
    """
    import time

    deadline = time.time() + timeout_s
    state, retried = "absent", 0
    while time.time() < deadline:
        state = page.evaluate(UPLOAD_STATE_JS, [file_name, retried < retries])
        if state == "uploaded":
            return
        if state == "error":
            retried += 1
            time.sleep(2)
        time.sleep(0.25)
    raise AssertionError(f"upload of {file_name!r} never finished in {timeout_s:.0f} s (last state: {state})")


def review_upload(page, file_name: str, wait_ms: int = 60_000, fallback_clicks: int = 2) -> None:
    """Wait for the upload of ``file_name`` to reach the server, then click "Granska filen" until the preview shows.

    One click is enough once the file chip says uploaded; ``fallback_clicks`` more (each after
    ``wait_ms`` without a preview) absorb a click lost to a rerun on a loaded machine.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_uploaded(page, file_name)
    preview = page.get_by_text("Förhandsvisning – inget är sparat än")
    for attempt in range(1 + fallback_clicks):
        page.get_by_role("button", name="Granska filen").first.click()
        try:
            preview.wait_for(timeout=wait_ms)
            return
        except PlaywrightTimeout:
            if attempt == fallback_clicks:
                raise


def editor_import(page, base_url: str, path: Path, password: str, year: str = "2024") -> None:
    """As an editor on ``base_url``'s Data page: sign in, upload ``path``, review it and save the import."""
    page.goto(base_url + "/data")
    page.get_by_label("Redaktörslösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Du är inloggad som redaktör").wait_for(timeout=120_000)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_label("År (om filen saknar årskolumn)").fill(year)
    review_upload(page, path.name)
    page.get_by_role("button", name="Spara importen").click()
    page.get_by_text("Dina importer").wait_for(timeout=120_000)
