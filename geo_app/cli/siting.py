"""``geo-app scenario`` and ``geo-app suggest``: what if, and suggested sites (spopt)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_app.analysis import siting
from geo_app.analysis.gaps import GapRule
from geo_app.analysis.routing import ROAD
from geo_app.cli._common import EXIT_OK, add_rule_options, parse_agencies, rule_from_args, write_output
from geo_app.data.roads import load_roads
from geo_app.errors import InputError
from geo_app.export.tables import plain_csv


def _parse_add(items: list[str]) -> pd.DataFrame:
    """``LON,LAT[:agency]`` → a frame with ``lon, lat, agency`` (agency None when not given)."""
    import pandas as pd

    rows: list[dict[str, object]] = []
    for item in items:
        point, _, agency = item.partition(":")
        try:
            lon, lat = (float(x) for x in point.split(","))
        except ValueError as exc:
            raise InputError(
                f"--add: expected LON,LAT[:agency] in WGS84 degrees, e.g. 18.07,59.33:ssc, got {item!r}"
            ) from exc
        rows.append({"lon": lon, "lat": lat, "agency": agency.strip() or None, "name": f"Nytt kontor {len(rows) + 1}"})
    return pd.DataFrame(rows, columns=["lon", "lat", "agency", "name"])


def _cmd_scenario(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps, siting
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle

    parse_agencies(args.agencies)
    added = _parse_add(args.add)
    bundle = load_bundle()
    rule = rule_from_args(bundle, args)
    unemployed, kind = siting.unemployed_for(bundle.regso, bundle.layers, rule.year)
    new = siting.new_offices(added, bundle.regso, default_agency=rule.agencies[0])
    result = siting.scenario(
        bundle.regso,
        loaders.load_presence(args.as_of),
        rule,
        add=new,
        remove=args.remove,
        points=gaps.area_points(bundle.regso),
        unemployed=unemployed,
        unemployed_kind=kind,
        roads=load_roads() if rule.measure == ROAD else None,
    )
    # As on the Scenario page: an area beyond the distance is a gap only where presence is known
    # (measured as the gap: by car where the rule measures by road).
    states = loaders.load_presence_states(args.as_of)
    unknown = siting.presence_unknown_in(result, bundle.regso, gaps.area_points(bundle.regso), states)
    result = siting.split_unknown(result, unknown)
    if args.by == "area":
        table = result.areas[result.areas["rule"]].drop(columns="rule")
        order = table["change"].map({"closed": 0, "opened": 1}).fillna(2)
        table = table.assign(_o=order).sort_values(["_o", "dist_km_before"], ascending=[True, False]).drop(columns="_o")
    else:
        table = result.kommuner
    nat = result.national
    summary: dict[str, Any] = {
        "rule_areas": int(nat["rule_areas"]),
        "unemployed_kind": kind,
        "added": [
            {"name": r.name, "agency": r.agency, "lon": float(lon), "lat": float(lat)}
            for r, lon, lat in zip(new.itertuples(), added["lon"], added["lat"], strict=True)
        ],
        "removed": list(result.removed),
    }
    # "gap" only where presence is known; areas beyond the distance whose presence is unknown are apart.
    labels = {
        "known_gap_areas": "known_gap_areas",
        "unknown_areas": "unknown_presence_areas",
        "gap_areas": "beyond_distance_areas",
        "gap_population": "beyond_distance_population",
        "gap_unemployed": "beyond_distance_unemployed",
    }
    for measure, label in labels.items():
        summary[label] = {
            "before": round(float(nat[f"{measure}_before"]), 1),
            "after": round(float(nat[f"{measure}_after"]), 1),
        }
    if args.format == "json":
        body = json.loads(table.to_json(orient="table", force_ascii=False))["data"]
        text = (
            json.dumps(
                {"summary": summary, "kommuner" if args.by == "kommun" else "areas": body}, ensure_ascii=False, indent=1
            )
            + "\n"
        )
    else:
        text = plain_csv(table)
        print(
            f"areas in the rule: {summary['rule_areas']}; offices added: {len(new)}; closed: "
            f"{', '.join(result.removed) or '–'}",
            file=sys.stderr,
        )
        for label in labels.values():
            print(f"{label}: {summary[label]['before']:g} → {summary[label]['after']:g}", file=sys.stderr)
        print(f"(unemployed: {kind})", file=sys.stderr)
    write_output(text, args.out, len(table))
    return EXIT_OK


def _road_demand(
    rule: GapRule,
    demand: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    existing: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
) -> tuple[Any, Any, int]:
    """By road: the demand on the network, its car-minute costs, and how many areas were left out."""
    if rule.measure != ROAD:
        return demand, None, 0
    network = load_roads()
    if network is None:
        raise InputError("--measure road: no road network in use (geo-app import roads FILE)")
    placed, left_out = siting.road_demand(network, demand, areas)
    print(
        f"by car on {network.name}: {len(placed)} demand areas on the network; {left_out} off it are "
        "left out of this run (run --measure straight for them)",
        file=sys.stderr,
    )
    return placed, siting.road_costs(network, placed, candidates, existing, rule.max_min), left_out


def _cmd_suggest(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps, siting
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle

    parse_agencies(args.agencies)
    objective = args.objective or ("lscp" if args.cover_all else "mclp")
    if args.cover_all and objective != "lscp":
        raise InputError(f"--cover-all is the lscp objective, not {objective}: drop --objective or use --n N")
    if args.n is not None and objective == "lscp":
        raise InputError("lscp finds the number of sites itself: use --cover-all instead of --n, or --objective mclp")
    kinds = tuple(k.strip() for k in args.candidates.split(",") if k.strip())
    if not kinds or not set(kinds) <= set(siting.CANDIDATE_KINDS):
        raise InputError(
            f"--candidates: expected some of {','.join(siting.CANDIDATE_KINDS)} separated by commas, "
            f"got {args.candidates!r}"
        )
    if args.n is not None and args.n <= 0:
        raise InputError(f"--n: ask for at least one new site, got {args.n}")
    bundle = load_bundle()
    rule = rule_from_args(bundle, args)
    offices = loaders.load_presence(args.as_of)
    points = gaps.area_points(bundle.regso)
    unemployed, kind = (
        siting.unemployed_for(bundle.regso, bundle.layers, rule.year) if args.weight == "unemployed" else (None, "")
    )
    demand = siting.demand_areas(bundle.regso, rule, points, unemployed, kind)
    candidates = siting.candidate_sites(bundle.regso, loaders.load_towns(), offices, kinds, points=points)
    existing = siting.counting_offices(offices, rule)
    demand, costs, left_out = _road_demand(rule, demand, candidates, existing, bundle.regso.geometry)
    result = siting.suggest_sites(
        demand,
        candidates,
        existing,
        rule.max_km,
        n=args.n,
        objective=objective,
        weight=args.weight,
        time_limit_s=args.time_limit,
        costs=costs,
    )
    t, g = result.totals, result.greedy_totals
    t = pd.concat([t, pd.Series({"measure": rule.measure, "left_out_areas": left_out})])
    if args.format == "json":

        def records(frame: pd.DataFrame) -> Any:
            return json.loads(frame.to_json(orient="table", force_ascii=False))["data"]

        text = (
            json.dumps(
                {
                    "totals": json.loads(t.to_json(force_ascii=False)),
                    "sites": records(result.sites),
                    "greedy": {"totals": json.loads(g.to_json(force_ascii=False)), "sites": records(result.greedy)},
                    "uncovered": records(result.uncovered),
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    else:
        text = plain_csv(result.sites)
        print(
            f"{t['objective']}, weight: {t['weight_kind']}, {t['max_km']:g} {t['unit']}: {t['sites']} sites; "
            f"covered before "
            f"{t['covered_before']:.0f}, after {t['covered_after']:.0f} of {t['demand_total']:.0f} "
            f"({t['areas_covered_before']} → {t['areas_covered_after']} of {t['areas_total']} areas)",
            file=sys.stderr,
        )
        print(
            f"optimal: {'yes' if t['optimal'] else 'no'} ({t['status']}); {t['solve_seconds']:.2f} s", file=sys.stderr
        )
        print(f"greedy baseline: {g['sites']} sites, covered after {g['covered_after']:.0f}", file=sys.stderr)
    write_output(text, args.out, len(result.sites))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``scenario`` and ``suggest``."""
    p = sub.add_parser("scenario", help="what if: add offices and/or close offices, gaps before and after")
    p.add_argument(
        "--add",
        action="extend",
        nargs="+",
        default=[],
        metavar="LON,LAT[:agency]",
        help="a new office in WGS84 degrees, agency af/ssc/other (default: the first of --agencies)",
    )
    p.add_argument(
        "--remove",
        action="extend",
        nargs="+",
        default=[],
        metavar="OFFICE_ID",
        help="close an office: its id (e.g. af-1280-arbetsformedlingen_malmo, see geo-app offices) or unique name",
    )
    add_rule_options(p)
    p.add_argument(
        "--by",
        choices=("area", "kommun"),
        default="area",
        help="table: the rule's areas (default) or kommuner; the national summary is on stderr (csv) "
        "or under 'summary' (json)",
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_scenario)
    p = sub.add_parser("suggest", help="suggest sites for new offices (spopt: MCLP, LSCP, p-median; HiGHS)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--n", type=int, default=None, help="number of new sites (mclp, pmedian)")
    how.add_argument("--cover-all", action="store_true", help="fewest sites covering every area of the rule (lscp)")
    p.add_argument(
        "--objective",
        choices=("mclp", "lscp", "pmedian"),
        default=None,
        help="mclp: most demand covered (default with --n); lscp: cover all; pmedian: least distance",
    )
    p.add_argument(
        "--candidates",
        default="towns,areas,ssc",
        help="candidate sites: towns (GeoNames), areas (RegSO points), ssc (co-location), comma-separated",
    )
    p.add_argument(
        "--weight",
        choices=("population", "unemployed", "equal"),
        default="population",
        help="demand weight of the rule's areas (default population)",
    )
    add_rule_options(p)
    p.add_argument("--time-limit", type=float, default=30.0, help="solver time limit in seconds (default 30)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_suggest)
