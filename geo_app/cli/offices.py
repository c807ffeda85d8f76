"""``geo-app offices``: the dated office register on a date."""

from __future__ import annotations

import argparse

from geo_app.cli._common import EXIT_OK, write_output
from geo_app.export.tables import plain_csv


def _cmd_offices(args: argparse.Namespace) -> int:
    from geo_app.data import loaders
    from geo_app.views.presence_view import office_listing, unknown_listing

    if args.unknown:
        table = unknown_listing(loaders.load_presence_evidence(args.as_of), args.agency)
        text = table.to_json(orient="table", force_ascii=False, indent=1) if args.format == "json" else plain_csv(table)
        write_output(text, args.out, len(table), "kommuner where presence is unknown")
        return EXIT_OK
    offices = loaders.load_presence(args.as_of)
    table = office_listing(offices, loaders.load_kommun()["kommunnamn"], args.agency)
    text = table.to_json(orient="table", force_ascii=False, indent=1) if args.format == "json" else plain_csv(table)
    write_output(text, args.out, len(table), "offices")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``offices``."""
    p = sub.add_parser("offices", help="the dated office register on a date (AF, SSC, kommunsamverkan)")
    p.add_argument("--as-of", default=None, help="YYYY-MM-DD, 2015–2035 (default today)")
    p.add_argument("--agency", choices=("af", "ssc", "kommun", "other"), default=None)
    p.add_argument(
        "--unknown",
        action="store_true",
        help="list the kommuner where an agency's presence is unknown on the date (and why) instead",
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_offices)
