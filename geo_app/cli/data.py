"""``geo-app build-data`` and ``geo-app info``: the derived data and its catalogue."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from geo_app.cli._common import EXIT_OK
from geo_app.data import paths


def _cmd_build_data(args: argparse.Namespace) -> int:
    from geo_app.data.build import build

    out = Path(args.out)
    print(f"building {out} from {args.source} …", file=sys.stderr)
    manifest = build(Path(args.source), out)
    for name, digest in manifest.items():
        print(f"{digest[:12]}  {out / name}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from geo_app.data import loaders, user_store
    from geo_app.layers import imported as imported_layers

    datasets = loaders.load_catalogue() + [
        imported_layers.dataset_for(e) for e in user_store.list_imports() if e.get("kind") == "indicators"
    ]
    if args.json:
        print(json.dumps([asdict(d) for d in datasets], ensure_ascii=False, indent=2))
        return EXIT_OK
    for d in datasets:
        print(f"{d.id:20} {d.kind:9} {d.year:10} {d.rows:>6}  {d.name_sv}")
        print(f"{'':20} {d.source} — {d.licence}")
    from geo_app.layers.spec import load_layers
    from geo_app.views.presence_view import completeness_lines

    print("\nMap layers (id, kind, years, dataset and its source):")
    catalogue = {d.id: d for d in datasets}
    for spec in load_layers().values():
        if spec.style == "outline":
            continue
        years = "–".join(dict.fromkeys(str(y) for y in (spec.years[0], spec.years[-1]))) if spec.years else "-"
        ds = catalogue.get(spec.dataset_for(spec.default_year))
        source = f"{ds.source} ({ds.year})" if ds else spec.dataset
        print(f"  {spec.id:24} {spec.kind:9} {years:10} {spec.title_in('sv')} — {source}")
    print("\n" + "\n".join(completeness_lines(loaders.load_completeness())))
    print(f"\nembedded data: {paths.embedded_data_dir()}\nuser data: {paths.user_data_dir()}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``build-data`` and ``info``."""
    p = sub.add_parser("build-data", help="derive data/regso/ from the raw inputs")
    p.add_argument("--source", default=str(paths.DEFAULT_SOURCE_DIR), help="raw data folder (default ../shared/data)")
    p.add_argument("--out", default=str(paths.EMBEDDED_DATA_DIR), help="output folder (default data/regso)")
    p.set_defaults(func=_cmd_build_data)
    p = sub.add_parser("info", help="print the dataset catalogue")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_info)
