"""The brief's presence: offices as of the date, the gap rule in words, gaps and areas where presence is unknown."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo_app.analysis.gap_rule import indicator_layers
from geo_app.analysis.indicators import population_year
from geo_app.analysis.presence import AGENCIES, STATUSES
from geo_app.i18n import fmt_number, t
from geo_app.report.context import MAX_ROWS, BriefContext, Table
from geo_app.report.figures import frame_table
from geo_app.views import gap_view, office_view
from geo_app.views.map_view import source_line
from geo_app.views.presence_view import agency_name


def offices_in(ctx: BriefContext, kommuner: list[str]) -> gpd.GeoDataFrame:
    """The context's offices in ``kommuner``."""
    return ctx.offices[ctx.offices["kommunkod"].isin(kommuner)]


def office_tables(ctx: BriefContext, name: str, kommuner: list[str], lang: str) -> tuple[Table, Table, str]:
    """Counts by agency and status, the office list (as the Karta page's office table), and the "none" note."""
    sub = offices_in(ctx, kommuner)
    statuses = [s for s in STATUSES if (sub["status"] == s).any()] or ["open"]
    rows, keys = [], []
    for agency in [a for a in AGENCIES if (sub["agency"] == a).any()]:
        mine = sub[sub["agency"] == agency]
        rows.append(
            [agency_name(agency, lang), *[fmt_number(int((mine["status"] == s).sum()), 0, lang) for s in statuses]]
            + [fmt_number(len(mine), 0, lang)]
        )
        keys.append(agency)
    cols = [t("offices.col.agency", lang), *[t(f"status.{s}", lang) for s in statuses], t("brief.presence.total", lang)]
    source = offices_source(ctx, lang)
    counts = Table(
        cols, rows, [False] + [True] * (len(cols) - 1), source, t("brief.presence.counts", lang, name=name), "", keys
    )
    listing = office_view.office_table(sub, ctx.bundle.kommun["kommunnamn"], lang)
    keep = [t(k, lang) for k in ("offices.col.agency", "offices.col.name", "col.kommunnamn", "offices.col.status")]
    keep += [t(k, lang) for k in ("offices.col.date", "offices.col.precision")]
    office_list = frame_table(listing[keep].head(MAX_ROWS), lang, source=source)
    office_list.caption = t("brief.presence.list", lang)
    if len(listing) > MAX_ROWS:
        office_list.note = t("brief.more", lang, n=len(listing) - MAX_ROWS)
    none = "" if len(sub) else t("brief.presence.none", lang, name=name)
    return counts, office_list, none


def _types_text(types: tuple[int, ...]) -> str:
    """``(1, 2)`` → "1–2"; ``(1, 3)`` → "1, 3"."""
    if len(types) > 1 and list(types) == list(range(types[0], types[-1] + 1)):
        return f"{types[0]}–{types[-1]}"
    return ", ".join(map(str, types))


def rule_text(ctx: BriefContext, lang: str, kommuner: list[str] | None = None) -> tuple[str, str]:
    """The default rule in words (by car where that applies in ``kommuner``), and its indicator's source."""
    rule, bundle = ctx.rule, ctx.bundle
    spec = next(
        (
            s
            for s in indicator_layers(bundle.layers)
            if rule.indicator and s.column_for(s.year_for(rule.year)) == rule.indicator
        ),
        None,
    )
    indicator, source = "", ""
    if rule.indicator:
        name = spec.title_in(lang) if spec else rule.indicator
        unit = spec.unit_in(lang) if spec else ""
        indicator = t("brief.gaps.indicator", lang, name=name, above=fmt_number(rule.above, 0, lang), unit=unit)
        if spec is not None:
            source = source_line(bundle, spec, spec.year_for(rule.year), lang)
    text = t(
        "brief.gaps.rule",
        lang,
        types=_types_text(rule.types),
        year=rule.year,
        indicator=indicator,
        km=fmt_number(rule.max_km, 0, lang),
        agencies=", ".join(agency_name(a, lang) for a in rule.agencies),
    )
    if kommuner is not None and ctx.roads and "measure" in ctx.gap.distances:
        here = ctx.gap.distances["measure"][ctx.bundle.regso["kommunkod"].isin(kommuner)]
        by_road = int((here == "road").sum())
        if by_road:
            minutes = t("roads.minutes", lang, n=fmt_number(rule.max_min or 0, 0, lang))
            text += " " + t("roads.brief_rule", lang, network=ctx.roads, n=by_road, minutes=minutes)
    return text, source


def _area_table(ctx: BriefContext, frame: pd.DataFrame, kommuner: list[str], lang: str, caption: str) -> Table:
    """Areas of a gap-result table in the unit, as the gap page displays them (first :data:`MAX_ROWS`)."""
    areas = frame[frame["kommunkod"].isin(kommuner)]
    shown = gap_view.area_table_for_display(areas, lang)
    shown = shown.rename(columns=lambda c: _raw_column_label(str(c), lang))
    _, source = rule_text(ctx, lang)
    table = frame_table(shown.head(MAX_ROWS), lang, _decimals_like(shown), t("col.regsokod", lang), source=source)
    table.caption = caption
    if len(areas) > MAX_ROWS:
        table.note = t("brief.more", lang, n=len(areas) - MAX_ROWS)
    return table


def unknown_area_table(ctx: BriefContext, name: str, kommuner: list[str], lang: str) -> Table:
    """Areas that would be gaps but where presence around them is unknown (never counted as gaps)."""
    table = _area_table(ctx, ctx.gap.unknown_areas, kommuner, lang, t("brief.gaps.unknown_areas", lang))
    if not table.rows:
        table.note = t("brief.gaps.no_unknown", lang, name=name)
    return table


def collaboration_line(ctx: BriefContext, kommuner: list[str], lang: str) -> str:
    """What the register knows of kommun collaboration (kommunsamverkan) in the unit on the as-of date."""
    states = ctx.states
    if states is None or "kommun" not in states.columns:
        return t("brief.presence.collab", lang)
    known = states["kommun"].reindex(kommuner).fillna("unknown")
    if len(kommuner) == 1:
        return t("brief.presence.collab_one", lang, state=t(f"presence.state.{known.iloc[0]}", lang))
    counts = known.value_counts()
    return t(
        "brief.presence.collab_many",
        lang,
        known=int(counts.get("known", 0)),
        none=int(counts.get("none", 0)),
        unknown=int(counts.get("unknown", 0)),
    )


def gap_tables(ctx: BriefContext, name: str, kommuner: list[str], lang: str) -> tuple[Table, Table, str]:
    """The gap page's kommun and area tables for the unit's kommuner, as the page's display functions show them."""
    result = ctx.gap
    _, source = rule_text(ctx, lang)
    kom = result.kommuner[result.kommuner.index.isin(kommuner)]
    kom_shown = gap_view.kommun_table_for_display(kom, lang)
    kom_table = frame_table(
        kom_shown,
        lang,
        decimals=_decimals_like(kom_shown),
        index=t("col.kommunkod", lang),
        source=source,
    )
    kom_table.caption = t("brief.gaps.kommuner", lang)
    if kom.empty:
        kom_table.note = t("brief.gaps.no_match", lang, name=name)
    areas = result.areas[result.areas["kommunkod"].isin(kommuner)]
    area_shown = gap_view.area_table_for_display(areas, lang)
    area_shown = area_shown.rename(columns=lambda c: _raw_column_label(str(c), lang))
    area_table = frame_table(
        area_shown.head(MAX_ROWS),
        lang,
        decimals=_decimals_like(area_shown),
        index=t("col.regsokod", lang),
        source=source,
    )
    area_table.caption = t("brief.gaps.areas", lang, km=fmt_number(ctx.rule.max_km, 0, lang))
    if areas.empty:
        area_table.note = t("brief.gaps.no_gaps", lang, name=name)
    elif len(areas) > MAX_ROWS:
        area_table.note = t("brief.more", lang, n=len(areas) - MAX_ROWS)
    return kom_table, area_table, source


def _raw_column_label(column: str, lang: str) -> str:
    """``omradestyp_2023`` → "Områdestyp 2023", ``folkmangd_2023`` → "Folkmängd 2023"; others unchanged."""
    for prefix, key in (("omradestyp_", "brief.col.type_year"), ("folkmangd_", "brief.col.population_year")):
        if column.startswith(prefix) and column[len(prefix) :].isdigit():
            return t(key, lang, year=column[len(prefix) :])
    return column


def _decimals_like(frame: pd.DataFrame) -> dict[str, int]:
    """Decimals per column as the gap tables round them: integers 0, distances and indicators as stored."""
    out = {}
    for c in frame.columns:
        if pd.api.types.is_integer_dtype(frame[c]):
            out[c] = 0
        elif pd.api.types.is_float_dtype(frame[c]):
            vals = frame[c].dropna()
            out[c] = 0 if str(c).startswith("omradestyp") else (2 if len(vals) and (vals.round(1) != vals).any() else 1)
    return out


def unknown_lines(ctx: BriefContext, kommuner: list[str], lang: str) -> list[str]:
    """What the presence analysis could not judge in the unit (never reported as "no gap")."""
    rule, regso = ctx.rule, ctx.bundle.regso
    areas = regso[regso["kommunkod"].isin(kommuner)]
    types = areas[f"omradestyp_{rule.year}"]
    out = []
    if rule.indicator:
        missing = types.isin(list(rule.types)) & pd.to_numeric(areas[rule.indicator], errors="coerce").isna()
        if missing.any():
            out.append(t("brief.unknown.indicator", lang, n=int(missing.sum()), types=_types_text(rule.types)))
    if types.isna().any():
        pop = areas.loc[types.isna(), f"folkmangd_{population_year(regso, rule.year)}"].fillna(0).sum()
        out.append(
            t("brief.unknown.type", lang, n=int(types.isna().sum()), people=fmt_number(pop, 0, lang), year=rule.year)
        )
    return out or [t("brief.unknown.none", lang)]


def offices_source(ctx: BriefContext, lang: str, note: str = "") -> str:
    """The offices' source line: the register's source and years, the as-of date and ``note``."""
    ds = ctx.bundle.catalogue.get("presence")
    return t(
        "brief.sources.offices",
        lang,
        source=ds.source if ds else "",
        years=ds.year if ds else "",
        date=ctx.as_of.isoformat(),
        note=note,
    ).strip()
