"""``geo-app export``: a styled GeoPackage (EPSG:3006) for QGIS/ArcGIS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo_app.analysis.routing import ROAD
from geo_app.cli._common import EXIT_OK, add_rule_options, parse_agencies, rule_from_args
from geo_app.data.roads import load_roads


def _cmd_export(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps
    from geo_app.data import loaders
    from geo_app.export import gpkg as export
    from geo_app.layers.bundle import load_bundle

    layers = tuple(x.strip() for x in args.layers.split(",") if x.strip())
    choice = export.ExportChoice(tuple(args.kommun), tuple(args.lan), tuple(args.area), layers)
    parse_agencies(args.agencies)  # before loading anything
    bundle = load_bundle()
    export.check_choice(bundle, choice)
    rule = rule_from_args(bundle, args)
    offices = loaders.load_presence(args.as_of)
    gap = None
    if "luckor" in layers:  # the gap rule as `geo-app gaps` runs it: by road with --measure road
        network = load_roads() if rule.measure == ROAD else None
        states = loaders.load_presence_states(args.as_of)
        gap = gaps.analyse(bundle.regso, offices, rule, states=states, roads=network)
        print(f"luckor: {rule.limit_text()}; {gaps.measure_text(gap, network)}", file=sys.stderr)
    out = Path(args.out) if args.out else Path(export.file_name(choice))
    if out.is_dir():
        out = out / export.file_name(choice)
    export.export_gpkg(bundle, offices, choice, out, gap=gap)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``export``."""
    p = sub.add_parser(
        "export",
        help="write a styled GeoPackage (EPSG:3006) for QGIS/ArcGIS",
        description="The luckor layer holds the areas of the gap rule (the same options as geo-app gaps). With "
        "--measure road it carries car minutes and road km per agency (bil_min_<agency>, vag_km_<agency>; "
        "CSV road_min_<agency>, road_km_<agency>) and per area the measure used (matt: road/straight).",
    )
    p.add_argument(
        "out", nargs="?", default=None, help="file or folder (default: narvarokartan_<what>_<date>.gpkg here)"
    )
    p.add_argument("--kommun", nargs="*", default=[], help="kommun codes (default: all of Sweden)")
    p.add_argument("--lan", nargs="*", default=[], help="län codes")
    p.add_argument("--area", nargs="*", default=[], help="RegSO area codes")
    p.add_argument(
        "--layers",
        default=",".join(("omraden", "kommuner", "lan", "kontor", "luckor")),
        help="comma-separated: omraden, kommuner, lan, kontor, luckor (default all; om_data always)",
    )
    add_rule_options(p)  # the gap rule of the luckor layer, and --as-of (offices and gaps on that date)
    p.set_defaults(func=_cmd_export)
