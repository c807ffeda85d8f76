"""Where the project's files live.

The embedded, committed data sits in ``data/regso/`` inside the repository.
User data (imports) lives outside it, in ``GEO_APP_DATA_DIR`` or the platform's
user data directory.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_DIR.parent
# An installed wheel carries data, layer declarations and pages inside the package (pyproject's
# package-dir mapping); a checkout (also an editable install) uses the repository's folders.
INSTALLED_DIR = PACKAGE_DIR / "_embedded"
_IN_WHEEL = (INSTALLED_DIR / "regso" / "manifest.json").exists()
EMBEDDED_DATA_DIR = INSTALLED_DIR / "regso" if _IN_WHEEL else REPO_ROOT / "data" / "regso"
LAYERS_DIR = INSTALLED_DIR / "layers" if _IN_WHEEL else REPO_ROOT / "layers"
PAGES_DIR = INSTALLED_DIR / "pages" if _IN_WHEEL else REPO_ROOT / "pages"
DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data"
# Sourced office events mined from public records (committed; small): see docs/presence.md.
PRESENCE_SOURCE_DIR = REPO_ROOT / "data" / "sources" / "presence"
# The Streamlit entry script lives inside the package, so the top-level ``pages/`` folder is
# not beside it and Streamlit never treats it as an old-style (v1) multipage folder.
APP_SCRIPT = PACKAGE_DIR / "app" / "main.py"
# Served by Streamlit at /app/static/ from beside the entry script: `geo-app serve` runs a launcher in
# the cache directory and sets GEO_APP_STATIC_DIR to its static folder (outside the checkout/package);
# a plain `streamlit run geo_app/app/main.py` serves the folder beside this package's entry script.
STATIC_DIR = Path(os.environ.get("GEO_APP_STATIC_DIR") or APP_SCRIPT.parent / "static")


def embedded_data_dir() -> Path:
    """Return the directory with the committed derived data.

    ``GEO_APP_EMBEDDED_DIR`` overrides it (tests use this for small fixtures).
    """
    override = os.environ.get("GEO_APP_EMBEDDED_DIR")
    return Path(override) if override else EMBEDDED_DATA_DIR


def user_data_dir() -> Path:
    """Return the directory for the user's own imported data.

    ``GEO_APP_DATA_DIR`` wins; otherwise the platform's user data directory.
    The directory is not created here.
    """
    override = os.environ.get("GEO_APP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("narvarokartan", appauthor=False))


def cache_dir() -> Path:
    """Return the directory for generated files (map data, upload checks).

    ``GEO_APP_CACHE_DIR`` wins; otherwise the platform's user cache directory.
    """
    override = os.environ.get("GEO_APP_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("narvarokartan", appauthor=False))


def uploads_dir() -> Path:
    """The folder for upload checks (created), after sweeping ``.tmp-upload-*`` folders older than 10 minutes."""
    folder = cache_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(".tmp-upload-*"):
        try:
            if time.time() - old.stat().st_mtime > 600:
                shutil.rmtree(old, ignore_errors=True)
        except FileNotFoundError:
            continue
    return folder


def page_script(name: str) -> str:
    """A page's path relative to the entry script, as ``AppTest.switch_page`` wants it.

    Parameters
    ----------
    name : str
        File name in ``pages/``, e.g. ``"compare.py"``.
    """
    return os.path.relpath(PAGES_DIR / name, APP_SCRIPT.parent)
