"""Turn the user's imported indicator tables into columns, layer declarations and catalogue entries.

Imported figures take precedence: an imported områdestyp year replaces the
embedded one for the areas it covers; every other imported column becomes its
own graduated layer of kind ``imported``. Pure: frames in, frames out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from geo_app.data.catalogue import Dataset
from geo_app.layers.spec import LayerClass, LayerSpec

BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = LayerClass(color="#8c8c8c", label={"sv": "Uppgift saknas", "en": "No data"})


def layer_id(import_id: str, slug: str) -> str:
    """The layer id of one imported indicator."""
    return f"imp_{import_id}_{slug}"


def column_name(import_id: str, slug: str, year: int | None) -> str:
    """The data column of one imported indicator and year."""
    return f"{layer_id(import_id, slug)}_{year}" if year is not None else layer_id(import_id, slug)


def class_breaks(values: pd.Series, n: int = 5) -> list[float]:
    """Quantile breaks rounded to two significant digits, without repeats."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return []
    qs = np.quantile(v, np.linspace(0, 1, n + 1)[1:-1])
    rounded = [float(f"{q:.2g}") for q in qs]
    return sorted({b for b in rounded if v.min() < b <= v.max()})


def graduated_spec(entry: dict[str, Any], col: dict[str, Any], values: pd.DataFrame, order: int) -> LayerSpec:
    """``values``: the column's values, one column per year."""
    """A graduated layer for one imported column (all its years share the classes)."""
    breaks = class_breaks(values.stack())  # n=5 quantiles give at most four breaks, five classes
    edges = [None, *breaks, None]
    unit = "%" if col["percent"] else ""
    palette = BLUES[-(len(edges) - 1) :]

    def fmt(b: float | None) -> str:
        return f"{b:g}".replace(".", ",")

    classes = []
    for i in range(len(edges) - 1):
        lo, hi = edges[i], edges[i + 1]
        if lo is None and hi is None:
            text = {"sv": "alla värden", "en": "all values"}
        elif lo is None:
            text = {"sv": f"under {fmt(hi)} {unit}".strip(), "en": f"under {hi:g} {unit}".strip()}
        elif hi is None:
            text = {
                "sv": f"{fmt(lo)} {unit} och mer".replace("  ", " "),
                "en": f"{lo:g} {unit} or more".replace("  ", " "),
            }
        else:
            text = {"sv": f"{fmt(lo)}–{fmt(hi)} {unit}".strip(), "en": f"{lo:g}–{hi:g} {unit}".strip()}
        classes.append(LayerClass(color=palette[i], label=text, lower=lo, upper=hi))
    years = tuple(entry.get("years") or ())
    lid = layer_id(entry["id"], col["slug"])
    return LayerSpec(
        id=lid,
        level=entry["level"],
        style="graduated",
        kind="imported",
        dataset=f"imp_{entry['id']}",
        column=f"{lid}_{{year}}" if years else lid,
        years=years,
        default_year=years[-1] if years else None,
        title={"sv": f"{col['header']} (import {entry['file']})", "en": f"{col['header']} (import {entry['file']})"},
        unit={"sv": unit, "en": unit},
        classes=tuple(classes),
        no_data=NO_DATA,
        order=900 + order,
        decimals=1 if col["percent"] else 2,
        reference={"weight": "folkmangd_{year}"} if years else {},
        description={
            "sv": f"Importerad från {entry['file']} {entry['imported_at'][:10]}.",
            "en": f"Imported from {entry['file']} on {entry['imported_at'][:10]}.",
        },
    )


def dataset_for(entry: dict[str, Any]) -> Dataset:
    """The catalogue record of an import (kind ``imported``)."""
    years = entry.get("years") or []
    return Dataset(
        id=f"imp_{entry['id']}",
        name_sv=f"Import: {entry['file']}",
        name_en=f"Import: {entry['file']}",
        source=entry["file"],
        year="–".join(str(y) for y in (years[0], years[-1]))
        if len(years) > 1
        else (str(years[0]) if years else entry["imported_at"][:10]),
        licence="Användarens egen fil",
        kind="imported",
        rows=int(entry.get("matched", 0)),
        note=f"Importerad {entry['imported_at']} ({entry['rows']} rader, {entry['unmatched']} omatchade; "
        f"nyckel {entry['key_type']}).",
        extra={"import_id": entry["id"], "file": entry["file"], "imported_at": entry["imported_at"]},
    )


def apply_imports(
    regso: pd.DataFrame,
    kommun: pd.DataFrame,
    layers: dict[str, LayerSpec],
    imports: list[tuple[dict[str, Any], pd.DataFrame]],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, LayerSpec], list[Dataset]]:
    """Add imported columns and layers.

    Parameters
    ----------
    regso, kommun : pandas.DataFrame
        Embedded frames indexed by code (not modified).
    layers : dict
        Embedded layer declarations by id.
    imports : list of (entry, table)
        From :mod:`geo_app.data.user_store`, indicator imports only.

    Returns
    -------
    (regso, kommun, layers, datasets)
        New frames and layer dict, and one catalogue entry per import.
    """
    frames = {"regso": regso.copy(), "kommun": kommun.copy()}
    layers = dict(layers)
    datasets = []
    for n, (entry, table) in enumerate(imports):
        frame = frames[entry["level"]]
        years = entry.get("years") or [None]
        for col in entry["columns"]:
            src = [f"{col['slug']}_{y}" if y is not None else col["slug"] for y in years]
            if col["role"] == "omradestyp" and entry["level"] == "regso":
                spec = layers["omradestyp"]
                for y, c in zip(years, src, strict=False):
                    new = table[c].reindex(frame.index).round().astype("Int64")
                    old = f"omradestyp_{y}"
                    frame[old] = new.fillna(frame[old]) if old in frame else new
                year_ds = {**spec.year_datasets, **{int(y): f"imp_{entry['id']}" for y in years}}
                layers["omradestyp"] = replace(
                    spec, years=tuple(sorted(set(spec.years) | {int(y) for y in years})), year_datasets=year_ds
                )
                continue
            for y, c in zip(years, src, strict=False):
                frame[column_name(entry["id"], col["slug"], y)] = table[c].reindex(frame.index)
            spec = graduated_spec(entry, col, table[src], n)
            layers[spec.id] = spec
        datasets.append(dataset_for(entry))
    layers = dict(sorted(layers.items(), key=lambda kv: (kv[1].order, kv[0])))
    return frames["regso"], frames["kommun"], layers, datasets
