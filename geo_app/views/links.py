"""Links from data: only ``http(s)://`` URLs become clickable; anything else is shown as text."""

from __future__ import annotations

import re


def http_link(value: object) -> str | None:
    """``value`` if it is an ``http(s)://`` URL (safe to make clickable), else None (``javascript:``, ``data:`` …)."""
    text = str(value or "").strip()
    return text if re.fullmatch(r"https?://[^\s<>\"']+", text, flags=re.IGNORECASE) else None
