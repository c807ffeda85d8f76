"""Load the derived data from ``data/regso/`` (or ``GEO_APP_EMBEDDED_DIR``).

Every loader returns a fresh frame indexed by its code (``regsokod``,
``kommunkod``, ``lanskod``); callers may cache them.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo_app.data.catalogue import Dataset, read_catalogue
from geo_app.data.paths import embedded_data_dir
from geo_app.errors import DataMissingError


def _path(name: str, data_dir: Path | None) -> Path:
    path = Path(data_dir or embedded_data_dir()) / name
    if not path.exists():
        raise DataMissingError(f"{path} is missing: run 'geo-app build-data' to derive it from ../shared/data")
    return path


def load_regso(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """RegSO 2025 areas with all attributes, EPSG:3006, indexed by ``regsokod``."""
    return gpd.read_parquet(_path("regso.parquet", data_dir))


def load_kommun(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """290 kommuner (``kommunnamn, lanskod, lansnamn``), EPSG:3006, indexed by ``kommunkod``."""
    return gpd.read_parquet(_path("kommun.parquet", data_dir))


def load_lan(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """21 län (``lansnamn``), EPSG:3006, indexed by ``lanskod``."""
    return gpd.read_parquet(_path("lan.parquet", data_dir))


def load_display(level: str, data_dir: Path | None = None) -> gpd.GeoSeries:
    """Browser geometry (EPSG:4326) for ``level`` in ``{"regso", "kommun", "lan"}``."""
    if level not in ("regso", "kommun", "lan"):
        raise ValueError(f"unknown level {level!r}")
    return gpd.read_parquet(_path(f"{level}_display.parquet", data_dir)).geometry


def load_export_geometry(level: str, data_dir: Path | None = None) -> gpd.GeoSeries:
    """GeoPackage export geometry (EPSG:3006, coverage-simplified to 50 m) for ``level``."""
    if level not in ("regso", "kommun", "lan"):
        raise ValueError(f"unknown level {level!r}")
    return gpd.read_parquet(_path(f"{level}_export.parquet", data_dir)).geometry


def load_catalogue(data_dir: Path | None = None) -> list[Dataset]:
    """The embedded datasets (source, year, licence, rows, kind)."""
    return read_catalogue(_path("catalogue.json", data_dir))


def load_presence(today=None, data_dir: Path | None = None, user_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Office points (EPSG:3006): the embedded list with ``status`` as of ``today`` (default: today).

    Merged with the user's imported office lists (see :func:`geo_app.imports.offices.merge_offices`).
    """
    from datetime import date

    from geo_app.analysis.presence import merge_offices, with_status
    from geo_app.data import user_store

    offices = with_status(gpd.read_parquet(_path("presence.parquet", data_dir)), today or date.today())
    imports = [
        (e, user_store.load_table(e, user_dir)) for e in user_store.list_imports(user_dir) if e.get("kind") == "offices"
    ]
    return merge_offices(offices, imports)


def load_regso2020_keys(data_dir: Path | None = None):
    """RegSO 2020 → 2025 key (``regsokod``, ``code_changed``, ``label_2020``), indexed by the 2020 code."""
    import pandas as pd

    return pd.read_parquet(_path("regso2020_keys.parquet", data_dir))


def load_towns(data_dir: Path | None = None):
    """GeoNames places ≥ 1,000 inhabitants (``lat, lon, name, admin2``) for geocoding office lists."""
    import pandas as pd

    return pd.read_parquet(_path("towns.parquet", data_dir))


def load_postal_codes(data_dir: Path | None = None):
    """Postal code (five digits, text) → ``locality, kommunkod``."""
    import pandas as pd

    return pd.read_parquet(_path("postal_codes.parquet", data_dir))
