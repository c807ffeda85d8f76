"""What the commands share: exit codes, output, and the gap rule's options (``gaps``, ``scenario``, ``suggest``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo_app.analysis.gap_rule import DEFAULT_ABOVE, RuleOptions
from geo_app.analysis.gaps import GapRule
from geo_app.errors import InputError
from geo_app.layers.bundle import Bundle

EXIT_OK, EXIT_FAILURE, EXIT_INPUT = 0, 1, 2


def existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return path


def parse_types(text: str) -> tuple[int, ...]:
    from geo_app.views import gap_view

    types = gap_view.parse_types(text)
    if types is None:
        raise InputError(f"--types: expected numbers 1–5 separated by commas, got {text!r}")
    return types


def parse_agencies(text: str) -> tuple[str, ...]:
    from geo_app.analysis.presence import AGENCIES

    agencies = tuple(a.strip() for a in text.split(",") if a.strip())
    if not agencies or not set(agencies) <= set(AGENCIES):
        raise InputError(f"--agencies: expected some of {','.join(AGENCIES)} separated by commas, got {text!r}")
    return agencies


def rule_from_args(bundle: Bundle, args: argparse.Namespace) -> GapRule:
    """The gap rule of the shared rule options (``gaps``, ``scenario``, ``suggest``, ``export``)."""
    options = RuleOptions(
        year=args.year,
        types=parse_types(args.types),
        indicator=args.indicator,
        above=args.above,
        max_km=args.max_km,
        agencies=parse_agencies(args.agencies),
        radius_km=args.radius_km,
        measure=args.measure,
        max_min=args.max_min,
    )
    return bundle.gap_rule(options)


def add_rule_options(p: argparse.ArgumentParser) -> None:
    """The gap rule's options, shared by ``gaps``, ``scenario``, ``suggest`` and ``export``.

    The defaults are the analysis' and the gap page's own constants (one source for both).
    """
    from geo_app.analysis import gaps

    types = ",".join(str(t) for t in gaps.DEFAULT_TYPES)
    agencies = ",".join(gaps.DEFAULT_AGENCIES)
    p.add_argument("--types", default=types, help=f"områdestyper in the rule (default {types})")
    p.add_argument(
        "--year", type=int, default=None, help="områdestyp year (default: default_year in layers/omradestyp.toml)"
    )
    p.add_argument(
        "--indicator",
        default="default",
        help="layer id or area column that must exceed --above; 'none' for types only "
        "(default: imported unemployment if any, else SCB's official unemployment 20–64 per area, 2024: "
        "arbetsloshet_scb; the model estimate for 2020–2023 is arbetsloshet_af_modell)",
    )
    p.add_argument(
        "--above",
        type=float,
        default=DEFAULT_ABOVE,
        help=f"threshold for --indicator, in its unit (default {DEFAULT_ABOVE:g})",
    )
    p.add_argument(
        "--max-km",
        type=float,
        default=gaps.DEFAULT_MAX_KM,
        help=f"a gap is farther than this (default {gaps.DEFAULT_MAX_KM:g} km)",
    )
    p.add_argument(
        "--measure",
        choices=("straight", "road"),
        default="straight",
        help="straight line ('fågelvägen', default) or by car on the road network where one covers the area "
        "(elsewhere the straight line, labelled so in the 'measure' column)",
    )
    p.add_argument(
        "--max-min",
        type=float,
        default=None,
        help="with --measure road: a gap is farther than this many minutes by car (default: --max-km by road)",
    )
    p.add_argument(
        "--radius-km",
        type=float,
        default=gaps.DEFAULT_RADIUS_KM,
        help=f"radius for counting offices (default {gaps.DEFAULT_RADIUS_KM:g} km)",
    )
    p.add_argument(
        "--agencies", default=agencies, help=f"af, ssc, kommun (kommunsamverkan), other (imported); default {agencies}"
    )
    p.add_argument("--as-of", default=None, help="presence on this date, YYYY-MM-DD (default today)")


def write_output(text: str, out: str | None, rows: int, what: str = "rows") -> None:
    """``text`` to the file ``out`` (saying how many ``what`` went there) or to stdout."""
    if out:
        Path(out).write_text(text, "utf-8")
        print(f"{rows} {what} → {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
