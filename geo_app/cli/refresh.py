"""``geo-app update-data``: refresh the official figures from SCB (PxWeb API v2) and Kolada (needs internet)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from geo_app.cli._common import EXIT_OK
from geo_app.data import paths

HELP = """Fetch the official figures the app uses from their publishers, check them and write one CSV per
table plus provenance.json (URL, date, SHA-256 per table) into a refresh folder, then print what changed
against the data in use. Sources: SCB's PxWeb API v2 (JSON-stat 2.0) — TAB6680 unemployment 20–64 (BAS),
TAB6586 socioeconomic index value and områdestyp, TAB6574 population, per RegSO 2025 area; Kolada API v3 —
N03937 openly unemployed 18–65 per kommun. The data in use (data/regso/, your imports) is never changed;
a failed or refused fetch (HTTP 429/5xx, a changed table layout, a missing area or kommun) exits 2 and
writes nothing. The only command that uses the network."""


def _cmd_update_data(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from geo_app.data import loaders
    from geo_app.imports import refresh

    regso = loaders.load_regso()
    base = args.base_url.rstrip("/") if args.base_url else None
    opts = refresh.RefreshOptions(
        year=args.year,
        regso=regso.index,
        kommuner=regso["kommunkod"].unique(),
        scb_url=f"{base}/scb" if base else refresh.SCB_URL,
        kolada_url=f"{base}/kolada/" if base else refresh.KOLADA_URL,
        timeout=args.timeout,
    )
    bar = lambda jobs: tqdm(jobs, desc="update-data", unit="table", file=sys.stderr, disable=args.quiet)  # noqa: E731
    fetched = refresh.refresh(opts, progress=bar)
    frames = {"scb": regso, "kolada": loaders.load_kommun()}
    summary = {f.key: refresh.compare_with(f, frames[f.key.split("_")[0]], args.year) for f in fetched}
    print(json.dumps(summary, indent=2, sort_keys=True))
    if args.dry_run:
        print("dry run: nothing written", file=sys.stderr)
        return EXIT_OK
    out = refresh.write_refresh(fetched, Path(args.out), date.today())
    print(f"wrote {len(fetched)} tables and provenance.json to {out}", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``update-data``."""
    p = sub.add_parser(
        "update-data",
        help="refresh official figures from SCB (PxWeb) and Kolada (needs internet)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, default=2024, help="reference year to fetch (default 2024)")
    p.add_argument(
        "--base-url",
        default=None,
        help="a mirror: SCB under BASE/scb (PxWeb API v2 root), Kolada under BASE/kolada/ (API v3 root); "
        "default the publishers' own APIs",
    )
    p.add_argument("--dry-run", action="store_true", help="fetch, check and report what would change; write nothing")
    p.add_argument(
        "--out",
        default=str(paths.user_data_dir() / "refresh"),
        help="refresh folder (default: <user data>/refresh); replaced only when every table passed",
    )
    p.add_argument("--timeout", type=int, default=60, help="seconds per request (default 60)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_update_data)
