"""Why presence is unknown: the agency and kommun each "presence unknown" area rests on (hand-built geometry)."""

from datetime import date

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo_app.analysis import gaps, register, unknowns


def _world():
    """Four 1 km areas in a row on the x axis (0, 10, 30, 100 km), one per kommun, all in the rule."""
    xs = [0, 10_000, 30_000, 100_000]
    areas = gpd.GeoDataFrame(
        {
            "kommunkod": ["0001", "0002", "0003", "0004"],
            "kommunnamn": ["Ett", "Två", "Tre", "Fyra"],
            "regsonamn": ["a", "b", "c", "d"],
            "lanskod": ["01"] * 4,
            "omradestyp_2023": [1] * 4,
            "folkmangd_2023": [100] * 4,
        },
        geometry=[box(x, 0, x + 1000, 1000) for x in xs],
        index=pd.Index(["A", "B", "C", "D"], name="regsokod"),
        crs="EPSG:3006",
    )
    offices = gpd.GeoDataFrame(
        {"name": ["AF Fyra"], "agency": ["af"], "status": ["open"], "kommunkod": ["0004"]},
        geometry=gpd.points_from_xy([100_500], [500]),
        crs="EPSG:3006",
    )
    return areas, offices


def test_each_unknown_area_names_the_agency_and_kommun_it_rests_on():
    areas, offices = _world()
    facts = pd.DataFrame(
        {
            "kommunkod": ["0001", "0003"],
            "attribute": ["no_af_office", "no_af_office"],
            "event_date": ["2020", "2020"],
            "source_date": ["2020-06-01", "2020-06-01"],
            "source_url": ["https://example.org/none1", "https://example.org/none3"],
        }
    )
    kommuner = pd.Index(areas["kommunkod"])
    states = register.kommun_states(offices, facts, kommuner, date(2024, 1, 1))
    assert states["af"].tolist() == ["none", "unknown", "none", "known"]
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=15.0)
    points = gaps.area_points(areas)
    result = gaps.analyse(areas, offices, rule, points, states=states)
    # A (0 km) and B (10 km) lie within 15 km of kommun 0002, whose AF presence is unknown; C (30 km) is 20 km
    # from it: a known gap. D has its office.
    assert result.unknown[result.unknown].index.tolist() == ["A", "B"] and result.gap["C"]
    causes = unknowns.unknown_causes(areas, points, result.unknown, states, rule)
    assert causes.values.tolist() == [["A", "af", "0002"], ["B", "af", "0002"]]
    evidence = register.kommun_evidence(offices, facts, kommuner, date(2024, 1, 1)).assign(
        kommunnamn=lambda e: e["kommunkod"].map(dict(zip(areas["kommunkod"], areas["kommunnamn"], strict=True)))
    )
    table = unknowns.cause_table(causes, evidence)
    assert table[["agency", "kommunkod", "kommunnamn", "areas", "area_codes", "reason"]].values.tolist() == [
        ["af", "0002", "Två", 2, "A, B", "no_facts"]
    ]
    assert unknowns.area_causes(causes).to_dict() == {"A": "af 0002", "B": "af 0002"}
    # a fact for 0002 turns both into known gaps, and nothing is left to explain
    facts2 = pd.concat([facts, facts.iloc[:1].assign(kommunkod="0002")], ignore_index=True)
    states2 = register.kommun_states(offices, facts2, kommuner, date(2024, 1, 1))
    result2 = gaps.analyse(areas, offices, rule, points, states=states2)
    assert not result2.unknown.any() and result2.gap[["A", "B", "C"]].all()
    assert unknowns.unknown_causes(areas, points, result2.unknown, states2, rule).empty
