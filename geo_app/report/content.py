"""What a brief says: every figure for one kommun or län, from the app's own functions (no Streamlit).

The numbers come from the same view functions the Jämför and Närvaroluckor pages use
(:mod:`geo_app.views.compare_view`, :mod:`geo_app.views.gap_view`, and through them
:mod:`geo_app.analysis.compare` and :mod:`geo_app.analysis.gaps`), formatted the same way,
so a brief and the app always agree. :class:`BriefContext` holds what is shared between
briefs (bundle, offices as of a date, the gap analysis under the default rule), so a batch
of 49 briefs loads and analyses once.

The parts live beside it: :mod:`~geo_app.report.context` (the shared context, the brief's
dataclasses, unit checks), :mod:`~geo_app.report.figures` (key figures, types, changes, peers),
:mod:`~geo_app.report.presence_text` (offices, the gap rule, gaps, unknowns).
"""

from __future__ import annotations

from datetime import date

from geo_app.analysis import compare, gaps
from geo_app.i18n import normalise_language, t
from geo_app.report.context import Brief, BriefContext, check_unit, kommuner_of, unit_name
from geo_app.report.figures import change_table, key_figures, peer_sources, peer_table, type_table
from geo_app.report.presence_text import (
    collaboration_line,
    gap_tables,
    office_tables,
    offices_in,
    offices_source,
    rule_text,
    unknown_area_table,
    unknown_lines,
)
from geo_app.views import compare_view as cv
from geo_app.views import office_view
from geo_app.views.map_view import source_line


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
    rule, _ = rule_text(ctx, lang, kommuner)
    peers_heading, peers = peer_table(ctx, level, code, lang)
    office_note = office_view.office_note(ctx.offices, lang)
    sources = _sources(
        ctx, lang, [*(f.source for f in figures), types.source, changes.source], (gap_kom.source, office_note)
    )
    n_offices = int(offices_in(ctx, kommuner)["status"].isin(gaps.COUNTING_STATUSES).sum())
    n_areas = int(compare.areas_of(bundle.regso, level, [code]).shape[0])
    map_source = _map_source(ctx, lang)
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


def _sources(ctx: BriefContext, lang: str, figures: list[str], gaps_and_note: tuple[str, str]) -> list[str]:
    """The brief's source list, each once: the figures', the peers', the gaps', the offices', boundaries, method."""
    gap_source, office_note = gaps_and_note
    catalogue = ctx.bundle.catalogue
    omr, geo = (catalogue.get(k) for k in ("regso_2025", "kommun_lan_granser"))
    offices = offices_source(ctx, lang, office_note.replace("\n\n", " "))
    boundaries = [
        t("brief.sources.boundaries", lang, source=d.source, year=d.year) for d in (omr, geo) if d is not None
    ]
    listed = [*figures, *peer_sources(ctx, lang), *([gap_source] if gap_source else []), offices, *boundaries]
    return list(dict.fromkeys([*listed, t("brief.sources.method", lang)]))


def _map_source(ctx: BriefContext, lang: str) -> str:
    """The map's source line: boundaries, områdestyp and the offices' date."""
    omr = ctx.bundle.catalogue.get("regso_2025")
    return "; ".join(
        [
            *(t("brief.sources.boundaries", lang, source=d.source, year=d.year) for d in (omr,) if d is not None),
            source_line(ctx.bundle, ctx.bundle.layers["omradestyp"], ctx.year, lang),
            t("brief.map.offices_note", lang, date=ctx.as_of.isoformat()),
        ]
    )
