"""The brief as an HTML document with print CSS (A4, header and page numbers on every page).

Jinja2 with autoescaping: names and source texts that come from files (office names,
imported sources) are text, never markup. The CSS uses paged media (``@page`` margin
boxes) for the running header "made on … · presence as of …" and "page N of M";
WeasyPrint (:mod:`geo_app.report.pdf`) and Chromium's print both honour it.
"""

from __future__ import annotations

import base64
from functools import cache

import jinja2

from geo_app.data.paths import PACKAGE_DIR
from geo_app.i18n import t
from geo_app.report.context import Brief

TEMPLATES = PACKAGE_DIR / "report" / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def css_string(text: str) -> str:
    """Text safe inside a CSS double-quoted string in a ``<style>`` element."""
    out = []
    for ch in str(text):
        if ch in '"\\<>' or ord(ch) < 32:
            out.append(f"\\{ord(ch):06x}")
        else:
            out.append(ch)
    return "".join(out)


def render_html(brief: Brief) -> str:
    """The whole document (``<html lang=…>``, map embedded as a data URL)."""
    lang = brief.lang

    def tr(key: str, **kwargs: object) -> str:
        return t(key, lang, **kwargs)

    template = _environment().get_template("brief.html.j2")
    return template.render(
        b=brief,
        t=tr,
        css=css_string,
        na=t("na", lang),
        made_line=t("brief.made", lang, date=brief.made.isoformat()),
        as_of_line=t("brief.as_of", lang, date=brief.as_of.isoformat()),
        map_b64=base64.b64encode(brief.map_png).decode("ascii"),
    )
