"""Pure analysis: frames in, frames out, indexed by area code (no Streamlit, no files, no text tables).

``area_keys`` (RegSO 2020 → 2025 name keys), ``geometry`` (CRS, simplification, points),
``indicators`` (weighted means, population years), ``estimate`` (the unemployment model
estimate), ``names`` (folded place names), ``presence`` (office status and geocoding), ``gaps``
(distances and presence gaps), ``gap_rule`` (the rule from user choices),
``compare`` (units vs national and type-mix references), ``siting`` (what-if scenarios, suggested sites).
"""

from geo_app.analysis import (
    area_keys,
    compare,
    estimate,
    gap_rule,
    gaps,
    geometry,
    indicators,
    names,
    presence,
    siting,
)

__all__ = [
    "area_keys",
    "compare",
    "estimate",
    "gap_rule",
    "gaps",
    "geometry",
    "indicators",
    "names",
    "presence",
    "siting",
]
