"""The national områdestyp map: data bundle, view selection, deck and table (no Streamlit).

Pages call :func:`load_bundle` once per process (cached by the UI layer) and
:func:`map_view` on every rerun; the latter must stay cheap (it only filters
frames and builds a small spec).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from geo_app import loaders, mapdata, mapspec
from geo_app.catalogue import Dataset
from geo_app.i18n import t
from geo_app.layers import LayerSpec, load_layers
from geo_app.static_files import publish


@dataclass(frozen=True)
class Bundle:
    """Everything the map pages read; shared read-only across sessions."""

    regso: gpd.GeoDataFrame
    kommun: gpd.GeoDataFrame
    lan: gpd.GeoDataFrame
    display: dict[str, gpd.GeoSeries]
    layers: dict[str, LayerSpec]
    catalogue: dict[str, Dataset]
    urls: dict[str, str]
    bounds: dict[str, tuple[float, float, float, float]]  # "lan:01", "kommun:0180", "regso:…"


@dataclass(frozen=True)
class ViewChoice:
    """What the user chose: layer, year, place and selected area."""

    layer: str = "omradestyp"
    year: int = 2023
    lan: str | None = None
    kommun: str | None = None
    area: str | None = None


def _bounds_table(display: dict[str, gpd.GeoSeries]) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    for level, geoms in display.items():
        b = geoms.bounds
        for code, row in zip(geoms.index, b.itertuples(index=False)):
            out[f"{level}:{code}"] = (row.minx, row.miny, row.maxx, row.maxy)
    return out


def load_bundle(data_dir: Path | None = None, layers_dir: Path | None = None, static_dir: Path | None = None) -> Bundle:
    """Load the derived data, publish the browser files and return the shared bundle."""
    regso = loaders.load_regso(data_dir)
    kommun = loaders.load_kommun(data_dir)
    lan = loaders.load_lan(data_dir)
    display = {level: loaders.load_display(level, data_dir) for level in ("regso", "kommun", "lan")}
    layers = load_layers(layers_dir)
    fill_specs = [s for s in layers.values() if s.level == "regso" and s.style in ("categorical", "graduated")]
    props = mapdata.regso_properties(regso, fill_specs)
    urls = {"regso": publish(mapdata.feature_collection(display["regso"], props), "regso", static_dir)}
    names = {"kommun": kommun[["kommunnamn"]].rename(columns={"kommunnamn": "name"}),
             "lan": lan[["lansnamn"]].rename(columns={"lansnamn": "name"})}
    for level in ("kommun", "lan"):
        urls[level] = publish(mapdata.feature_collection(display[level], names[level]), level, static_dir)
    catalogue = {d.id: d for d in loaders.load_catalogue(data_dir)}
    return Bundle(regso, kommun, lan, display, layers, catalogue, urls, _bounds_table(display))


def normalise_choice(bundle: Bundle, choice: ViewChoice) -> ViewChoice:
    """Drop unknown codes and years so a hand-edited URL cannot break the page."""
    spec = bundle.layers.get(choice.layer) or bundle.layers["omradestyp"]
    year = choice.year if choice.year in spec.years else spec.default_year
    lan = choice.lan if choice.lan in bundle.lan.index else None
    kommun = choice.kommun if choice.kommun in bundle.kommun.index else None
    if kommun is not None and lan is not None and bundle.kommun.at[kommun, "lanskod"] != lan:
        kommun = None
    if kommun is not None and lan is None:
        lan = bundle.kommun.at[kommun, "lanskod"]
    area = choice.area if choice.area in bundle.regso.index else None
    return ViewChoice(spec.id, int(year), lan, kommun, area)


def areas_in_view(bundle: Bundle, choice: ViewChoice) -> pd.Index:
    """Codes of the RegSO areas inside the chosen kommun or län (all of Sweden if none)."""
    regso = bundle.regso
    if choice.kommun:
        return regso.index[regso["kommunkod"] == choice.kommun]
    if choice.lan:
        return regso.index[regso["lanskod"] == choice.lan]
    return regso.index


def place_name(bundle: Bundle, choice: ViewChoice, lang: str) -> str:
    """Human name of the chosen place ("Hela Sverige", a län or a kommun)."""
    if choice.kommun:
        return str(bundle.kommun.at[choice.kommun, "kommunnamn"])
    if choice.lan:
        return str(bundle.lan.at[choice.lan, "lansnamn"])
    return t("map.all_sweden", lang)


def area_table(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """The table view of the map: one row per area in view, indexed by ``regsokod``.

    Columns: area, kommun, län, type (number and name), population, foreign-born
    share and mean wage income for the chosen year.
    """
    spec = bundle.layers[choice.layer]
    codes = areas_in_view(bundle, choice)
    rows = bundle.regso.loc[codes]
    col = spec.column_for(choice.year)
    y = choice.year
    out = pd.DataFrame(
        {
            t("col.regsonamn", lang): rows["regsonamn"],
            t("col.kommunnamn", lang): rows["kommunnamn"],
            t("col.lansnamn", lang): rows["lansnamn"],
            f"{t('col.omradestyp', lang)} {y}": rows[col],
            t("col.omradestyp_namn", lang): spec.class_labels(rows[col], lang),
            f"{t('col.folkmangd', lang)} {y}": rows[f"folkmangd_{y}"],
            f"{t('col.andel_utrikes_fodda_pct', lang)} {y}": rows[f"andel_utrikes_fodda_pct_{y}"],
            f"{t('col.medel_loneinkomst_tkr', lang)} {y}": rows[f"medel_loneinkomst_tkr_{y}"],
        },
        index=rows.index,
    )
    out.index.name = t("col.regsokod", lang)
    return out


def type_counts(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """Areas and population per class in view (no-data row included), indexed by legend label."""
    spec = bundle.layers[choice.layer]
    rows = bundle.regso.loc[areas_in_view(bundle, choice)]
    labels = spec.class_labels(rows[spec.column_for(choice.year)], lang)
    pop = rows[f"folkmangd_{choice.year}"]
    order = [label for _, label in spec.legend(lang)]
    grouped = pd.DataFrame({"label": labels, "pop": pop}).groupby("label", observed=True)
    out = pd.DataFrame({t("col.count", lang): grouped.size(), t("col.population", lang): grouped["pop"].sum()})
    return out.reindex(order).fillna(0).astype("int64")


def source_line(bundle: Bundle, spec: LayerSpec, year: int, lang: str) -> str:
    """``Källa: SCB …, 2023`` for the layer's dataset and the chosen year."""
    ds = bundle.catalogue.get(spec.dataset)
    source = ds.source if ds else spec.dataset
    return t("source.line", lang, source=source, year=year)


def _outline(bundle: Bundle, level: str, code: str) -> dict:
    geom = bundle.display[level].loc[[code]]
    return json.loads(mapdata.feature_collection(geom).decode("utf-8"))


def map_deck(bundle: Bundle, choice: ViewChoice, lang: str) -> pdk.Deck:
    """The deck for a view: areas by URL, outlines by URL, the chosen place highlighted inline."""
    spec = bundle.layers[choice.layer]
    layers: list[pdk.Layer] = []
    for s in bundle.layers.values():
        if s.id == spec.id:
            layers.append(mapspec.choropleth_layer(s, bundle.urls["regso"], choice.year))
        elif s.style == "outline":
            layers.append(mapspec.outline_layer(s, bundle.urls[s.level]))
    if choice.area:
        layers.append(mapspec.highlight_layer(_outline(bundle, "regso", choice.area), "highlight_area"))
        bounds = bundle.bounds[f"regso:{choice.area}"]
    elif choice.kommun:
        layers.append(mapspec.highlight_layer(_outline(bundle, "kommun", choice.kommun)))
        bounds = bundle.bounds[f"kommun:{choice.kommun}"]
    elif choice.lan:
        layers.append(mapspec.highlight_layer(_outline(bundle, "lan", choice.lan)))
        bounds = bundle.bounds[f"lan:{choice.lan}"]
    else:
        bounds = mapspec.SWEDEN_BOUNDS
    tooltip = mapspec.tooltip_text(spec, choice.year, lang, source_line(bundle, spec, choice.year, lang))
    return mapspec.build_deck(layers, mapspec.view_for_bounds(bounds), tooltip)


def area_facts(bundle: Bundle, code: str, year: int, lang: str) -> dict[str, object]:
    """Facts about one area for the side panel, as label → value (numbers unformatted)."""
    row = bundle.regso.loc[code]
    spec = bundle.layers["omradestyp"]
    facts: dict[str, object] = {
        t("col.regsokod", lang): code,
        t("col.regsonamn", lang): row["regsonamn"],
        t("col.kommunnamn", lang): row["kommunnamn"],
        t("col.lansnamn", lang): row["lansnamn"],
    }
    for y in spec.years:
        value = row[spec.column_for(y)]
        facts[f"{t('col.omradestyp', lang)} {y}"] = spec.class_labels(pd.Series([value]), lang).iloc[0]
    facts[f"{t('col.folkmangd', lang)} {year}"] = row[f"folkmangd_{year}"]
    facts[f"{t('col.andel_utrikes_fodda_pct', lang)} {year}"] = row[f"andel_utrikes_fodda_pct_{year}"]
    facts[f"{t('col.medel_loneinkomst_tkr', lang)} {year}"] = row[f"medel_loneinkomst_tkr_{year}"]
    return facts


# Decimals shown per statistic (population whole persons; shares and kSEK one decimal).
_DECIMALS = {"col.folkmangd": 0, "col.andel_utrikes_fodda_pct": 1, "col.medel_loneinkomst_tkr": 1, "col.omradestyp": 0}


def value_decimals(lang: str, year: int) -> dict[str, int]:
    """Column label → decimals, for the labels used by :func:`area_table` and :func:`area_facts`."""
    return {f"{t(key, lang)} {year}": d for key, d in _DECIMALS.items()}


AREA_TABLE_MAX_ROWS = 800  # above this (all of Sweden) the page shows the kommun summary instead


def kommun_summary(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """Areas per class and population in classes 1–2, per kommun in view, indexed by ``kommunkod``.

    The national table: one row per kommun instead of 3,363 area rows.
    """
    spec = bundle.layers[choice.layer]
    rows = bundle.regso.loc[areas_in_view(bundle, choice)]
    values = rows[spec.column_for(choice.year)]
    cls = spec.class_index(values)
    labels = [label for _, label in spec.legend(lang)]
    counts = pd.crosstab(rows["kommunkod"], cls).reindex(columns=range(len(labels)), fill_value=0)
    counts.columns = labels
    challenged = values.isin([1, 2]).fillna(False).astype(bool)
    pop = rows[f"folkmangd_{choice.year}"].where(challenged, 0).groupby(rows["kommunkod"]).sum()
    names = bundle.kommun.loc[counts.index]
    out = pd.concat(
        [names[["kommunnamn", "lansnamn"]].rename(columns={"kommunnamn": t("col.kommunnamn", lang),
                                                        "lansnamn": t("col.lansnamn", lang)}), counts],
        axis=1,
    )
    out[t("col.pop_type12", lang, year=choice.year)] = pop.astype("int64")
    out.index.name = t("col.kommunkod", lang)
    return out


def search_areas(bundle: Bundle, query: str, limit: int = 50) -> list[str]:
    """RegSO codes matching ``query``: an exact code, or all words found in "area, kommun".

    Case- and accent-sensitive only as Swedish is (casefolded); at most ``limit`` codes,
    in code order. An empty query matches nothing.
    """
    q = " ".join(str(query or "").split()).casefold()
    if not q:
        return []
    regso = bundle.regso
    if q.upper() in regso.index:
        return [q.upper()]
    haystack = (regso["regsonamn"] + " " + regso["kommunnamn"] + " " + regso.index).str.casefold()
    hit = pd.Series(True, index=regso.index)
    for word in q.split():
        hit &= haystack.str.contains(word, regex=False)
    return regso.index[hit][:limit].tolist()
