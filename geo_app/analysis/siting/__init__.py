"""Decide where to be: what-if scenarios and suggested sites for presence (pure, no Streamlit).

Two questions, both on the gap rule of :mod:`geo_app.analysis.gaps` (straight-line distance in
EPSG:3006 from each area's inside point to the nearest *counting* office):

*What if* we open an office here, or close that one?
    :func:`scenario` recomputes every area's distance and gap status after adding points and
    removing offices, with before/after summaries per kommun and for Sweden (≈ 20–40 ms).
*Where* should N new offices go?
    :func:`suggest_sites` solves a facility-location model with PySAL ``spopt``
    (MCLP: cover most demand with N sites; LSCP: fewest sites covering all demand;
    p-median: least weighted distance with N sites) on HiGHS through PuLP, with the existing
    presence locked in, and returns a greedy baseline beside the optimum.

What a page should call (everything frames in, frames out; cache the first three per data version):

1. ``points = geo_app.analysis.gaps.area_points(bundle.regso)`` — measuring points, shared with the gap page;
2. ``unemployed, kind = unemployed_for(bundle.regso, bundle.layers, rule.year)``;
3. ``cands = candidate_sites(bundle.regso, geo_app.data.loaders.load_towns(), offices, kinds, points=points)``;
4. what-if: ``added = new_offices(df_with_lon_lat_agency, bundle.regso)`` (raises
   :class:`SitingError` for points abroad / in the sea), then
   ``res = scenario(bundle.regso, offices, rule, add=added, remove=ids, points=points,
   unemployed=unemployed)`` → ``res.national`` (metric cards), ``res.kommuner``,
   ``res.areas`` (``change`` = "closed"/"opened" for the map);
5. suggestions: ``demand = demand_areas(bundle.regso, rule, points, unemployed, kind)``;
   ``s = suggest_sites(demand, cands, counting_offices(offices, rule), rule.max_km, n=3,
   objective="mclp", weight="population")`` → ``s.sites`` (points to draw, with lon/lat),
   ``s.totals`` (before/after, optimal yes/no, seconds, weight kind), ``s.greedy`` and
   ``s.greedy_totals`` (baseline). A chosen site can be fed back into :func:`scenario` as ``add``.

``rule`` is :meth:`geo_app.layers.bundle.Bundle.gap_rule` as on the gap page. The first
:func:`suggest_sites` call imports spopt (≈ 4 s: libpysal, scikit-learn); a page should cache the
suggestion on its inputs and show a spinner. :class:`SitingError` messages are meant for the user.
"""

from geo_app.analysis.gap_rule import UNEMPLOYMENT_WORDS
from geo_app.analysis.gaps import COUNTING_STATUSES, GapRule
from geo_app.analysis.siting import solver
from geo_app.analysis.siting.base import (
    CANDIDATE_KINDS,
    DEFAULT_TIME_LIMIT_S,
    OBJECTIVES,
    WEIGHTS,
    SitingError,
    counting_offices,
    lonlat_to_metric,
)
from geo_app.analysis.siting.candidates import candidate_sites
from geo_app.analysis.siting.demand import demand_areas, estimated_unemployed, unemployed_for, weights_for
from geo_app.analysis.siting.pmedian import PMEDIAN_POOL
from geo_app.analysis.siting.roadcost import on_road_network, road_costs, road_demand
from geo_app.analysis.siting.suggest import CostMatrices, SiteSuggestion, suggest_sites
from geo_app.analysis.siting.whatif import (
    ScenarioResult,
    new_offices,
    presence_unknown_in,
    resolve_office_ids,
    scenario,
    split_unknown,
)

__all__ = [
    "CostMatrices",
    "on_road_network",
    "road_costs",
    "road_demand",
    "CANDIDATE_KINDS",
    "COUNTING_STATUSES",
    "DEFAULT_TIME_LIMIT_S",
    "OBJECTIVES",
    "PMEDIAN_POOL",
    "UNEMPLOYMENT_WORDS",
    "WEIGHTS",
    "GapRule",
    "ScenarioResult",
    "SiteSuggestion",
    "SitingError",
    "candidate_sites",
    "counting_offices",
    "demand_areas",
    "estimated_unemployed",
    "lonlat_to_metric",
    "new_offices",
    "resolve_office_ids",
    "presence_unknown_in",
    "scenario",
    "solver",
    "split_unknown",
    "suggest_sites",
    "unemployed_for",
    "weights_for",
]
