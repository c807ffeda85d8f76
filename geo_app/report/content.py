"""What a brief says: every figure for one kommun or län, from the app's own functions (no Streamlit).

The numbers come from the same view functions the Jämför and Närvaroluckor pages use
(:mod:`geo_app.views.compare_view`, :mod:`geo_app.views.gap_view`, and through them
:mod:`geo_app.analysis.compare` and :mod:`geo_app.analysis.gaps`), formatted the same way,
so a brief and the app always agree. :class:`BriefContext` holds what is shared between
briefs (bundle, offices as of a date, the gap analysis under the default rule), so a batch
of 49 briefs loads and analyses once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import pandas as pd

from geo_app.analysis import compare, gaps
from geo_app.analysis.indicators import population_year
from geo_app.analysis.presence import AGENCIES, STATUSES
from geo_app.errors import InputError
from geo_app.i18n import fmt_number, normalise_language, t
from geo_app.layers.bundle import Bundle
from geo_app.views import compare_view as cv
from geo_app.views import gap_view
from geo_app.views.map_view import source_line
from geo_app.views.presence_view import agency_name

LEVELS = ("kommun", "lan")
MAX_ROWS = 15  # long lists (a län's type changes, offices, gap areas) are cut here: the app has them all


@dataclass(frozen=True)
class BriefContext:
    """What every brief of a batch shares: data, offices as of ``as_of``, the default gap analysis."""

    bundle: Bundle
    offices: gpd.GeoDataFrame
    as_of: date
    year: int
    rule: gaps.GapRule
    gap: gaps.GapResult
    features: pd.DataFrame = field(repr=False)
    states: pd.DataFrame | None = field(default=None, repr=False)  # known / none / unknown per kommun, agency
    geometry: tuple[gpd.GeoSeries, gpd.GeoSeries] | None = field(default=None, repr=False)  # print-map geometry


def check_as_of(as_of: date) -> None:
    """Raise :class:`InputError` if presence cannot be stated on ``as_of`` (the register's range)."""
    from geo_app.analysis.register import check_as_of as register_check

    try:
        register_check(as_of)
    except InputError as exc:
        raise InputError(f"--as-of: {exc} (the presence data)") from exc


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` → date; :class:`InputError` otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"--as-of: expected a date YYYY-MM-DD, got {text!r}") from exc


def make_context(
    bundle: Bundle,
    as_of: date | None = None,
    year: int | None = None,
    offices: gpd.GeoDataFrame | None = None,
    points: gpd.GeoSeries | None = None,
    states: pd.DataFrame | None = None,
) -> BriefContext:
    """Load offices and what is known of presence as of ``as_of`` (default today); run the default gap rule once.

    ``offices``, ``points`` and ``states`` may be passed in when the caller has them (the app's shared
    objects); without ``states`` they are loaded with the offices (as the gap page does).
    """
    from geo_app.data import loaders

    as_of = as_of or date.today()
    check_as_of(as_of)
    if offices is None:
        offices = loaders.load_presence(as_of)
        if states is None:
            states = loaders.load_presence_states(as_of)
    year = year if year in bundle.layers["omradestyp"].years else bundle.types_year
    rule = gap_view.rule_from_options(bundle, year=year)
    result = gaps.analyse(bundle.regso, offices, rule, points, states=states)
    features = compare.kommun_features(bundle.regso, bundle.kommun, year)
    from geo_app.report.mapimage import map_geometry

    return BriefContext(bundle, offices, as_of, year, rule, result, features, states, map_geometry(bundle))


def check_unit(bundle: Bundle, level: str, code: str) -> str:
    """The unit code, checked; :class:`InputError` naming an unknown code."""
    if level not in LEVELS:
        raise InputError(f"a brief is made for a kommun or a län, not {level!r}")
    cv.parse_selection(bundle, level, [code], max(bundle.layers["omradestyp"].years))
    return str(code).strip()


@dataclass
class Table:
    """A printable table: headers, rows of display strings, which columns are numbers, a source line."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    source: str = ""
    caption: str = ""
    note: str = ""
    row_keys: list[str] = field(default_factory=list)


@dataclass
class KeyFigure:
    """One indicator row: display strings exactly as the Jämför page formats them."""

    layer: str
    indicator: str
    value: str
    national: str
    type_reference: str
    kind: str
    estimate: bool
    year: str
    source: str
    source_ref: int = 0  # 1-based number of ``source`` in the brief's key-figure source list


@dataclass
class Brief:
    """Everything one brief shows, as display strings (see :func:`build_brief`)."""

    level: str
    code: str
    name: str
    title: str
    lang: str
    made: date
    as_of: date
    year: int
    key_figures: list[KeyFigure]
    key_note: str
    key_sources: list[str]
    types: Table
    changes_heading: str
    changes_summary: str
    changes: Table
    office_counts: Table
    offices: Table
    office_note: str
    presence_none: str
    collaboration: str
    gap_rule: str
    gap_estimate: bool
    gap_kommuner: Table
    gap_areas: Table
    unknown_areas: Table
    unknowns: list[str]
    peers_heading: str
    peers: Table
    sources: list[str]
    map_alt: str
    map_caption: str
    map_source: str
    map_png: bytes = b""


def kommuner_of(bundle: Bundle, level: str, code: str) -> list[str]:
    """The kommun codes of the unit (the kommun itself, or the län's kommuner)."""
    if level == "kommun":
        return [code]
    return list(bundle.kommun.index[bundle.kommun["lanskod"] == code])


def unit_name(bundle: Bundle, level: str, code: str) -> str:
    """The unit's name as the Jämför page shows it ("Landskrona", "Skåne län")."""
    return str(cv.unit_names(bundle, cv.Selection(level, (code,), bundle.types_year))[code])


def _cell(value: object, decimals: int, lang: str) -> str:
    if isinstance(value, bool):
        return t("yes", lang) if value else t("no", lang)
    if value is None or value is pd.NA or (pd.api.types.is_number(value) and pd.isna(value)):
        return t("na", lang)
    if pd.api.types.is_number(value):
        return fmt_number(float(value), decimals, lang)  # type: ignore[arg-type]
    return str(value)


def frame_table(
    frame: pd.DataFrame,
    lang: str,
    decimals: dict[str, int] | None = None,
    index: str | None = None,
    source: str = "",
    caption: str = "",
) -> Table:
    """A display frame → :class:`Table`; numbers in Swedish format with the given decimals (default 1/0)."""
    decimals = decimals or {}
    cols = list(frame.columns)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in cols]
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for c, num in zip(cols, numeric, strict=False):
            default = 0 if pd.api.types.is_integer_dtype(frame[c]) else 1
            cells.append(_cell(row[c], decimals.get(c, default), lang) if num else _text(row[c], lang))
        rows.append(cells)
    headers = [str(c) for c in cols]
    if index is not None:
        headers.insert(0, index)
        numeric.insert(0, False)
        rows = [[str(k), *r] for k, r in zip(frame.index, rows, strict=False)]
    return Table(headers, rows, numeric, source, caption, row_keys=[str(k) for k in frame.index])


def _text(value: object, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return t("na", lang)
    return str(value)


def key_figures(bundle: Bundle, sel: cv.Selection, lang: str) -> tuple[list[KeyFigure], pd.DataFrame]:
    """The Jämför page's indicator table for the unit, formatted as the page formats it."""
    table = cv.indicator_table(bundle, sel, lang)
    shown = cv.indicator_display(table, lang)
    out = []
    for (_, raw), (_, disp) in zip(table.iterrows(), shown.iterrows(), strict=False):
        values = disp.tolist()  # indicator, unit, value, national, type_reference, kind, year, source
        if pd.isna(values[6]):  # a layer without years (e.g. the Police's areas): its dataset's year
            ds = bundle.catalogue.get(bundle.layers[raw["layer"]].dataset_for(None))
            values[6] = ds.year if ds else t("na", lang)
        out.append(
            KeyFigure(
                layer=str(raw["layer"]),
                indicator=str(values[0]),
                value=str(values[2]),
                national=str(values[3]),
                type_reference=str(values[4]),
                kind=str(values[5]),
                estimate=bundle.layers[raw["layer"]].kind == "estimate",
                year=str(values[6]),
                source=str(values[7]),
            )
        )
    return out, table


def type_table(bundle: Bundle, sel: cv.Selection, lang: str) -> Table:
    """Population per områdestyp for the unit beside Sweden's shares (:func:`compare.type_distribution`)."""
    regso = bundle.regso
    dist = compare.type_distribution(regso, sel.level, sel.codes, sel.year).loc[sel.codes[0]]
    sweden = compare.type_distribution(regso, "lan", list(bundle.lan.index), sel.year)
    sweden_pop = sweden[[f"pop_{ty}" for ty in compare.TYPES]].sum()
    sweden_share = (100 * sweden_pop / sweden_pop.sum()).round(1)
    labels = [label for _, label in bundle.layers["omradestyp"].legend(lang)]
    rows, keys = [], []
    for i, ty in enumerate(compare.TYPES):
        rows.append(
            [
                labels[i],
                fmt_number(dist[f"areas_{ty}"], 0, lang),
                fmt_number(dist[f"pop_{ty}"], 0, lang),
                fmt_number(dist[f"share_{ty}"], 1, lang),
                fmt_number(sweden_share[f"pop_{ty}"], 1, lang),
            ]
        )
        keys.append(str(ty))
    if dist["pop_no_type"] > 0:
        rows.append([t("brief.types.no_type", lang), "", fmt_number(dist["pop_no_type"], 0, lang), "", ""])
        keys.append("none")
    spec = bundle.layers["omradestyp"]
    pop_year = population_year(regso, sel.year)
    source = "; ".join(
        [source_line(bundle, spec, sel.year, lang), source_line(bundle, bundle.layers["befolkning"], pop_year, lang)]
    )
    cols = [f"brief.types.col.{c}" for c in ("type", "areas", "people", "share", "sweden")]
    return Table([t(c, lang) for c in cols], rows, [False, True, True, True, True], source, row_keys=keys)


def change_table(bundle: Bundle, sel: cv.Selection, lang: str) -> tuple[str, str, Table]:
    """Areas that changed type (:func:`compare_view.changes_table`): heading, summary and (capped) table."""
    years = bundle.layers["omradestyp"].years
    changes = cv.changes_table(bundle, sel, lang)
    direction = changes.iloc[:, -1] if len(changes) else pd.Series(dtype=str)
    up = int((direction == t("compare.change.up", lang)).sum())
    down = int((direction == t("compare.change.down", lang)).sum())
    shown = changes.drop(columns=[t("compare.col.unit", lang)]) if len(changes) else changes
    table = frame_table(shown.head(MAX_ROWS), lang, index=None)
    table.numeric = [False] * len(table.columns)
    ds = bundle.catalogue.get(bundle.layers["omradestyp"].dataset)
    if ds is not None:
        table.source = t(f"source.{ds.kind}", lang, source=ds.source, year=f"{years[0]}, {years[-1]}")
    if len(changes) > MAX_ROWS:
        table.note = t("brief.changes.more", lang, n=len(changes) - MAX_ROWS)
    heading = t("compare.changes", lang, a=years[0], b=years[-1])
    summary = t("brief.changes.summary", lang, up=up, down=down) if len(changes) else t("compare.no_changes", lang)
    return heading, summary, table


def _offices_in(ctx: BriefContext, kommuner: list[str]) -> gpd.GeoDataFrame:
    return ctx.offices[ctx.offices["kommunkod"].isin(kommuner)]


def office_tables(ctx: BriefContext, name: str, kommuner: list[str], lang: str) -> tuple[Table, Table, str]:
    """Counts by agency and status, the office list (as the Karta page's office table), and the "none" note."""
    sub = _offices_in(ctx, kommuner)
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
    ds = ctx.bundle.catalogue.get("presence")
    source = t(
        "brief.sources.offices",
        lang,
        source=ds.source if ds else "",
        years=ds.year if ds else "",
        date=ctx.as_of.isoformat(),
        note="",
    ).strip()
    counts = Table(
        cols, rows, [False] + [True] * (len(cols) - 1), source, t("brief.presence.counts", lang, name=name), "", keys
    )
    listing = gap_view.office_table(sub, ctx.bundle.kommun["kommunnamn"], lang)
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


def rule_text(ctx: BriefContext, lang: str) -> tuple[str, str]:
    """The default rule in words, and the source line of its indicator."""
    rule, bundle = ctx.rule, ctx.bundle
    spec = next(
        (
            s
            for s in gap_view.indicator_layers(bundle)
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
    return text, source


def _area_table(ctx: BriefContext, frame: pd.DataFrame, kommuner: list[str], lang: str, caption: str) -> Table:
    """Areas of a gap-result table in the unit, as the gap page displays them (first :data:`MAX_ROWS`)."""
    areas = frame[frame["kommunkod"].isin(kommuner)]
    shown = gap_view.area_table_for_display(areas, lang)
    shown = shown.rename(columns=lambda c: _raw_column_label(str(c), lang))
    _, source = rule_text(ctx, lang)
    table = frame_table(
        shown.head(MAX_ROWS), lang, _decimals_like(shown), t("col.regsokod", lang), source=source, caption=caption
    )
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
        caption=t("brief.gaps.kommuner", lang),
    )
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
        caption=t("brief.gaps.areas", lang, km=fmt_number(ctx.rule.max_km, 0, lang)),
    )
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


def peer_table(ctx: BriefContext, level: str, code: str, lang: str) -> tuple[str, Table]:
    """Similar kommuner (:func:`compare_view.similar_table`) for a kommun; the län's kommuner for a län."""
    bundle, year = ctx.bundle, ctx.year
    decimals = {t(f"compare.feature.{c}", lang): 2 if c == "pop_log" else 1 for c in ctx.features.columns}
    decimals[t("compare.col.distance", lang)] = 3
    if level == "kommun":
        frame = cv.similar_table(bundle, code, year, lang)
        heading = t("brief.similar.heading", lang)
    else:
        feats = ctx.features.loc[kommuner_of(bundle, level, code)]
        frame = feats.rename(columns={c: t(f"compare.feature.{c}", lang) for c in feats.columns})
        frame.insert(0, t("col.kommunnamn", lang), bundle.kommun.loc[feats.index, "kommunnamn"])
        heading = t("brief.kommuner.heading", lang)
    table = frame_table(frame, lang, decimals=decimals, index=t("col.kommunkod", lang))
    table.note = t("compare.similar_note", lang)
    table.source = "; ".join(peer_sources(ctx, lang))
    return heading, table


def peer_sources(ctx: BriefContext, lang: str) -> list[str]:
    """Sources of the five comparison measures (population, type, foreign-born, N03937, education)."""
    b, year = ctx.bundle, ctx.year
    pop_year = population_year(b.regso, year)
    un = b.layers["arbetsloshet_kommun"]
    return [
        source_line(b, b.layers["befolkning"], pop_year, lang),
        source_line(b, b.layers["omradestyp"], year, lang),
        source_line(b, un, un.year_for(year), lang),
        source_line(b, b.layers["forgymnasial_kommun"], 2021, lang),
    ]


def build_brief(ctx: BriefContext, level: str, code: str, lang: str = "sv", made: date | None = None) -> Brief:
    """All content of the brief for one kommun or län (the map image is added by :mod:`geo_app.report`)."""
    lang = normalise_language(lang)
    bundle = ctx.bundle
    code = check_unit(bundle, level, code)
    sel = cv.Selection(level, (code,), ctx.year)
    name = unit_name(bundle, level, code)
    title = t(f"brief.title.{level}", lang, name=name)
    kommuner = kommuner_of(bundle, level, code)
    figures, _ = key_figures(bundle, sel, lang)
    key_sources = list(dict.fromkeys(f.source for f in figures))
    for f in figures:
        f.source_ref = key_sources.index(f.source) + 1
    types = type_table(bundle, sel, lang)
    changes_heading, changes_summary, changes = change_table(bundle, sel, lang)
    counts, office_list, none = office_tables(ctx, name, kommuner, lang)
    gap_kom, gap_areas, _ = gap_tables(ctx, name, kommuner, lang)
    rule, _ = rule_text(ctx, lang)
    peers_heading, peers = peer_table(ctx, level, code, lang)
    omr, geo = bundle.catalogue.get("regso_2025"), bundle.catalogue.get("kommun_lan_granser")
    pres = bundle.catalogue.get("presence")
    office_note = gap_view.office_note(ctx.offices, lang)
    sources = list(
        dict.fromkeys(
            [
                *(f.source for f in figures),
                types.source,
                changes.source,
                *peer_sources(ctx, lang),
                *([gap_kom.source] if gap_kom.source else []),
                t(
                    "brief.sources.offices",
                    lang,
                    source=pres.source if pres else "",
                    years=pres.year if pres else "",
                    date=ctx.as_of.isoformat(),
                    note=office_note.replace("\n\n", " "),
                ),
                *(
                    t("brief.sources.boundaries", lang, source=d.source, year=d.year)
                    for d in (omr, geo)
                    if d is not None
                ),
                t("brief.sources.method", lang),
            ]
        )
    )
    n_offices = int(_offices_in(ctx, kommuner)["status"].isin(gaps.COUNTING_STATUSES).sum())
    n_areas = int(compare.areas_of(bundle.regso, level, [code]).shape[0])
    map_source = "; ".join(
        [
            *(t("brief.sources.boundaries", lang, source=d.source, year=d.year) for d in (omr,) if d is not None),
            source_line(bundle, bundle.layers["omradestyp"], ctx.year, lang),
            t("brief.map.offices_note", lang, date=ctx.as_of.isoformat()),
        ]
    )
    return Brief(
        level=level,
        code=code,
        name=name,
        title=title,
        lang=lang,
        made=made or date.today(),
        as_of=ctx.as_of,
        year=ctx.year,
        key_figures=figures,
        key_note=t("compare.typeref_note", lang),
        key_sources=key_sources,
        types=types,
        changes_heading=changes_heading,
        changes_summary=changes_summary,
        changes=changes,
        office_counts=counts,
        offices=office_list,
        office_note=office_note,
        presence_none=none,
        collaboration=collaboration_line(ctx, kommuner, lang),
        gap_rule=rule,
        gap_estimate=ctx.rule.indicator_kind == "estimate",
        gap_kommuner=gap_kom,
        gap_areas=gap_areas,
        unknown_areas=unknown_area_table(ctx, name, kommuner, lang),
        unknowns=unknown_lines(ctx, kommuner, lang),
        peers_heading=peers_heading,
        peers=peers,
        sources=sources,
        map_alt=t("brief.map.alt", lang, name=name, n=n_areas, year=ctx.year, offices=n_offices),
        map_caption=t("brief.map.heading", lang, year=ctx.year),
        map_source=map_source,
    )
