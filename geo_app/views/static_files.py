"""Publish generated files into Streamlit's static folder (served at ``/app/static/``).

Files are content-addressed (``<stem>-<sha12>.json``): the browser may cache them
forever, a changed payload gets a new URL, and concurrent sessions never see a
half-written file (write to a temporary name, then ``os.replace``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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
    if not target.exists():
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
