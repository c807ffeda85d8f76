"""``geo-app gaps``: areas (or kommuner) far from any office, and where presence is unknown."""

from __future__ import annotations

import argparse
import sys

from geo_app.analysis.routing import ROAD
from geo_app.cli._common import EXIT_OK, add_rule_options, parse_agencies, rule_from_args, write_output
from geo_app.data.roads import load_roads
from geo_app.export.tables import plain_csv


def _cmd_gaps(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps, unknowns
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle
    from geo_app.views import seed_view
    from geo_app.views.presence_view import unknown_why, unknown_why_lines

    parse_agencies(args.agencies)  # before loading anything
    bundle = load_bundle()
    rule = rule_from_args(bundle, args)
    states = loaders.load_presence_states(args.as_of)
    points = gaps.area_points(bundle.regso)
    network = load_roads() if rule.measure == ROAD else None
    result = gaps.analyse(bundle.regso, loaders.load_presence(args.as_of), rule, points, states=states, roads=network)
    why = unknown_why(result, bundle.regso, points, states, loaders.load_presence_evidence(args.as_of))
    causes = unknowns.area_causes(unknowns.result_causes(result, bundle.regso, points, states))
    unknown = result.unknown_areas.join(causes)
    tables = {"area": result.areas, "kommun": result.kommuner, "unknown": unknown, "why": why}
    table = gaps.rule_area_table(bundle.regso, result) if args.by == "all" else tables[args.by]
    counts = result.summary()
    print(
        f"{counts['kommuner']} kommuner, {counts['areas']} areas in the rule: {counts['gaps']} gaps, "
        f"{counts['unknown']} more areas where presence is unknown (as of {args.as_of or 'today'})",
        file=sys.stderr,
    )
    for line in unknown_why_lines(why):
        print(line, file=sys.stderr)
    print(f"distance: {rule.limit_text()}; {gaps.measure_text(result, network)}", file=sys.stderr)
    if args.by == "kommun":  # the seed question, official and estimated, beside Af's published 60
        print("\n".join(seed_view.seed_lines(bundle)), file=sys.stderr)
    text = table.to_json(orient="table", force_ascii=False, indent=1) if args.format == "json" else plain_csv(table)
    write_output(text, args.out, len(table))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``gaps``."""
    p = sub.add_parser(
        "gaps",
        help="areas (or kommuner) far from any office (straight line, or by road with --measure road)",
        description="Areas matching the rule (områdestyp and, by default, SCB's official unemployment 2024 per "
        "area > 20 %) that are far from any office. --by kommun also prints the seed question (kommuner with "
        "type 1–2 areas above 20 %: official 2024, model estimate, Af's published 60) on stderr.",
    )
    add_rule_options(p)
    p.add_argument(
        "--by",
        choices=("area", "kommun", "unknown", "why", "all"),
        default="area",
        help="unknown: areas where presence is unknown; why: the agency and kommun each unknown rests on; "
        "all: every area in the rule with its distances",
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_gaps)
