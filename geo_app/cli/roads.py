"""``geo-app route`` and ``geo-app import roads``: car travel on the road network (issue 24)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from geo_app.analysis import routing
from geo_app.analysis.siting.base import lonlat_to_metric
from geo_app.cli._common import EXIT_OK, existing_file
from geo_app.data import roads as road_files
from geo_app.errors import InputError
from geo_app.imports import roads as road_import


def parse_lonlat(text: str, option: str) -> tuple[float, float]:
    """``"18.29,57.63"`` → ``(18.29, 57.63)``, inside Sweden's box, or an error naming ``option``."""
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"{option}: expected LON,LAT in degrees (WGS84), e.g. 18.29,57.63; got {text!r}") from None
    if not (10.0 <= lon <= 25.0 and 55.0 <= lat <= 69.5):
        raise InputError(f"{option}: {lon:g},{lat:g} is not in Sweden (LON 10–25, LAT 55–69.5)")
    return lon, lat


def _cmd_route(args: argparse.Namespace) -> int:
    start, end = parse_lonlat(args.start, "--from"), parse_lonlat(args.end, "--to")
    network = road_files.load_roads()
    xy = routing.xy_of(lonlat_to_metric([start[0], end[0]], [start[1], end[1]]))
    if network is None:
        straight = float(((xy[1] - xy[0]) ** 2).sum() ** 0.5) / 1000.0
        out: dict[str, Any] = {"km": round(straight, 3), "minutes": None, "straight_km": round(straight, 3)}
        out.update(measure=routing.STRAIGHT, network=None)
    else:
        out = {**routing.route(network, xy[0], xy[1]), "network": network.name}
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False))
    else:
        minutes = "–" if out["minutes"] is None else f"{out['minutes']:.1f} min"
        print(f"{out['km']:.1f} km, {minutes} ({out['measure']}); straight line {out['straight_km']:.1f} km")
    if out["measure"] == routing.STRAIGHT:
        print("no car route on the road network: the straight line is given", file=sys.stderr)
    return EXIT_OK


def _cmd_import_roads(args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    network = road_import.prepare_roads(path)
    summary = network.summary()
    print(
        f"{path.name}: {summary['edges']:,} edges, {summary['nodes']:,} nodes, {summary['km']:,} km of road, "
        f"{summary['drivable_edges']:,} drivable by car, {summary['ferry_edges']:,} ferry edges (excluded)",
        file=sys.stderr,
    )
    if args.dry_run:
        print("dry run: nothing saved", file=sys.stderr)
        return EXIT_OK
    target = road_import.save_roads(network, args.name or road_import.default_name(path))
    print(f"saved road network → {target} (in use from now on: the newest imported network)", file=sys.stderr)
    return EXIT_OK


def register_import(isub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``import roads`` under ``geo-app import``."""
    q = isub.add_parser(
        "roads", help="a road network with speeds: Pipos' .bin/.zip (pipos.se) or a .gpkg/.geojson of lines"
    )
    q.add_argument("file")
    q.add_argument("--name", default=None, help="name of the kept network (default: from the file name)")
    q.add_argument("--dry-run", action="store_true", help="read and check only")
    q.set_defaults(func=_cmd_import_roads)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``route``."""
    p = sub.add_parser("route", help="car time and road km between two points on the road network")
    p.add_argument("--from", dest="start", required=True, metavar="LON,LAT")
    p.add_argument("--to", dest="end", required=True, metavar="LON,LAT")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.set_defaults(func=_cmd_route)
