"""``geo-app export``: a styled GeoPackage (EPSG:3006) for QGIS/ArcGIS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo_app.cli._common import EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps
    from geo_app.data import loaders
    from geo_app.export import gpkg as export
    from geo_app.layers.bundle import load_bundle

    layers = tuple(x.strip() for x in args.layers.split(",") if x.strip())
    choice = export.ExportChoice(tuple(args.kommun), tuple(args.lan), tuple(args.area), layers)
    bundle = load_bundle()
    export.check_choice(bundle, choice)
    offices = loaders.load_presence(args.as_of)
    states = loaders.load_presence_states(args.as_of)
    gap = gaps.analyse(bundle.regso, offices, bundle.gap_rule(), states=states) if "luckor" in layers else None
    out = Path(args.out) if args.out else Path(export.file_name(choice))
    if out.is_dir():
        out = out / export.file_name(choice)
    export.export_gpkg(bundle, offices, choice, out, gap=gap)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``export``."""
    p = sub.add_parser("export", help="write a styled GeoPackage (EPSG:3006) for QGIS/ArcGIS")
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
    p.add_argument("--as-of", default=None, help="offices and gaps on this date, YYYY-MM-DD (default today)")
    p.set_defaults(func=_cmd_export)
