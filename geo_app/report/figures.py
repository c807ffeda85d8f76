"""The brief's figures: key figures vs national value and type reference, types, type changes, similar kommuner."""

from __future__ import annotations

import pandas as pd

from geo_app.analysis import compare
from geo_app.analysis.indicators import population_year
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import Bundle
from geo_app.report.context import MAX_ROWS, BriefContext, KeyFigure, Table, kommuner_of
from geo_app.views import compare_view as cv
from geo_app.views.map_view import source_line


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
) -> Table:
    """A display frame → :class:`Table`; numbers in Swedish format with the given decimals (default 1/0).

    The caller sets the table's ``caption`` and ``note`` on the result.
    """
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
    return Table(headers, rows, numeric, source, row_keys=[str(k) for k in frame.index])


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
