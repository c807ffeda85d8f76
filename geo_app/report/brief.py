"""One brief, from content to HTML or PDF bytes; file names; atomic writes."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from geo_app.errors import InputError
from geo_app.i18n import t
from geo_app.layers.bundle import Bundle
from geo_app.report import content, context, mapimage
from geo_app.report.context import Brief, BriefContext
from geo_app.report.html import render_html
from geo_app.report.pdf import html_to_pdf

FORMATS = ("pdf", "html")


def make_brief(ctx: BriefContext, level: str, code: str, lang: str = "sv", made: date | None = None) -> Brief:
    """The brief's content with its map drawn."""
    brief = content.build_brief(ctx, level, code, lang, made)
    png, n_areas, n_offices = mapimage.render_map(
        ctx.bundle, level, brief.code, ctx.year, ctx.offices, brief.lang, ctx.geometry
    )

    alt = t("brief.map.alt", brief.lang, name=brief.name, n=n_areas, year=ctx.year, offices=n_offices)
    return replace(brief, map_png=png, map_alt=alt)


def render(brief: Brief, fmt: str) -> bytes:
    """The brief as ``pdf`` or ``html`` (UTF-8) bytes."""
    html = render_html(brief)
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        return html_to_pdf(html)
    raise InputError(f"format must be one of {FORMATS}, got {fmt!r}")


def file_name(brief: Brief, fmt: str) -> str:
    """``lagesbild_kommun_1282_2026-11-30.pdf`` (level, unit code and presence date; ASCII only)."""
    return file_name_for(brief.level, brief.code, brief.as_of, fmt)


def file_name_for(level: str, code: str, as_of: date, fmt: str) -> str:
    """The file name of a brief before it is made (see :func:`file_name`)."""
    return f"lagesbild_{level}_{code}_{as_of.isoformat()}.{fmt}"


def brief_bytes(
    bundle: Bundle, inputs: context.BriefInputs, unit: tuple[str, str], fmt: str, lang: str = "sv"
) -> bytes:
    """One brief of ``unit`` (level, code) from the app's shared objects (the Jämför page's download buttons)."""
    level, code = unit
    ctx = context.make_context(bundle, inputs)
    return render(make_brief(ctx, level, code, lang), fmt)


def format_of(path: Path) -> str:
    """``pdf`` or ``html`` from a file name; :class:`InputError` for anything else."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in FORMATS:
        raise InputError(f"{path}: the brief is written as .pdf or .html")
    return suffix


def check_writable_dir(folder: Path) -> None:
    """Raise :class:`InputError` unless ``folder`` exists and can be written to."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: folder is not writable")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place (no partial file)."""
    check_writable_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a brief is an ordinary document
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
