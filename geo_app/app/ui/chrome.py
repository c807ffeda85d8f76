"""Page chrome: ``<html lang>``, readable caption contrast, a visible focus ring on the map, tooltips kept inside it."""

from __future__ import annotations

import html

import streamlit as st

from geo_app.i18n import t
from geo_app.views.mapspec import MAP_BACKGROUND

# Captions carry sources and methods: #4b4f5c on white is 8.0:1 (Streamlit draws them at 60 % opacity,
# ≈ 3.9:1), so both colour and opacity are set.
CAPTION_COLOUR = "#4b4f5c"
FOCUS_COLOUR = "#0b5394"
_PAGE_CSS = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: {CAPTION_COLOUR} !important; opacity: 1 !important;
}}
[data-testid="stWidgetLabel"] [data-testid="stTooltipHoverTarget"] svg {{ color: {CAPTION_COLOUR}; }}
[data-testid="stDeckGlJsonChart"] {{ background: {MAP_BACKGROUND}; }}
[data-testid="stDeckGlJsonChart"]:focus, [data-testid="stDeckGlJsonChart"]:focus-within {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
</style>"""
# Streamlit writes <html lang="en">; screen readers then read Swedish with English rules. Set the page
# language on every run, and make the map reachable by keyboard (tabindex) with a name, so its focus ring shows.
_PAGE_JS = """<script>
(function () {{
  const doc = document;
  doc.documentElement.lang = "{lang}";
  const label = "{label}";
  const mark = () => doc.querySelectorAll('[data-testid="stDeckGlJsonChart"]').forEach((el) => {{
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", label);
  }});
  // deck.gl puts a tooltip's left edge at the pointer; near the map's right or bottom edge the box
  // would be cut off by the chart frame, so shift it back inside the map (it keeps its size).
  const keepTooltipsInside = () => doc.querySelectorAll(".deck-tooltip").forEach((tip) => {{
    const chart = tip.closest('[data-testid="stDeckGlJsonChart"]');
    if (!chart || tip.style.display === "none") return;
    const frame = chart.getBoundingClientRect();
    const box = tip.getBoundingClientRect();
    const oldX = parseFloat(tip.style.marginLeft) || 0;
    const oldY = parseFloat(tip.style.marginTop) || 0;
    const dx = Math.min(0, frame.right - 6 - (box.right - oldX));
    const dy = Math.min(0, frame.bottom - 6 - (box.bottom - oldY));
    const newX = box.width + 24 > frame.width ? 0 : Math.max(dx, -(box.width + 24));
    const newY = Math.max(dy, -(box.height + 24));
    if (Math.abs(newX - oldX) > 0.5) tip.style.marginLeft = newX + "px";
    if (Math.abs(newY - oldY) > 0.5) tip.style.marginTop = newY + "px";
  }});
  mark();
  if (!window.__narvaroTooltips) {{
    window.__narvaroTooltips = new MutationObserver(keepTooltipsInside);
    window.__narvaroTooltips.observe(doc.body, {{ subtree: true, attributes: true, attributeFilter: ["style"] }});
  }}
  if (!window.__narvaroObserver) {{
    window.__narvaroObserver = new MutationObserver(mark);
    window.__narvaroObserver.observe(doc.body, {{ childList: true, subtree: true }});
  }}
}})();
</script>"""


def page_chrome(lang: str) -> None:
    """Page language on ``<html lang>``, readable caption contrast and a visible focus ring on the map."""
    st.html(_PAGE_CSS)
    st.html(
        _PAGE_JS.format(lang=html.escape(lang), label=html.escape(t("a11y.map_label", lang))),
        unsafe_allow_javascript=True,
        width="content",
    )
