"""The national områdestyp map: view selection, deck and tables (no Streamlit).

Pages call :func:`publish_map` on :func:`geo_app.layers.bundle.load_bundle` once per process (cached
by the UI layer) and
:func:`map_view` on every rerun; the latter must stay cheap (it only filters
frames and builds a small spec).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pydeck as pdk

from geo_app.analysis import indicators
from geo_app.analysis.gaps import CHALLENGED_TYPES
from geo_app.analysis.indicators import weighted_group_mean
from geo_app.data import loaders
from geo_app.i18n import t
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import LayerSpec
from geo_app.views import lod, mapdata, maplayers, mapspec
from geo_app.views.search import display_name, display_names
from geo_app.views.static_files import publish


@dataclass(frozen=True)
class ViewChoice:
    """What the user chose: layer, year, place and selected area."""

    layer: str = "omradestyp"
    year: int | None = None  # None: the layer's declared default year
    lan: str | None = None
    kommun: str | None = None
    area: str | None = None


@dataclass(frozen=True, kw_only=True)
class MapBundle(Bundle):
    """A bundle with the map's browser files: GeoJSON ``urls`` per level and the levels of detail."""

    urls: dict[str, str]
    files: lod.MapFiles


def publish_map(bundle: Bundle, static_dir: Path | None = None, data_dir: Path | None = None) -> MapBundle:
    """Publish the map's browser files for ``bundle`` (loaded from ``data_dir``); the bundle with them."""
    # Area names as people read them: without SCB's "RegSO-" prefix (the code is unchanged).
    regso_names = bundle.regso.assign(regsonamn=display_names(bundle.regso["regsonamn"]))
    frames = {"regso": regso_names, "kommun": bundle.kommun, "lan": bundle.lan}
    names = {
        "regso": {"name": "regsonamn", "kommun": "kommunnamn"},
        "kommun": {"name": "kommunnamn"},
        "lan": {"name": "lansnamn"},
    }
    urls = {}
    level_props = {}
    for level, frame in frames.items():
        specs = [s for s in bundle.layers.values() if s.level == level and s.is_fill]
        props = mapdata.layer_properties(frame, specs, names[level])
        urls[level] = publish(mapdata.feature_collection(bundle.display[level], props), level, static_dir)
        if level != "lan":
            level_props[level] = props
    # Levels of detail for the map pages (see geo_app.views.lod): coarse national areas, borders as
    # segments, and per-region detail files made on first use.
    export = loaders.load_export_geometry("regso", data_dir)
    files = lod.MapFiles(
        lod.national_geometry(export),
        lod.regional_geometry(export),
        bundle.regso["kommunkod"],
        level_props["regso"],
        level_props["kommun"],
        static_dir,
        maplayers.line_styles(bundle.layers),
    )
    nat = files.national()
    urls.update(
        {
            "areas_national": nat["areas"],
            "kommun_national": nat["kommun_areas"],
            "kommun_lines": nat["kommun_lines"],
            "lan_lines": nat["lan_lines"],
        }
    )
    fields = {f.name: getattr(bundle, f.name) for f in dataclasses.fields(bundle)}
    return MapBundle(**fields, urls=urls, files=files)


def normalise_choice(bundle: Bundle, choice: ViewChoice) -> ViewChoice:
    """Drop unknown codes and years so a hand-edited URL cannot break the page."""
    spec = bundle.layers.get(choice.layer)
    if spec is None or not spec.is_fill:
        spec = bundle.layers["omradestyp"]
    year = spec.year_for(choice.year)
    lan = choice.lan if choice.lan in bundle.lan.index else None
    kommun = choice.kommun if choice.kommun in bundle.kommun.index else None
    if kommun is not None and lan is not None and bundle.kommun.at[kommun, "lanskod"] != lan:
        kommun = None
    if kommun is not None and lan is None:
        lan = bundle.kommun.at[kommun, "lanskod"]
    area = choice.area if choice.area in bundle.regso.index else None
    return ViewChoice(spec.id, None if year is None else int(year), lan, kommun, area)


def fill_layers(bundle: Bundle) -> list[LayerSpec]:
    """The layers a user can choose to colour the map with, in menu order."""
    return [s for s in bundle.layers.values() if s.is_fill]


def population_year(bundle: Bundle, year: int | None) -> int:
    """The population year that goes with a view (the latest one for layers without years)."""
    return indicators.population_year(bundle.regso, year)


def kind_label(spec: LayerSpec, lang: str) -> str:
    """The kind of the layer in words ("Officiell statistik", "Modellskattning", …)."""
    return t(f"kind.{spec.kind}", lang)


def national_reference(bundle: Bundle, spec: LayerSpec, year: int | None, lang: str) -> tuple[float, str] | None:
    """The national value to show beside a layer, and how it was obtained.

    Published values come from the declaration (``reference.value``); otherwise the
    population-weighted mean of the layer's units is computed (``reference.weight``).
    ``None`` for layers without a reference (area type, population).
    """
    ref = spec.reference
    if not ref:
        return None
    if "value" in ref:
        label = ref.get("label", {})
        return float(ref["value"]), (label.get(lang) or label.get("sv") or t("ref.national", lang))
    frame = bundle.regso if spec.level == "regso" else bundle.kommun
    weight = ref["weight"].format(year=year)
    if weight not in frame.columns:
        return None
    value = indicators.weighted_mean(frame[spec.column_for(year)], frame[weight].astype(float))
    return value, t("ref.computed", lang, level=t(f"level.{spec.level}", lang))


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


def value_column_label(spec: LayerSpec, year: int | None, lang: str) -> str:
    """Table header for a layer's values: title, year, unit and (if not official) kind."""
    label = spec.title_in(lang) + (f" {year}" if year is not None else "")
    unit = spec.unit_in(lang)
    if unit and spec.style == "graduated":
        label += f" ({unit})"
    if spec.kind != "official" and kind_label(spec, lang).casefold() not in label.casefold():
        label += f" [{kind_label(spec, lang)}]"
    return label


def area_table(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """The table view of the map: one row per area in view, indexed by ``regsokod``.

    Columns: area, kommun, län, type (number and name), population, foreign-born
    share, mean wage income and, for other RegSO layers, the chosen layer's values.
    """
    spec = bundle.layers[choice.layer]
    rows = bundle.regso.loc[areas_in_view(bundle, choice)]
    y = population_year(bundle, choice.year)
    types = bundle.layers["omradestyp"]
    ty = choice.year if spec.id == "omradestyp" else max(types.years)
    out = pd.DataFrame(
        {
            t("col.regsonamn", lang): display_names(rows["regsonamn"]),
            t("col.kommunnamn", lang): rows["kommunnamn"],
            t("col.lansnamn", lang): rows["lansnamn"],
            f"{t('col.omradestyp', lang)} {ty}": rows[types.column_for(ty)],
            t("col.omradestyp_namn", lang): types.class_labels(rows[types.column_for(ty)], lang),
            f"{t('col.folkmangd', lang)} {y}": rows[f"folkmangd_{y}"],
            f"{t('col.andel_utrikes_fodda_pct', lang)} {y}": rows[f"andel_utrikes_fodda_pct_{y}"],
            f"{t('col.medel_loneinkomst_tkr', lang)} {y}": rows[f"medel_loneinkomst_tkr_{y}"],
        },
        index=rows.index,
    )
    column = spec.column_for(choice.year)
    if (
        spec.level == "regso"
        and spec.id != "omradestyp"
        and not column.startswith(("folkmangd_", "andel_utrikes_fodda_pct_", "medel_loneinkomst_tkr_"))
    ):
        out[value_column_label(spec, choice.year, lang)] = rows[column]
    out.index.name = t("col.regsokod", lang)
    return out


def class_counts(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """Units (areas or kommuner) and population per legend class in view, indexed by legend label."""
    spec = bundle.layers[choice.layer]
    if spec.level == "kommun":
        rows = bundle.kommun.loc[bundle.regso.loc[areas_in_view(bundle, choice), "kommunkod"].unique()]
    else:
        rows = bundle.regso.loc[areas_in_view(bundle, choice)]
    labels = spec.class_labels(rows[spec.column_for(choice.year)], lang)
    pop_col = (
        f"folkmangd_{choice.year}"
        if f"folkmangd_{choice.year}" in rows
        else f"folkmangd_{population_year(bundle, None)}"
    )
    pop = rows[pop_col].astype(float)
    order = [label for _, label in spec.legend(lang)]
    grouped = pd.DataFrame({"label": labels, "pop": pop}).groupby("label", observed=True)
    out = pd.DataFrame({t("col.count", lang): grouped.size(), t("col.population", lang): grouped["pop"].sum()})
    return out.reindex(order).fillna(0).astype("int64")


def source_line(bundle: Bundle, spec: LayerSpec, year: int | None, lang: str) -> str:
    """``Källa: SCB …, 2023`` (or ``Modellskattning: …``) for the layer's dataset and year."""
    ds = bundle.catalogue.get(spec.dataset_for(year))
    source = ds.source_in(lang) if ds else spec.dataset
    kind = ds.kind if ds else spec.kind
    when = year if year is not None else (ds.year if ds else "")
    return t(f"source.{kind}", lang, source=source, year=when)


def view_region(bundle: Bundle, choice: ViewChoice) -> tuple[str, str] | None:
    """The region drawn in detail for a view: the area's or chosen kommun, else the län, else none."""
    if choice.area:
        return "kommun", str(bundle.regso.at[choice.area, "kommunkod"])
    if choice.kommun:
        return "kommun", choice.kommun
    if choice.lan:
        return "lan", choice.lan
    return None


def map_deck(bundle: MapBundle, choice: ViewChoice, lang: str, extra_layers: Sequence[pdk.Layer] = ()) -> pdk.Deck:
    """The deck for a view: national areas and borders by URL, the chosen region in detail by URL.

    Its outline is highlighted, then ``extra_layers`` (e.g. office points) go on top. The spec
    holds no geometry; year and layer switches change accessor strings only (see
    :mod:`geo_app.views.maplayers`).
    """
    spec = bundle.layers[choice.layer]
    region = view_region(bundle, choice)
    files = bundle.files
    outline = files.area_outline(choice.area) if choice.area else None
    if choice.area:
        bounds = bundle.bounds[f"regso:{choice.area}"]
    elif region:
        bounds = bundle.bounds[f"{region[0]}:{region[1]}"]
    else:
        bounds = mapspec.SWEDEN_BOUNDS
    layers = maplayers.map_layers(files, bundle.layers, spec, choice.year, region, outline)
    layers += list(extra_layers)
    return mapspec.build_deck(layers, mapspec.view_for_bounds(bounds), tooltip_template(bundle, choice, lang))


def tooltip_template(bundle: Bundle, choice: ViewChoice, lang: str) -> str:
    """The map's one tooltip template for a view (office records fill its keys too: see ``office_view``)."""
    spec = bundle.layers[choice.layer]
    year = spec.year_for(choice.year)  # a choice not yet normalised (year None) gets the declared year
    pop_year = population_year(bundle, year) if spec.level == "regso" else None
    return mapspec.tooltip_text(spec, year, lang, source_line(bundle, spec, year, lang), pop_year)


# Layers whose value the facts panel lists for a clicked area, besides the area type.
FACT_LAYERS = (
    "befolkning",
    "utrikes_fodda",
    "loneinkomst",
    "arbetsloshet_scb",
    "sysselsattning",
    "lag_ek_standard",
    "eftergymnasial",
    "socioek_index",
    "medianinkomst",
    "arbetsloshet_modell",
    "arbetsloshet_af_modell",
    "langtid_typref",
    "utbildning_typref",
    "polis_uso",
)


def area_facts(bundle: Bundle, code: str, year: int | None, lang: str) -> dict[str, str]:
    """Facts about one area for the side panel, as label → text (values formatted, kind named)."""
    row = bundle.regso.loc[[code]]
    facts: dict[str, str] = {
        t("col.regsokod", lang): code,
        t("col.regsonamn", lang): display_name(row["regsonamn"].iloc[0]),
        t("col.kommunnamn", lang): str(row["kommunnamn"].iloc[0]),
        t("col.lansnamn", lang): str(row["lansnamn"].iloc[0]),
    }
    types = bundle.layers["omradestyp"]
    for y in types.years:
        facts[f"{t('col.omradestyp', lang)} {y}"] = str(types.class_labels(row[types.column_for(y)], lang).iloc[0])
    for layer_id in (*FACT_LAYERS, *[i for i in bundle.layers if i.startswith("imp_")]):
        spec = bundle.layers.get(layer_id)
        if spec is None or spec.level != "regso":
            continue
        sy = spec.year_for(year)
        facts[value_column_label(spec, sy, lang)] = str(spec.value_labels(row[spec.column_for(sy)], lang).iloc[0])
    kommun = bundle.kommun.loc[row["kommunkod"].iloc[0]]
    ks = bundle.layers.get("arbetsloshet_kommun")
    if ks is not None:
        ky = ks.year_for(year)
        facts[value_column_label(ks, ky, lang)] = str(
            ks.value_labels(pd.Series([kommun[ks.column_for(ky)]]), lang).iloc[0]
        )
    return facts


# Decimals shown per statistic (population whole persons; shares and kSEK one decimal).
_DECIMALS = {"col.folkmangd": 0, "col.andel_utrikes_fodda_pct": 1, "col.medel_loneinkomst_tkr": 1, "col.omradestyp": 0}


def value_decimals(lang: str, year: int | None, spec: LayerSpec | None = None) -> dict[str, int]:
    """Column label → decimals, for the labels used by :func:`area_table` and :func:`kommun_table`."""
    out = {f"{t(key, lang)} {year}": d for key, d in _DECIMALS.items()}
    if spec is not None:
        out[value_column_label(spec, year, lang)] = spec.decimals
    return out


AREA_TABLE_MAX_ROWS = 800  # above this (all of Sweden) the page shows the kommun summary instead


def kommun_summary(bundle: Bundle, choice: ViewChoice, lang: str) -> pd.DataFrame:
    """Areas per class and population in classes 1–2, per kommun in view, indexed by ``kommunkod``.

    The national table for RegSO layers: one row per kommun instead of 3,363 area rows.
    For kommun layers: the layer's value per kommun.
    """
    spec = bundle.layers[choice.layer]
    in_view = bundle.regso.loc[areas_in_view(bundle, choice)]
    names = bundle.kommun.loc[sorted(in_view["kommunkod"].unique())]
    head = names[["kommunnamn", "lansnamn"]].rename(
        columns={"kommunnamn": t("col.kommunnamn", lang), "lansnamn": t("col.lansnamn", lang)}
    )
    if spec.level == "kommun":
        out = head.copy()
        out[value_column_label(spec, choice.year, lang)] = names[spec.column_for(choice.year)]
        out.index.name = t("col.kommunkod", lang)
        return out
    types = bundle.layers["omradestyp"]
    ty = choice.year if choice.year in types.years else max(types.years)
    values = in_view[types.column_for(ty)]
    cls = types.class_index(values)
    labels = [label for _, label in types.legend(lang)]
    counts = pd.crosstab(in_view["kommunkod"], cls).reindex(columns=range(len(labels)), fill_value=0)
    counts.columns = labels
    challenged = values.isin(CHALLENGED_TYPES).fillna(False).astype(bool)
    py = population_year(bundle, ty)
    pop = in_view[f"folkmangd_{py}"].where(challenged, 0).groupby(in_view["kommunkod"]).sum()
    out = pd.concat([head, counts], axis=1)
    out[t("col.pop_type12", lang, year=ty)] = pop.astype("int64")
    if spec.id != "omradestyp" and spec.style == "graduated":
        col = spec.column_for(choice.year)
        w = in_view[f"folkmangd_{population_year(bundle, choice.year)}"].astype(float)
        mean = weighted_group_mean(in_view[col].astype(float), in_view["kommunkod"], w)
        out[t("col.kommun_mean", lang) + ": " + value_column_label(spec, choice.year, lang)] = mean
    out.index.name = t("col.kommunkod", lang)
    return out
