"""The ``luckor`` layer's road fields (issue 24): Swedish field names and titles, and the rule's road words.

Each title names the ``geo-app gaps`` CSV column the field holds (``bil_min_af`` = ``road_min_af``).
"""

from __future__ import annotations

from geo_app.analysis.gaps import GapRule
from geo_app.analysis.presence import AGENCIES
from geo_app.analysis.roads import SNAP_MAX_M

# gap-table column → field name; field name → title (the om_data description and QGIS alias)
FIELDS: dict[str, str] = {"detour_any": "omvagsfaktor", "snap_m": "avstand_till_vag_m", "measure": "matt"}
TITLES: dict[str, str] = {
    "omvagsfaktor": "Omvägsfaktor: väg-km ÷ km fågelvägen (närmaste kontor; tomt under 1 km)",
    "avstand_till_vag_m": f"Avstånd från områdets punkt till närmaste väg, m (över {SNAP_MAX_M:.0f} m: fågelvägen)",
    "matt": "Mått för området: road = bil på vägnätet, straight = fågelvägen (inget vägnät / utanför det) "
    "[CSV measure]",
}
for _agency, _suffix in (("af", "_af"), ("ssc", "_ssc"), ("any", "")):
    who = f" ({AGENCIES[_agency]})" if _suffix else ""
    FIELDS[f"road_km_{_agency}"] = f"vag_km{_suffix}"
    FIELDS[f"road_min_{_agency}"] = f"bil_min{_suffix}"
    FIELDS[f"road_nearest_{_agency}"] = f"narmaste_kontor_bil{_suffix}"
    TITLES[f"vag_km{_suffix}"] = (
        f"Vägavstånd till närmaste kontor{who} med bil, km (snabbaste vägen) [CSV road_km_{_agency}]"
    )
    TITLES[f"bil_min{_suffix}"] = f"Restid med bil till närmaste kontor{who}, minuter [CSV road_min_{_agency}]"
    TITLES[f"narmaste_kontor_bil{_suffix}"] = f"Närmaste kontor med bil{who}"


def rule_words(rule: GapRule) -> str:
    """The rule's road part in Swedish ("" for the straight line)."""
    if rule.measure != "road":
        return ""
    limit = f"mer än {rule.max_min:g} minuter med bil" if rule.max_min is not None else f"mer än {rule.max_km:g} km väg"
    return f"; där vägnätet täcker området i stället {limit} längs vägnätet (fältet matt säger vilket mått)"
