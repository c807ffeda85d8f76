"""``geo-app brief``: one PDF/HTML brief per kommun or län, or one per kommun of a län.

Every check (codes, date, output folder) runs before anything is written; each file is
written to a temporary name and renamed into place, so a failure leaves no partial file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from geo_app.errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``brief`` sub-command on the ``geo-app`` parser."""
    p = sub.add_parser("brief", help="a printable brief (PDF or HTML) per kommun or län")
    p.add_argument("--kommun", action="append", default=[], metavar="CODE", help="kommun code (repeatable)")
    p.add_argument("--lan", action="append", default=[], metavar="CODE", help="län code (repeatable)")
    p.add_argument("--all-in-lan", default=None, metavar="CODE", help="one brief per kommun of this län")
    p.add_argument("--as-of", default=None, metavar="DATE", help="presence as of YYYY-MM-DD (default today)")
    p.add_argument("--lang", choices=("sv", "en"), default="sv")
    p.add_argument(
        "--out",
        default=None,
        metavar="FILE|FOLDER",
        help="FILE.pdf or FILE.html for one brief; a folder for several (default: here, lagesbild_<unit>_<date>.pdf)",
    )
    p.add_argument("--format", choices=("pdf", "html"), default=None, help="when --out is a folder (default pdf)")
    p.set_defaults(func=run)


def _units(args: argparse.Namespace, kommun: pd.DataFrame, lan: pd.DataFrame) -> list[tuple[str, str]]:
    """The (level, code) of every brief asked for; unknown codes raise :class:`InputError`."""
    units = [("kommun", c.strip()) for c in args.kommun] + [("lan", c.strip()) for c in args.lan]
    if args.all_in_lan is not None:
        units.append(("lan", args.all_in_lan.strip()))
    for level, frame in (("kommun", kommun), ("lan", lan)):
        unknown = [c for lv, c in units if lv == level and c not in frame.index]
        if unknown:
            raise InputError(f"unknown {level} code(s): {', '.join(unknown[:5])}")
    if args.all_in_lan is not None:
        units.pop()
        units += [("kommun", c) for c in sorted(kommun.index[kommun["lanskod"] == args.all_in_lan.strip()])]
    if not units:
        raise InputError("choose --kommun CODE, --lan CODE or --all-in-lan CODE")
    return list(dict.fromkeys(units))


def _targets(args: argparse.Namespace, briefs: list[tuple[str, str]]) -> tuple[Path | None, Path, str]:
    """(single file or None, folder, format), checked before any work."""
    from geo_app.report.brief import check_writable_dir, format_of

    out = Path(args.out) if args.out else Path(".")
    if args.out and out.suffix.lower() in (".pdf", ".html", ".htm"):
        if len(briefs) > 1:
            raise InputError(f"{out}: several briefs need a folder for --out, not a file name")
        fmt = format_of(out)
        check_writable_dir(out.parent if str(out.parent) else Path("."))
        return out, out.parent, fmt
    if args.out and out.suffix and not out.is_dir():
        format_of(out)  # raises: an unknown file type
    check_writable_dir(out)
    return None, out, args.format or "pdf"


def _progress(done: int, total: int, started: float, label: str) -> None:
    width = 30
    filled = int(width * done / total)
    elapsed = time.monotonic() - started
    bar = "█" * filled + "·" * (width - filled)
    end = "\n" if done == total else ""
    print(f"\r[{bar}] {done}/{total} {elapsed:5.1f} s {label[:30]:30}", end=end, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Make the briefs; exit code 0, or :class:`InputError` (exit 2) before anything is written."""
    from datetime import date

    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle
    from geo_app.report import context
    from geo_app.report.brief import file_name, make_brief, render, write_atomic

    # Every check first, cheapest first; nothing is written before all pass.
    as_of = args.as_of or date.today()  # parsed by geo_app.cli._main
    units = _units(args, loaders.load_kommun(), loaders.load_lan())
    context.check_as_of(as_of)
    single, folder, fmt = _targets(args, units)
    bundle = load_bundle()
    ctx = context.make_context(bundle, context.BriefInputs(as_of=as_of))
    started = time.monotonic()
    show_progress = len(units) > 1
    for i, (level, code) in enumerate(units, 1):
        brief = make_brief(ctx, level, code, args.lang)
        path = single or folder / file_name(brief, fmt)
        write_atomic(path, render(brief, fmt))
        if show_progress:
            _progress(i, len(units), started, brief.name)
        else:
            print(f"{path} ({path.stat().st_size / 1e3:.0f} kB)", file=sys.stderr)
    if show_progress:
        print(f"{len(units)} briefs → {folder}", file=sys.stderr)
    return 0
