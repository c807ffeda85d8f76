"""Where the project's files live.

The embedded, committed data sits in ``data/regso/`` inside the repository.
User data (imports) lives outside it, in ``GEO_APP_DATA_DIR`` or the platform's
user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

REPO_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = REPO_ROOT / "data" / "regso"
LAYERS_DIR = REPO_ROOT / "layers"
STATIC_DIR = REPO_ROOT / "static"  # served by Streamlit at /app/static/
DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data"
STREAMLIT_CONFIG = REPO_ROOT / "streamlit_config.toml"
APP_SCRIPT = REPO_ROOT / "app.py"


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
