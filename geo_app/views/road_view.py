"""An area's road facts for the map's side panel: nearest office by car, minutes, road and straight km, detour."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo_app.analysis.gaps import COUNTING_STATUSES, DEFAULT_AGENCIES
from geo_app.analysis.roads import RoadNetwork
from geo_app.analysis.routing import nearest_by_road, xy_of
from geo_app.i18n import fmt_number, t


def road_facts(network: RoadNetwork | None, point: np.ndarray, offices: gpd.GeoDataFrame, lang: str) -> dict[str, str]:
    """Label → text for one area's point (EPSG:3006) and the offices that count by default (AF, SSC open).

    The straight line is always given; the car figures only where the point is on the network and
    an office can be reached by car — the measure line says which (never a silent mix).
    """
    usable = offices[offices["status"].isin(COUNTING_STATUSES) & offices["agency"].isin(DEFAULT_AGENCIES)]
    if len(usable) == 0:
        return {}
    office_xy = xy_of(usable.geometry)
    straight = float(np.hypot(*(office_xy - point).T).min()) / 1000.0
    facts = {t("roads.fact.straight_km", lang): fmt_number(straight, 1)}
    if network is None:
        return facts
    found = nearest_by_road(network, np.asarray(point, dtype=float).reshape(1, 2), office_xy).iloc[0]
    if not found["on_network"]:
        snap = found["snap_m"]
        far = fmt_number(snap, 0) if np.isfinite(snap) else "–"
        return facts | {t("roads.fact.measure", lang): t("roads.fact.off", lang, m=far)}
    if not np.isfinite(found["road_min"]):
        return facts | {t("roads.fact.measure", lang): t("roads.fact.none", lang)}
    road_km = float(found["road_km"])
    out = {
        t("roads.fact.nearest", lang): str(usable["name"].iloc[int(found["office"])]),
        t("roads.fact.minutes", lang): fmt_number(float(found["road_min"]), 0),
        t("roads.fact.road_km", lang): fmt_number(road_km, 1),
        **facts,
    }
    if straight >= 1.0:
        out[t("roads.fact.detour", lang)] = fmt_number(road_km / straight, 2)
    out[t("roads.fact.measure", lang)] = t("roads.fact.on", lang, network=network.name)
    return out
