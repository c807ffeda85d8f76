"""Load the derived data from ``data/regso/`` (or ``GEO_APP_EMBEDDED_DIR``).

Every loader returns a fresh frame indexed by its code (``regsokod``,
``kommunkod``, ``lanskod``); callers may cache them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_app.analysis.presence import complete_lists, merge_offices, offices_as_of
from geo_app.analysis.register import KnownLists, check_as_of, kommun_evidence, kommun_states, register_lists
from geo_app.data import user_store
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


def load_register(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The dated presence register: one row per office and period (EPSG:3006), see docs/presence.md."""
    return gpd.read_parquet(_path("presence_register.parquet", data_dir))


def _office_imports(user_dir: Path | None) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    return [
        (e, user_store.load_table(e, user_dir)) for e in user_store.list_imports(user_dir) if e.get("kind") == "offices"
    ]


def load_presence(
    as_of: date | None = None, data_dir: Path | None = None, user_dir: Path | None = None, *, today: date | None = None
) -> gpd.GeoDataFrame:
    """Offices on ``as_of`` (a date, 2015–2035; default today), EPSG:3006.

    One row per office with ``status`` (open / closing / closed / planned) and ``status_date``
    on that day, merged with the user's imported office lists
    (:func:`geo_app.analysis.presence.merge_offices`).
    """
    day = check_as_of(as_of or today)  # ``today=`` is the older name of the argument
    offices = offices_as_of(load_register(data_dir), day)
    out = merge_offices(offices, _office_imports(user_dir), day)
    out.attrs["as_of"] = day.isoformat()
    return out


def load_samverkan(data_dir: Path | None = None) -> pd.DataFrame:
    """Kommun collaboration facts (long: ``kommunkod, attribute, value, event_date, source_url, …``)."""
    return pd.read_parquet(_path("kommun_samverkan.parquet", data_dir))


def load_completeness(data_dir: Path | None = None) -> pd.DataFrame:
    """Published office counts beside the register's count on the same date (see docs/presence.md)."""
    return pd.read_parquet(_path("presence_completeness.parquet", data_dir))


def _known_lists(user_dir: Path | None, data_dir: Path | None) -> KnownLists:
    """Complete lists: the user's ``--replace`` imports and the register's own (published counts it reaches)."""
    own = register_lists(load_register(data_dir), load_completeness(data_dir))
    return KnownLists(imported=complete_lists(_office_imports(user_dir)), register=own)


def load_presence_evidence(
    as_of: date | None = None, data_dir: Path | None = None, user_dir: Path | None = None
) -> pd.DataFrame:
    """Per kommun and agency on ``as_of``: the state and why (:func:`geo_app.analysis.register.kommun_evidence`)."""
    day = check_as_of(as_of)
    offices = load_presence(day, data_dir, user_dir)
    kommuner = load_kommun(data_dir)
    out = kommun_evidence(offices, load_samverkan(data_dir), kommuner.index, day, _known_lists(user_dir, data_dir))
    return out.assign(kommunnamn=out["kommunkod"].map(kommuner["kommunnamn"]))


def load_presence_states(
    as_of: date | None = None, data_dir: Path | None = None, user_dir: Path | None = None
) -> pd.DataFrame:
    """Per kommun and agency on ``as_of``: known / none / unknown.

    See :func:`geo_app.analysis.register.kommun_states`; an imported complete list makes its agency
    known, and so does a published count the register reaches with named offices.
    """
    day = check_as_of(as_of)
    offices = load_presence(day, data_dir, user_dir)
    kommuner = load_kommun(data_dir).index
    return kommun_states(offices, load_samverkan(data_dir), kommuner, day, _known_lists(user_dir, data_dir))


def load_regso2020_keys(data_dir: Path | None = None) -> pd.DataFrame:
    """RegSO 2020 → 2025 key (``regsokod``, ``code_changed``, ``label_2020``), indexed by the 2020 code."""
    return pd.read_parquet(_path("regso2020_keys.parquet", data_dir))


def load_towns(data_dir: Path | None = None) -> pd.DataFrame:
    """GeoNames places ≥ 1,000 inhabitants (``lat, lon, name, admin2``) for geocoding office lists."""
    return pd.read_parquet(_path("towns.parquet", data_dir))


def load_postal_codes(data_dir: Path | None = None) -> pd.DataFrame:
    """Postal code (five digits, text) → ``locality, kommunkod``."""
    return pd.read_parquet(_path("postal_codes.parquet", data_dir))
