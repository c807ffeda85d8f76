"""The ``geo-app`` parser, made of every command module of this package, and the entry point."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from geo_app.cli._common import EXIT_FAILURE, EXIT_INPUT
from geo_app.dates import parse_day
from geo_app.errors import InputError

DATE_OPTIONS = ("as_of", "list_date")  # parsed here, once; commands get datetime.date or None


def command_modules() -> list[str]:
    """The public modules of :mod:`geo_app.cli` (each one registers its commands), sorted by name."""
    package = sys.modules[__package__ or "geo_app.cli"]
    return sorted(
        f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


def make_parser() -> argparse.ArgumentParser:
    """The ``geo-app`` argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="geo-app",
        description="Närvarokartan: RegSO areas, områdestyp and state presence (messages in English)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in command_modules():
        importlib.import_module(name).register(sub)
    return parser


def _parse_dates(args: argparse.Namespace) -> None:
    """The entry point's one date parse: ``--as-of`` and ``--list-date`` become dates (None = today)."""
    for option in DATE_OPTIONS:
        if isinstance(value := getattr(args, option, None), str):
            setattr(args, option, parse_day(value, "--" + option.replace("_", "-")))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``geo-app`` console script."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        _parse_dates(args)
        return int(args.func(args))
    except InputError as exc:
        print(f"geo-app: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - last resort, reported and exit 1
        print(f"geo-app: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE
