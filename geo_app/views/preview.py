"""Import previews in the UI language (the import modules' own summaries are English, for the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_app.analysis.presence import AGENCIES
from geo_app.i18n import t
from geo_app.views.presence_view import agency_name

if TYPE_CHECKING:  # types only: the import modules load with the Data page's import form
    from geo_app.imports.indicators import IndicatorImport
    from geo_app.imports.offices.prepare import OfficeImport


def indicator_summary(preview: IndicatorImport, lang: str) -> list[str]:
    """Plain-text lines about an indicator import preview, in ``lang``."""
    years = ", ".join(map(str, preview.years)) or "–"
    lines = [
        f"{t('preview.file', lang)}: {preview.file}",
        f"{t('preview.name', lang)}: {preview.id}",
        t(
            "preview.key",
            lang,
            level=t(f"compare.level.{preview.level}", lang),
            keytype=preview.key_type,
            column=preview.key_column,
        ),
        t("preview.rows", lang, rows=preview.rows, matched=len(preview.table), unmatched=len(preview.unmatched)),
        f"{t('preview.years', lang)}: {years}",
        f"{t('preview.columns', lang)}: "
        + "; ".join(
            f"{c['header']} ({t('preview.role.' + c['role'], lang)}{', %' if c['percent'] else ''})"
            for c in preview.columns
        ),
    ]
    if preview.ignored:
        lines.append(f"{t('preview.ignored', lang)}: " + ", ".join(preview.ignored))
    for row, key in preview.unmatched[:10]:
        lines.append(t("preview.unmatched", lang, row=row, value=repr(key)))
    return lines


def office_summary(preview: OfficeImport, lang: str) -> list[str]:
    """Plain-text lines about an office import preview, in ``lang``."""
    mode = t("preview.replaces" if preview.replace else "preview.adds", lang)
    agency = agency_name(preview.agency, lang) if preview.agency in AGENCIES else t("officeimport.agency.other", lang)
    lines = [
        f"{t('preview.file', lang)}: {preview.file}",
        f"{t('preview.name', lang)}: {preview.id}",
        f"{t('offices.col.agency', lang)}: {agency}; {mode}",
        t("preview.offices", lang, rows=preview.rows, offices=len(preview.table), crs=preview.crs),
        f"{t('offices.col.precision', lang)}: "
        + ", ".join(f"{t(f'precision.{k}', lang)} {v}" for k, v in preview.precision_counts().items()),
        f"{t('offices.col.status', lang)}: "
        + ", ".join(
            f"{t(f'status.{k}', lang)} {v}" for k, v in preview.table["status"].value_counts().sort_index().items()
        ),
    ]
    if preview.ignored:
        lines.append(f"{t('preview.ignored', lang)}: " + ", ".join(preview.ignored))
    return lines
