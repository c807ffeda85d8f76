"""``geo-app import roads FILE``: a road network with speeds, checked, then kept for every analysis.

Accepted files:

- **Pipos' binary** (``.bin`` or a ``.zip`` holding one): Tillväxtverket's national
  "Tillgänglighetsvägnät" from pipos.se, read by :func:`geo_app.data.roads.read_pipos`.
- **Lines with speeds** (GeoPackage, GeoJSON; e.g. NVDB or OpenStreetMap exports), one edge per
  LineString (a MultiLineString gives one edge per part). Columns read:

  - ``speed_fwd`` and ``speed_bwd`` — km/h along the line's direction and against it
    (0 = not drivable that way); or else
  - ``maxspeed`` — km/h both ways (OSM: a number, e.g. ``"70"``; ``"none"``/units are refused),
    with ``oneway`` (``yes``/``true``/``1``: only along the line; ``-1``: only against it);
  - ``ferry`` (optional; 1/true/yes marks a ferry, excluded from car routing);
  - ``length_m`` (optional; else the line's length in EPSG:3006).

  The CRS must be declared; coordinates are transformed to SWEREF 99 TM (EPSG:3006).

Limits are checked before reading (file size, features); a failed import leaves the network in
use untouched (the kept file is written beside it and renamed into place).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo_app.analysis.geometry import METRIC_CRS
from geo_app.analysis.roads import FERRY, RoadNetwork, validate
from geo_app.data import roads as road_files
from geo_app.errors import FEATURES, FileFormatError, LimitError, ValidationError, where

PIPOS_SUFFIXES = (".bin", ".zip")
LINE_SUFFIXES = (".gpkg", ".geojson", ".json")
MAX_LINE_FEATURES = 3_000_000
MAX_LINE_BYTES = 4 * 1024**3
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
TRUE = {"1", "true", "yes", "ja", "t", "y"}
_log = logging.getLogger("geo_app.audit")  # the import store's audit logger (a road network is a file, not a table)


def _speeds(frame: pd.DataFrame, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Forward and backward km/h from ``speed_fwd/speed_bwd`` or ``maxspeed`` (+ ``oneway``)."""
    if {"speed_fwd", "speed_bwd"} <= set(frame.columns):
        return _kmh(frame, "speed_fwd", label), _kmh(frame, "speed_bwd", label)
    if "maxspeed" not in frame.columns:
        raise ValidationError(f"{label}: no speed columns: expected speed_fwd and speed_bwd, or maxspeed (+ oneway)")
    speed = _kmh(frame, "maxspeed", label)
    oneway = frame["oneway"].astype("string").str.strip().str.lower() if "oneway" in frame else None
    fwd, bwd = speed.copy(), speed.copy()
    if oneway is not None:
        bwd[oneway.isin(TRUE).fillna(False).to_numpy()] = 0
        fwd[(oneway == "-1").fillna(False).to_numpy()] = 0
    return fwd, bwd


def _kmh(frame: pd.DataFrame, column: str, label: str) -> np.ndarray:
    """A column of km/h 0–200 as uint8, or a :class:`ValidationError` naming the first bad feature."""
    values = pd.to_numeric(frame[column].astype("string").str.strip(), errors="coerce")
    bad = np.flatnonzero((values.isna() | (values < 0) | (values > 200)).to_numpy())
    if len(bad):
        raw = frame[column].iloc[bad[0]]
        raise ValidationError(
            f"{where(label, int(bad[0]), column, FEATURES)}: {raw!r} is not a speed in km/h (0–200)"
            f" ({len(bad)} feature(s))"
        )
    out: np.ndarray = np.rint(values.to_numpy(dtype=float)).astype(np.uint8)
    return out


def read_lines(path: Path) -> RoadNetwork:
    """Read a GeoPackage/GeoJSON of road lines with speeds (columns in the module docstring)."""
    label = path.name
    if path.stat().st_size > MAX_LINE_BYTES:
        raise LimitError(f"{label}: {path.stat().st_size:,} bytes (limit {MAX_LINE_BYTES:,})")
    try:
        info = pyogrio.read_info(path)
    except Exception as exc:  # noqa: BLE001 - GDAL's many error types: all mean "not readable"
        raise FileFormatError(f"{label}: not a readable GeoPackage/GeoJSON ({exc})") from exc
    if info["features"] > MAX_LINE_FEATURES:
        raise LimitError(f"{label}: {info['features']:,} features (limit {MAX_LINE_FEATURES:,})")
    if not info.get("crs"):
        raise ValidationError(f"{label}: no CRS declared (expected EPSG:3006 or EPSG:4326)")
    frame = gpd.read_file(path, engine="pyogrio")
    if len(frame) == 0:
        raise ValidationError(f"{label}: no features")
    kinds = shapely.get_type_id(frame.geometry.values)
    bad = np.flatnonzero(~np.isin(kinds, (1, 5)))  # LineString, MultiLineString
    if len(bad):
        raise ValidationError(f"{where(label, int(bad[0]), None, FEATURES)}: not a line ({len(bad)} feature(s))")
    fwd, bwd = _speeds(frame, label)
    ferry = (
        frame["ferry"].astype("string").str.strip().str.lower().isin(TRUE).fillna(False).to_numpy()
        if ("ferry" in frame)
        else np.zeros(len(frame), dtype=bool)
    )
    lines = frame.to_crs(METRIC_CRS).geometry
    parts, feature = shapely.get_parts(lines.values, return_index=True)
    coords, vertex_index = shapely.get_coordinates(parts, return_index=True)
    offsets = np.r_[0, np.cumsum(np.bincount(vertex_index, minlength=len(parts)))].astype(np.int64)
    length = shapely.length(parts)
    if "length_m" in frame:
        given = pd.to_numeric(frame["length_m"], errors="coerce").to_numpy(dtype=float)[feature]
        length = np.where(np.isfinite(given) & (shapely.get_num_geometries(lines.values)[feature] == 1), given, length)
    network = RoadNetwork(
        name=label,
        coords=coords,
        offsets=offsets,
        length_m=length.astype(np.float32),
        speed_fwd=fwd[feature],
        speed_bwd=bwd[feature],
        attr=np.where(ferry[feature], FERRY, 0).astype(np.uint32),
    )
    validate(network, label)
    return network


def prepare_roads(path: Path) -> RoadNetwork:
    """Read and check a road network file of any accepted kind (nothing is stored)."""
    suffix = path.suffix.lower()
    if suffix in PIPOS_SUFFIXES:
        return road_files.read_pipos(path)
    if suffix in LINE_SUFFIXES:
        return read_lines(path)
    raise FileFormatError(f"{path.name}: expected Pipos' .bin/.zip or a .gpkg/.geojson of lines")


def save_roads(network: RoadNetwork, name: str, user_dir: Path | None = None) -> Path:
    """Keep ``network`` as ``<user data>/roads/<name>.parquet`` (atomic; replaces a network of that name)."""
    if not NAME.match(name):
        raise ValidationError(f"road network name {name!r}: a-z, 0-9, '_' or '-', starting with a letter, at most 40")
    folder = road_files.imported_roads_dir(user_dir)
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".tmp-roads-", suffix=".parquet", dir=folder)
    os.close(handle)
    try:
        road_files.write_parquet(network, Path(tmp))
        target = folder / f"{name}.parquet"
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    _log.info(
        "road network imported",
        extra={"at": at, "action": "import roads", "file": network.name, "import_id": name, "rows": network.n_edges},
    )
    return target


def default_name(path: Path) -> str:
    """An import name from the file name (lower case, other characters as ``_``)."""
    stem = re.sub(r"[^a-z0-9_-]+", "_", path.stem.lower()).strip("_-") or "roads"
    return (stem if stem[0].isalpha() else f"roads_{stem}")[:40]
