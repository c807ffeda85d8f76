"""The comparison as the "Jämför" page and ``geo-app export`` show it (no Streamlit).

Parses a selection (level + codes, or "the type 1–2 areas of a län"), names its
units, and assembles the indicator table with national and områdestyp references,
kind, source and year for every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from geo_app.analysis import compare
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.analysis.gaps import CHALLENGED_TYPES, GapRule, rule_areas
from geo_app.errors import InputError
from geo_app.export.gpkg import ExportChoice
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import Bundle
from geo_app.layers.spec import LayerSpec
from geo_app.views.gap_view import indicator_label
from geo_app.views.map_view import kind_label, national_reference, source_line

MAX_UNITS = 40  # a comparison, not a national table (the map has that)
OPENING_UNITS = 8  # the page's first view: a few kommuner, so the charts stay readable
LABEL_LIMIT = 320  # pixels for unit names on chart axes (Vega's default 180 cut "Helsingborg" short)


@dataclass(frozen=True)
class Selection:
    """What is compared: ``level`` (kommun, lan, regso), unit codes, and the områdestyp year."""

    level: str
    codes: tuple[str, ...]
    year: int


def parse_selection(bundle: Bundle, level: str, codes: Iterable[object], year: int | None) -> Selection:
    """Check a selection from a URL or the CLI; unknown codes raise :class:`InputError` naming them.

    A year the data lacks (or ``None``) becomes the declared default områdestyp year.
    """
    if level not in compare.LEVELS:
        raise InputError(f"level must be one of {tuple(compare.LEVELS)}, got {level!r}")
    known = {"kommun": bundle.kommun.index, "lan": bundle.lan.index, "regso": bundle.regso.index}[level]
    units = tuple(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    unknown = [c for c in units if c not in known]
    if unknown:
        raise InputError(f"unknown {level} code(s): {', '.join(unknown[:5])}")
    if len(units) > MAX_UNITS:
        raise InputError(f"compare at most {MAX_UNITS} units at a time (got {len(units)})")
    years = bundle.layers["omradestyp"].years
    return Selection(level, units, year if year in years else bundle.types_year)


def challenged_areas(bundle: Bundle, lan: str, year: int, types: tuple[int, ...] = CHALLENGED_TYPES) -> tuple[str, ...]:
    """The RegSO areas of the given types in a län ("the type 1–2 areas of this län")."""
    r = bundle.regso
    hit = (r["lanskod"] == lan) & r[f"omradestyp_{year}"].isin(types)
    return tuple(r.index[hit].sort_values())


@dataclass(frozen=True)
class Opening:
    """What the page shows before the first click: a län, its kommuner and why they were chosen."""

    lan: str
    codes: tuple[str, ...]
    note: str


def rule_counts(bundle: Bundle, rule: GapRule) -> pd.DataFrame:
    """Areas matching the gap rule (type and indicator, any distance) per kommun, with its län."""
    r = bundle.regso
    hit = rule_areas(r, f"omradestyp_{rule.year}", rule.types, rule.indicator, rule.above)
    return (
        r[hit].groupby(["lanskod", "kommunkod"]).size().rename("areas").reset_index().sort_values(
            ["areas", "kommunkod"], ascending=[False, True], kind="stable"
        )
    )  # fmt: skip


def opening_selection(bundle: Bundle, year: int, lang: str, lan: str | None = None) -> Opening:
    """The kommuner of ``lan`` with the most areas matching the default gap rule (at most :data:`OPENING_UNITS`).

    Without a valid ``lan``: the län with the most such areas. A län without any: its most
    populous kommuner, and the note says so.
    """
    rule = bundle.gap_rule(RuleOptions(year=year))
    counts = rule_counts(bundle, rule)
    if lan is None or lan not in bundle.lan.index:
        lan = str(counts["lanskod"].iloc[0]) if len(counts) else str(bundle.lan.index[0])
    in_lan = counts[counts["lanskod"] == lan]
    names = {"lan": bundle.lan.at[lan, "lansnamn"], "year": rule.year}
    if len(in_lan):
        codes = tuple(in_lan["kommunkod"].astype(str).iloc[:OPENING_UNITS])
        indicator = indicator_label(bundle, rule, lang) or t("gaps.no_indicator", lang)
        types = "–".join(str(x) for x in (min(rule.types), max(rule.types)))
        above = fmt_number(rule.above or 0, 1 if (rule.above or 0) % 1 else 0, lang)
        note = t("compare.opening", lang, n=len(codes), types=types, indicator=indicator, above=above, **names)
    else:
        spec = bundle.layers["befolkning"]
        pop = spec.column_for(spec.year_for(year))
        people = bundle.regso[bundle.regso["lanskod"] == lan].groupby("kommunkod")[pop].sum()
        codes = tuple(people.sort_values(ascending=False, kind="stable").index.astype(str)[:OPENING_UNITS])
        note = t("compare.opening_none", lang, n=len(codes), **names)
    return Opening(lan, codes, note)


def unit_names(bundle: Bundle, sel: Selection) -> pd.Series:
    """Display name per unit code, e.g. "Malmö", "Skåne län", "Rosengård (Malmö)"."""
    if sel.level == "kommun":
        return bundle.kommun.loc[list(sel.codes), "kommunnamn"]
    if sel.level == "lan":
        return bundle.lan.loc[list(sel.codes), "lansnamn"]
    r = bundle.regso.loc[list(sel.codes)]
    return r["regsonamn"].str.removeprefix("RegSO-") + " (" + r["kommunnamn"] + ")"


# Row order of the comparison: official figures first, estimates last.
KIND_ORDER = {"official": 0, "compiled": 1, "imported": 2, "reference": 3, "estimate": 4}


def compared_layers(bundle: Bundle) -> list[LayerSpec]:
    """Graduated layers that have one number per unit (fill layers of RegSO or kommun level).

    Official figures first, then imported, type-level references and model estimates
    (stable within a kind), so the official rows are never below the fold.
    """
    specs = [s for s in bundle.layers.values() if s.is_fill and s.style == "graduated"]
    return sorted(specs, key=lambda s: KIND_ORDER.get(s.kind, 9))


def national_value(bundle: Bundle, spec: LayerSpec, year: int | None, lang: str) -> float | None:
    """The national value beside a unit's.

    Published or population-weighted (see ``national_reference``), or for counts
    (``aggregate = "sum"``, e.g. population) the national total.
    """
    ref = national_reference(bundle, spec, year, lang)
    if ref is not None:
        return ref[0]
    if spec.aggregate == "sum":
        frame = bundle.regso if spec.level == "regso" else bundle.kommun
        column = spec.column_for(year)
        if column in frame.columns:
            return float(pd.to_numeric(frame[column], errors="coerce").sum())
    return None


def indicator_table(bundle: Bundle, sel: Selection, lang: str) -> pd.DataFrame:
    """Long table: one row per (indicator, unit).

    Columns ``layer, indicator, unit_code, unit_name, value, national, type_reference,
    unit, decimals, aggregate, kind, year, source``. ``national`` is the published or computed
    national value; ``type_reference`` the value expected from the unit's områdestyp
    mix (see :func:`geo_app.analysis.compare.type_mix_reference`).
    """
    names = unit_names(bundle, sel)
    rows = []
    for spec in compared_layers(bundle):
        year = spec.year_for(sel.year)
        units = compare.Units(sel.level, tuple(sel.codes))
        values = compare.unit_values(bundle.regso, bundle.kommun, spec, year, units)
        typeref = compare.type_mix_reference(bundle.regso, spec, year, sel.year, units)
        national = national_value(bundle, spec, year, lang)
        for code in sel.codes:
            rows.append(
                {
                    "layer": spec.id,
                    "indicator": spec.title_in(lang),
                    "unit_code": code,
                    "unit_name": names[code],
                    "value": values.get(code),
                    "national": national,
                    "type_reference": typeref.get(code),
                    "unit": spec.unit_in(lang),
                    "decimals": spec.decimals,
                    "aggregate": spec.aggregate,
                    "kind": kind_label(spec, lang),
                    "year": year,
                    "source": source_line(bundle, spec, year, lang),
                }
            )
    out = pd.DataFrame(rows)
    for c in ("value", "national", "type_reference"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


_DISPLAY = {
    "indicator": "compare.col.indicator",
    "unit_name": "compare.col.unit",
    "value": "compare.col.value",
    "national": "compare.col.national",
    "type_reference": "compare.col.typeref",
    "kind": "compare.col.kind",
    "year": "compare.col.year",
    "source": "compare.col.source",
}


def indicator_display(table: pd.DataFrame, lang: str, formatted: bool = True) -> pd.DataFrame:
    """The indicator table as the page shows it: indicator (unit), unit, value, references, kind, year, source.

    With ``formatted``, numbers become Swedish-formatted text with each indicator's own
    decimals ("uppgift saknas" where there is none); without, they stay numbers (for Excel).
    """
    out = table[list(_DISPLAY)].copy()
    out["indicator"] = table["indicator"] + " (" + table["unit"] + ")"
    out["year"] = table["year"].astype("Int64")
    if formatted:
        for col in ("value", "national", "type_reference"):
            out[col] = [fmt_number(v, int(d), lang) for v, d in zip(table[col], table["decimals"], strict=False)]
    return out.rename(columns={k: t(v, lang) for k, v in _DISPLAY.items()})


def ranking_table(table: pd.DataFrame, layer: str, lang: str) -> pd.DataFrame:
    """The chosen units ranked on one indicator (1 = highest)."""
    rows = table[table["layer"] == layer].set_index("unit_name")
    ranked = compare.ranking(rows["value"])
    ranked.index.name = t("compare.col.unit", lang)
    return ranked.rename(columns={"value": t("compare.col.value", lang), "rank": t("compare.col.rank", lang)})[
        [t("compare.col.rank", lang), t("compare.col.value", lang)]
    ]


def export_choice(sel: Selection) -> ExportChoice:
    """The GeoPackage export for what the page shows (see :class:`geo_app.export.gpkg.ExportChoice`)."""
    return ExportChoice(**{{"kommun": "kommun", "lan": "lan", "regso": "area"}[sel.level]: sel.codes})


def distribution_table(bundle: Bundle, sel: Selection, lang: str) -> pd.DataFrame:
    """Population per områdestyp per unit (counts and shares) with translated headers."""
    if sel.level == "regso":
        return pd.DataFrame()
    dist = compare.type_distribution(bundle.regso, sel.level, sel.codes, sel.year)
    labels = dict(zip(compare.TYPES, [label for _, label in bundle.layers["omradestyp"].legend(lang)], strict=False))
    out = pd.DataFrame({t("compare.col.unit", lang): unit_names(bundle, sel)}, index=dist.index)
    out.index.name = t(f"compare.code.{sel.level}", lang)
    for ty in compare.TYPES:
        out[f"{labels[ty]}: {t('compare.col.people', lang)}"] = dist[f"pop_{ty}"]
        out[f"{labels[ty]}: %"] = dist[f"share_{ty}"]
    return out


def changes_table(bundle: Bundle, sel: Selection, lang: str) -> pd.DataFrame:
    """Areas that changed type between the two index years, with translated headers and directions."""
    years = bundle.layers["omradestyp"].years
    ch = compare.type_changes(bundle.regso, sel.level, sel.codes, years[0], years[-1])
    names = unit_names(bundle, sel)
    return pd.DataFrame(
        {
            t("compare.col.unit", lang): ch["unit"].map(names),
            t("col.regsonamn", lang): ch["regsonamn"].astype(str).str.removeprefix("RegSO-"),
            f"{t('col.omradestyp', lang)} {years[0]}": ch["type_before"],
            f"{t('col.omradestyp', lang)} {years[-1]}": ch["type_after"],
            t("compare.col.change", lang): ch["change"].map(lambda c: t(f"compare.change.{c}", lang)),
        },
        index=pd.Index(ch.index, name=t("col.regsokod", lang)),
    )


def similar_table(bundle: Bundle, code: str, year: int, lang: str, n: int = 5) -> pd.DataFrame:
    """The chosen kommun's own values on top, then the ``n`` kommuner most like it, with the distance.

    Population is shown as people (not its log10, which the distance uses).
    """
    features = compare.kommun_features(bundle.regso, bundle.kommun, year)
    near = compare.similar_units(features, code, n)
    own = features.loc[[code]].assign(distance=0.0)
    both = pd.concat([own, near[[*features.columns, "distance"]]])
    out = both.rename(columns={c: t(f"compare.feature.{c}", lang) for c in features.columns if c != "pop_log"})
    if "pop_log" in both.columns:
        out = out.drop(columns=["pop_log"])
        out.insert(0, t("compare.feature.population", lang), (10 ** both["pop_log"]).round().astype("Int64"))
    out = out.rename(columns={"distance": t("compare.col.distance", lang)})
    names = bundle.kommun.loc[both.index, "kommunnamn"].astype(str)
    names.iloc[0] = names.iloc[0] + " " + t("compare.chosen", lang)
    out.insert(0, t("col.kommunnamn", lang), names)
    out.index.name = t("col.kommunkod", lang)
    return out


def unemployment_note(table: pd.DataFrame, lang: str) -> str | None:
    """When the table holds more than one unemployment figure for a unit, how they differ (else ``None``)."""
    ids = {"arbetsloshet_scb", "arbetsloshet_af_modell", "arbetsloshet_modell", "arbetsloshet_kommun"} & set(
        table["layer"]
    )
    return t("compare.unemployment_note", lang) if len(ids) >= 2 else None


def about_rows(bundle: Bundle, sel: Selection, table: pd.DataFrame, lang: str, as_of: str) -> list[tuple[str, str]]:
    """What a comparison download holds: units, year, date, and each indicator's kind and source."""
    names = unit_names(bundle, sel)
    rows = [
        (t("about.what", lang), t("compare.heading", lang)),
        (t("about.units", lang), ", ".join(f"{names[c]} ({c})" for c in sel.codes)),
        (t("about.year", lang), str(sel.year)),
        (t("about.as_of", lang), as_of),
    ]
    for _, r in table.drop_duplicates("layer").iterrows():
        rows.append((f"{r['indicator']} ({r['unit']})", f"{r['kind']}; {r['source']}"))
    return rows


def _chart_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows for a chart: a national *total* (population) is not drawn beside a unit's count."""
    if "aggregate" not in rows.columns:
        return rows
    return rows.assign(national=rows["national"].where(rows["aggregate"] != "sum"))


def indicator_chart(table: pd.DataFrame, layer: str, lang: str) -> alt.LayerChart | alt.FacetChart:
    """Bars of the units' values for one indicator, a rule at the national value, dots at the type reference."""
    rows = _chart_rows(table[table["layer"] == layer])
    unit = rows["unit"].iloc[0] if len(rows) else ""
    base = alt.Chart(rows).encode(y=alt.Y("unit_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    bars = base.mark_bar(color="#2c7bb6").encode(
        x=alt.X("value:Q", title=f"{rows['indicator'].iloc[0] if len(rows) else ''} ({unit})"),
        tooltip=[
            alt.Tooltip("unit_name:N", title=t("compare.col.unit", lang)),
            alt.Tooltip("value:Q", title=t("compare.col.value", lang), format=",.1f"),
        ],
    )
    layers = [bars]
    if rows["type_reference"].notna().any():
        layers.append(
            base.mark_point(color="#d7191c", filled=True, size=70, shape="diamond").encode(
                x="type_reference:Q",
                tooltip=[alt.Tooltip("type_reference:Q", title=t("compare.col.typeref", lang), format=",.1f")],
            )
        )
    if rows["national"].notna().any():
        national = pd.DataFrame({"national": [rows["national"].iloc[0]]})
        layers.append(
            alt.Chart(national)
            .mark_rule(color="#222222", strokeDash=[4, 3], size=2)
            .encode(
                x="national:Q",
                tooltip=[alt.Tooltip("national:Q", title=t("compare.col.national", lang), format=",.1f")],
            )
        )
    return alt.layer(*layers).properties(height=alt.Step(30))


def small_multiples(table: pd.DataFrame, lang: str, columns: int = 3) -> alt.FacetChart:
    """One small bar chart per indicator (own x scale), each with the national line and type reference dots."""
    data = _chart_rows(table).assign(label=table["indicator"] + " (" + table["unit"] + ")")
    base = alt.Chart().encode(y=alt.Y("unit_name:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    bars = base.mark_bar(color="#2c7bb6").encode(
        x=alt.X("value:Q", title=None),
        tooltip=[
            alt.Tooltip("unit_name:N", title=t("compare.col.unit", lang)),
            alt.Tooltip("value:Q", title=t("compare.col.value", lang), format=",.2f"),
        ],
    )
    dots = base.mark_point(color="#d7191c", filled=True, shape="diamond").encode(x="type_reference:Q")
    line = alt.Chart().mark_rule(color="#222222", strokeDash=[4, 3]).encode(x="mean(national):Q")
    chart: alt.FacetChart = (
        alt.layer(bars, dots, line, data=data)
        .properties(width=200, height=alt.Step(20))
        .facet(facet=alt.Facet("label:N", title=None, sort=list(dict.fromkeys(data["label"]))), columns=columns)
        .resolve_scale(x="independent")
    )
    return chart


def distribution_chart(bundle: Bundle, sel: Selection, lang: str) -> alt.Chart:
    """Stacked bars: each unit's population share per områdestyp, in the map's colours."""
    dist = compare.type_distribution(bundle.regso, sel.level, sel.codes, sel.year)
    types = bundle.layers["omradestyp"]
    labels = [label for _, label in types.legend(lang)][: len(compare.TYPES)]
    colours = [c.color for c in types.classes][: len(compare.TYPES)]
    names = unit_names(bundle, sel)
    long = pd.DataFrame(
        [
            {
                "unit": names[code],
                "type": labels[i],
                "order": i,
                "share": dist.at[code, f"share_{ty}"],
                "people": dist.at[code, f"pop_{ty}"],
            }
            for code in dist.index
            for i, ty in enumerate(compare.TYPES)
        ]
    )
    chart: alt.Chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", stack="zero", title="%", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("unit:N", title=t("compare.col.unit", lang), axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            color=alt.Color(
                "type:N",
                title=t("col.omradestyp", lang),
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(labelLimit=LABEL_LIMIT, orient="bottom", columns=2),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("unit:N", title=t("compare.col.unit", lang)),
                alt.Tooltip("type:N", title=t("col.omradestyp", lang)),
                alt.Tooltip("share:Q", title="%", format=",.1f"),
                alt.Tooltip("people:Q", title=t("col.folkmangd", lang), format=",.0f"),
            ],
        )
        .properties(height=alt.Step(34))
    )
    return chart
