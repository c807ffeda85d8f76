"""Publish generated files into Streamlit's static folder (served at ``/app/static/``).

Files are content-addressed (``<stem>-<sha12>.json``): the browser may cache them
forever, a changed payload gets a new URL, and concurrent sessions never see a
half-written file (write to a temporary name, then ``os.replace``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path

from geo_app.data.paths import STATIC_DIR

URL_PREFIX = "app/static"


def publish(payload: bytes, stem: str, static_dir: Path | None = None) -> str:
    """Write ``payload`` under ``static/gen/`` unless it is already there; return its URL.

    Parameters
    ----------
    payload : bytes
        File content.
    stem : str
        Readable file-name prefix, e.g. ``"regso"``.
    static_dir : pathlib.Path, optional
        The app's static folder (default: ``static/`` beside the entry script).

    Returns
    -------
    str
        Relative URL the browser fetches, e.g. ``app/static/gen/regso-1a2b3c4d5e6f.json``.
    """
    static_dir = Path(static_dir or STATIC_DIR)
    digest = hashlib.sha256(payload).hexdigest()[:12]
    name = f"{stem}-{digest}.json"
    target = static_dir / "gen" / name
    if target.exists():
        with contextlib.suppress(OSError):
            os.utime(target)  # in use: keep it from being pruned
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return f"{URL_PREFIX}/gen/{name}"


KEEP_DAYS = 7
MAX_BYTES = 500 * 1024 * 1024


def prune(static_dir: Path | None = None, keep_days: float = KEEP_DAYS, max_bytes: int = MAX_BYTES) -> int:
    """Delete generated files unused for ``keep_days`` (and the oldest beyond ``max_bytes``); returns how many.

    Files are regenerated on demand, so pruning never breaks a page; stale ``.tmp-*`` files go too.
    """
    folder = Path(static_dir or STATIC_DIR) / "gen"
    if not folder.exists():
        return 0
    now, removed = time.time(), 0
    files = []
    for path in folder.iterdir():
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        stale_tmp = path.name.startswith(".tmp-") and now - st.st_mtime > 600
        if stale_tmp or (path.suffix == ".json" and now - st.st_mtime > keep_days * 86400):
            path.unlink(missing_ok=True)
            removed += 1
        elif path.suffix == ".json":
            files.append((st.st_mtime, st.st_size, path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed
