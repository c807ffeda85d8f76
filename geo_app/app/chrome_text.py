"""Streamlit's own interface texts in the page language (UI only).

Streamlit writes some texts of its own in English and offers no way to set them: the skip link,
the file uploader's button and size limit, empty list results, the status widget and the table
toolbar's names (streamlit/streamlit#13500). A small script swaps them for the entries of
``geo_app/strings/chrome.toml`` — in text, ``aria-label``, ``title`` and ``placeholder`` — as
Streamlit renders them, and back again after a switch to English.
"""

from __future__ import annotations

import json

import streamlit as st

from geo_app.i18n import LANGUAGES, STRINGS

PREFIX = "chrome."

_SCRIPT = """<script>
(function () {
  const state = window.__narvaroChrome || (window.__narvaroChrome = {});
  state.pairs = %s;
  const esc = (s) => s.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&");
  const rx = (s) => new RegExp("^" + esc(s).replace(/\\\\\\{\\w+\\\\\\}/g, "(.+?)") + "$");
  const fill = (s) => { let i = 0; return s.replace(/\\{\\w+\\}/g, () => "$" + ++i); };
  state.rules = state.pairs.map(([from, to]) => [rx(from), fill(to)]);
  const swap = (text) => {
    const bare = text.trim();
    if (!bare) return null;
    for (const [re, to] of state.rules) if (re.test(bare)) return text.replace(bare, bare.replace(re, to));
    return null;
  };
  const ATTRS = ["aria-label", "title", "placeholder"];
  const fixElement = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      const w = v === null ? null : swap(v);
      if (w !== null) el.setAttribute(a, w);
    }
  };
  const fixText = (node) => { const w = swap(node.nodeValue); if (w !== null) node.nodeValue = w; };
  const walk = (root) => {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1 || root.closest("canvas")) return;
    fixElement(root);
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) (n.nodeType === 3 ? fixText : fixElement)(n);
  };
  walk(document.body);
  if (!state.observer) {
    state.observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach(walk);
        else if (r.type === "characterData") fixText(r.target);
        else fixElement(r.target);
      }
    });
    state.observer.observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
    });
  }
})();
</script>"""


def chrome_pairs(lang: str) -> list[tuple[str, str]]:
    """(shown text, text in ``lang``) for Streamlit's own texts; from every other language into ``lang``."""
    table = {k: v for k, v in STRINGS.items() if k.startswith(PREFIX)}
    return [
        (texts[other], texts[lang])
        for texts in table.values()
        for other in LANGUAGES
        if other != lang and texts[other] != texts[lang]
    ]


def translate_chrome(lang: str) -> None:
    """Put the swapping script on the page (in the sidebar: the main area's layout stays as it is)."""
    pairs = json.dumps(chrome_pairs(lang), ensure_ascii=False).replace("</", "<\\/")
    st.sidebar.html(_SCRIPT % pairs, unsafe_allow_javascript=True, width="content")
