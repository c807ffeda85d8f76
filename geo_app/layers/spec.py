"""Map layer declarations: one TOML file per layer in ``layers/``.

A declaration says where a layer's values come from (level, column, dataset),
how they are classed and coloured, and the legend labels in Swedish and English.
Pure: no Streamlit, no pydeck.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo_app.data.catalogue import KINDS
from geo_app.data.paths import LAYERS_DIR
from geo_app.errors import InputError
from geo_app.formats import fmt_numbers

STYLES = ("categorical", "graduated", "outline", "points")
LEVELS = ("regso", "kommun", "lan", "points")
# The områdestyp layer: its declared ``default_year`` is the app's default year everywhere (pages,
# gap rule, scenario, compare, brief, CLI); no module writes that year out.
TYPES_LAYER = "omradestyp"


# Office colours by agency: the map (RGB via hex_to_rgba) and the GeoPackage styles (hex) both read this.
AGENCY_COLOURS = {"af": "#0b5394", "ssc": "#38761d", "kommun": "#d66000", "other": "#5a5a5a"}


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    """``"#d7191c"`` → ``[215, 25, 28, alpha]``."""
    c = colour.lstrip("#")
    if len(c) != 6:
        raise InputError(f"colour must be #rrggbb, got {colour!r}")
    return [int(c[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


@dataclass(frozen=True)
class LayerClass:
    """One legend entry: a category value, or a bin ``[lower, upper)`` for graduated layers."""

    color: str
    label: dict[str, str]
    value: float | int | None = None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class LayerSpec:
    """A parsed layer declaration (see ``layers/README.md`` for the fields)."""

    id: str
    level: str
    style: str
    title: dict[str, str]
    kind: str = "official"
    dataset: str = ""
    column: str = ""
    years: tuple[int, ...] = ()
    default_year: int | None = None
    unit: dict[str, str] = field(default_factory=dict)
    classes: tuple[LayerClass, ...] = ()
    no_data: LayerClass | None = None
    line_color: str = "#333333"
    line_width_px: float = 1.0
    opacity: int = 210
    order: int = 100
    description: dict[str, str] = field(default_factory=dict)
    decimals: int = 0
    # National reference: {"value": x, "label": {...}} (published) or {"weight": "col_{year}"} (computed)
    reference: dict[str, Any] = field(default_factory=dict)
    # How values of areas combine into a kommun/län value: "mean" (population-weighted) or "sum" (counts)
    aggregate: str = "mean"
    # Years whose figures come from another dataset than ``dataset`` (e.g. an imported index year)
    year_datasets: dict[int, str] = field(default_factory=dict)

    def year_for(self, year: int | None) -> int | None:
        """``year`` if the layer has it, else its default year (None for a layer without years)."""
        return year if year in self.years else self.default_year

    def dataset_for(self, year: int | None) -> str:
        """The catalogue id of the dataset behind ``year``."""
        return self.year_datasets.get(year, self.dataset) if year is not None else self.dataset

    @property
    def is_fill(self) -> bool:
        """True for layers that colour areas (categorical or graduated)."""
        return self.style in ("categorical", "graduated")

    def unit_in(self, lang: str) -> str:
        """The unit in ``lang`` (Swedish if untranslated)."""
        return self.unit.get(lang) or self.unit.get("sv", "")

    def value_labels(self, values: pd.Series, lang: str) -> pd.Series:
        """Text shown for each value: the class label (categorical) or the number with unit.

        Numbers are formatted the Swedish way in both languages; missing values get
        the no-data label.
        """
        if self.style == "categorical":
            return self.class_labels(values, lang)
        nd = (self.no_data.label.get(lang) or self.no_data.label["sv"]) if self.no_data else "–"
        unit = self.unit_in(lang)
        suffix = f" {unit}" if unit else ""
        v = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
        text = [
            x if np.isnan(n) else x + suffix for x, n in zip(fmt_numbers(v, self.decimals, missing=nd), v, strict=False)
        ]
        return pd.Series(text, index=values.index, dtype="string")

    def column_for(self, year: int | None) -> str:
        """The data column for ``year`` (``column`` may contain ``{year}``)."""
        if "{year}" in self.column:
            if year is None:
                raise ValueError(f"layer {self.id}: a year is needed")
            return self.column.format(year=year)
        return self.column

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (Swedish if untranslated)."""
        return self.title.get(lang) or self.title["sv"]

    def legend(self, lang: str) -> list[tuple[str, str]]:
        """``[(hex colour, label), …]`` in legend order, no-data last."""
        entries = [(c.color, c.label.get(lang) or c.label["sv"]) for c in self.classes]
        if self.no_data is not None:
            entries.append((self.no_data.color, self.no_data.label.get(lang) or self.no_data.label["sv"]))
        return entries

    def class_labels(self, values: pd.Series, lang: str) -> pd.Series:
        """Legend label of each value (no-data label where missing), same index."""
        idx = self.class_index(values)
        labels = [c.label.get(lang) or c.label["sv"] for c in self.classes]
        nd = (self.no_data.label.get(lang) or self.no_data.label["sv"]) if self.no_data else ""
        lookup = np.array(labels + [nd], dtype=object)
        return pd.Series(lookup[idx.to_numpy()], index=values.index, dtype="string")

    def class_index(self, values: pd.Series) -> pd.Series:
        """Position of each value in :attr:`classes`; ``len(classes)`` means no data.

        Categorical layers match ``value`` exactly; graduated layers use
        ``lower <= v < upper`` (open ends where a bound is missing).
        """
        n = len(self.classes)
        out = np.full(len(values), n, dtype=np.int64)
        v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for i, cls in enumerate(self.classes):
            if self.style == "categorical":
                hit = v == float(cls.value)  # type: ignore[arg-type]  # categorical classes have values
            else:
                lo = -np.inf if cls.lower is None else cls.lower
                hi = np.inf if cls.upper is None else cls.upper
                hit = (v >= lo) & (v < hi)
            out[(out == n) & hit] = i
        return pd.Series(out, index=values.index, name=f"{self.id}_class")

    def fill_colours(self, values: pd.Series) -> pd.Series:
        """``[r, g, b, a]`` per value for deck.gl, same index."""
        palette = [hex_to_rgba(c.color, self.opacity) for c in self.classes]
        nd = self.no_data.color if self.no_data else "#bdbdbd"
        palette.append(hex_to_rgba(nd, self.opacity))
        idx = self.class_index(values).to_numpy()
        return pd.Series([palette[i] for i in idx], index=values.index, name=f"{self.id}_fill")


def _label(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or "sv" not in raw:
        raise InputError(f"{where}: needs a table with at least 'sv' (and 'en')")
    return {str(k): str(v) for k, v in raw.items()}


def parse_layer(data: dict[str, Any], source: str = "<layer>") -> LayerSpec:
    """Validate a declaration (a dict from TOML) and return a :class:`LayerSpec`.

    Raises
    ------
    InputError
        Naming the file and field when something is missing or wrong.
    """
    for key in ("id", "level", "style", "title"):
        if key not in data:
            raise InputError(f"{source}: missing '{key}'")
    if data["style"] not in STYLES:
        raise InputError(f"{source}: style must be one of {STYLES}")
    if data["level"] not in LEVELS:
        raise InputError(f"{source}: level must be one of {LEVELS}")
    classes = tuple(
        LayerClass(
            color=c["color"],
            label=_label(c.get("label"), f"{source}: classes[{i}].label"),
            value=c.get("value"),
            lower=c.get("lower"),
            upper=c.get("upper"),
        )
        for i, c in enumerate(data.get("classes", []))
    )
    for c in classes:
        hex_to_rgba(c.color)
    nd = data.get("no_data")
    no_data = LayerClass(color=nd["color"], label=_label(nd.get("label"), f"{source}: no_data.label")) if nd else None
    years = tuple(int(y) for y in data.get("years", ()))
    kind = data.get("kind", "official")
    if kind not in KINDS:
        raise InputError(f"{source}: kind must be one of {KINDS}, got {kind!r}")
    if data["style"] in ("categorical", "graduated") and not data.get("column"):
        raise InputError(f"{source}: a {data['style']} layer needs 'column'")
    if data.get("aggregate", "mean") not in ("mean", "sum"):
        raise InputError(f"{source}: aggregate must be 'mean' or 'sum', got {data['aggregate']!r}")
    return LayerSpec(
        id=data["id"],
        level=data["level"],
        style=data["style"],
        title=_label(data["title"], f"{source}: title"),
        kind=kind,
        dataset=data.get("dataset", ""),
        column=data.get("column", ""),
        years=years,
        default_year=data.get("default_year", years[-1] if years else None),
        unit=data.get("unit", {}),
        classes=classes,
        no_data=no_data,
        line_color=data.get("line_color", "#333333"),
        line_width_px=float(data.get("line_width_px", 1.0)),
        opacity=int(data.get("opacity", 210)),
        order=int(data.get("order", 100)),
        description=data.get("description", {}),
        decimals=int(data.get("decimals", 0)),
        reference=dict(data.get("reference", {})),
        aggregate=data.get("aggregate", "mean"),
        year_datasets={int(y): str(ds) for y, ds in data.get("year_datasets", {}).items()},
    )


def load_layers(directory: Path | None = None) -> dict[str, LayerSpec]:
    """Read every ``*.toml`` declaration in ``directory`` (default ``layers/``), by id, in draw order."""
    directory = Path(directory or LAYERS_DIR)
    specs = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise InputError(f"{path}: {exc}") from exc
        spec = parse_layer(data, str(path))
        if path.stem != spec.id:
            raise InputError(f"{path}: id {spec.id!r} must equal the file name")
        specs.append(spec)
    return {s.id: s for s in sorted(specs, key=lambda s: (s.order, s.id))}


def types_year(layers: dict[str, LayerSpec]) -> int:
    """The default områdestyp year: ``default_year`` of the :data:`TYPES_LAYER` declaration."""
    spec = layers.get(TYPES_LAYER)
    if spec is None or spec.default_year is None:
        raise InputError(f"layers: the {TYPES_LAYER!r} declaration must exist and give a default_year")
    return int(spec.default_year)


def declared_types_year(directory: Path | None = None) -> int:
    """:func:`types_year` of the declarations in ``directory`` (default ``layers/``), read once per folder.

    For defaults made without a bundle at hand (e.g. :class:`~geo_app.views.scenario_view.ScenarioState`).
    """
    return _declared_types_year(Path(directory or LAYERS_DIR))


@functools.lru_cache(maxsize=8)
def _declared_types_year(directory: Path) -> int:
    path = directory / f"{TYPES_LAYER}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from exc
    spec = parse_layer(data, str(path))
    return types_year({spec.id: spec})
