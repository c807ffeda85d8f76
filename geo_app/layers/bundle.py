"""The data bundle every view, export and CLI command reads: frames + layer declarations.

No Streamlit, no browser files: :func:`geo_app.views.map_view.publish_map` adds the
static GeoJSON files the map needs (:class:`geo_app.views.map_view.MapBundle`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo_app.analysis.gap_rule import RuleOptions, rule_from_options
from geo_app.analysis.gaps import GapRule
from geo_app.data import loaders, user_store
from geo_app.data.catalogue import Dataset
from geo_app.layers.imported import apply_imports
from geo_app.layers.spec import LayerSpec, load_layers, types_year


@dataclass(frozen=True)
class Bundle:
    """Everything the map pages read; shared read-only across sessions."""

    regso: gpd.GeoDataFrame
    kommun: gpd.GeoDataFrame
    lan: gpd.GeoDataFrame
    display: dict[str, gpd.GeoSeries]
    layers: dict[str, LayerSpec]
    catalogue: dict[str, Dataset]
    bounds: dict[str, tuple[float, float, float, float]]  # "lan:01", "kommun:0180", "regso:…"
    imports: tuple[dict[str, Any], ...] = ()  # the user's import catalogue entries in use

    @property
    def types_year(self) -> int:
        """The default områdestyp year, as the ``omradestyp`` layer declaration gives it."""
        return types_year(self.layers)

    def gap_rule(self, options: RuleOptions | None = None) -> GapRule:
        """The gap rule of ``options`` on these layers and areas (default: the gap page's defaults)."""
        return rule_from_options(self.layers, self.regso.columns, self.types_year, options)


def _bounds_table(display: dict[str, gpd.GeoSeries]) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    for level, geoms in display.items():
        b = geoms.bounds
        for code, row in zip(geoms.index, b.itertuples(index=False), strict=False):
            out[f"{level}:{code}"] = (row.minx, row.miny, row.maxx, row.maxy)
    return out


def load_bundle(data_dir: Path | None = None, layers_dir: Path | None = None, user_dir: Path | None = None) -> Bundle:
    """Load the derived data, the layer declarations and the user's imports.

    Parameters
    ----------
    data_dir, layers_dir, user_dir : pathlib.Path, optional
        Embedded data, layer declarations and the user's import store (defaults: the
        repository's ``data/regso/`` and ``layers/``, and ``GEO_APP_DATA_DIR``).

    Returns
    -------
    Bundle
        Frames indexed by code, layers by id, catalogue by dataset id; ``urls`` empty.
    """
    regso = loaders.load_regso(data_dir)
    kommun = loaders.load_kommun(data_dir)
    lan = loaders.load_lan(data_dir)
    display = {level: loaders.load_display(level, data_dir) for level in ("regso", "kommun", "lan")}
    layers = load_layers(layers_dir)
    entries = [e for e in user_store.list_imports(user_dir) if e.get("kind") == "indicators"]
    imports = [(e, user_store.load_table(e, user_dir)) for e in entries]
    regso, kommun, layers, imported = apply_imports(regso, kommun, layers, imports)
    catalogue = {d.id: d for d in [*loaders.load_catalogue(data_dir), *imported]}
    return Bundle(regso, kommun, lan, display, layers, catalogue, _bounds_table(display), tuple(entries))
