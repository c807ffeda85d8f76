"""``geo-app import …``: the user's own figures and office lists, the import list and the audit log."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

import pandas as pd

from geo_app.cli import roads
from geo_app.cli._common import EXIT_OK, existing_file

NAME_HELP = "import name: a-z, 0-9, '_' or '-', starting with a letter, at most 40 (default: from the file name)"
REPLACE_HELP = "replace the existing import NAME (must equal the import's name); without it a taken name is refused"


def _import_file(
    args: argparse.Namespace,
    prepare: Callable[..., Any],
    save: Callable[..., dict[str, Any]],
    *tables: pd.DataFrame,
    **options: Any,
) -> int:
    """Import ``args.file`` (checked against the areas, the kommuner and ``tables``).

    Prints the import's summary; stores it unless ``--dry-run`` (a taken name needs ``--replace NAME``).
    """
    from geo_app.data import loaders, user_store

    path = existing_file(args.file)
    imp = prepare(path, loaders.load_regso(), loaders.load_kommun(), *tables, import_id=args.name, **options)
    for line in imp.summary():
        print(line, file=sys.stderr)
    if args.dry_run:
        print("dry run: nothing saved", file=sys.stderr)
        return EXIT_OK
    sha = user_store.file_sha256(args.file)
    entry = save(imp, replace=args.replace_name, actor=user_store.cli_actor(), sha256=sha)
    print(f"saved import {entry['id']!r} → {user_store.describe()}", file=sys.stderr)
    return EXIT_OK


def _cmd_import_indicators(args: argparse.Namespace) -> int:
    from geo_app.data import loaders
    from geo_app.imports import indicators as indicator_import

    return _import_file(
        args,
        indicator_import.prepare_indicators,
        indicator_import.save_indicators,
        loaders.load_regso2020_keys(),
        year=args.year,
        key_type=args.key,
        allow_unmatched=args.allow_unmatched,
    )


def _cmd_import_offices(args: argparse.Namespace) -> int:
    from geo_app.data import loaders
    from geo_app.imports import offices as office_import

    return _import_file(
        args,
        office_import.prepare_offices,
        office_import.save_offices,
        loaders.load_lan(),
        loaders.load_towns(),
        loaders.load_postal_codes(),
        agency=args.agency,
        replace=args.replace,
        crs=args.crs,
        list_date=args.list_date,
    )


def _cmd_import_list(args: argparse.Namespace) -> int:
    from geo_app.data import user_store

    entries = user_store.list_imports()
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        print(f"{e['id']:24} {e['kind']:10} {e['imported_at']}  {e.get('matched', e.get('rows'))} rows  {e['file']}")
    if not entries:
        print(f"no imports in {user_store.describe()}", file=sys.stderr)
    return EXIT_OK


def _cmd_import_remove(args: argparse.Namespace) -> int:
    from geo_app.data import user_store

    entry = user_store.remove(args.name, actor=user_store.cli_actor())
    print(f"removed import {entry['id']!r} ({entry['file']})", file=sys.stderr)
    return EXIT_OK


def _cmd_import_log(args: argparse.Namespace) -> int:
    from geo_app.data import user_store

    rows = user_store.audit_log(args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        sha = (r.get("sha256") or "")[:12]
        who, action, name, n = r["who"], r["action"], r["import_id"], r.get("rows") or ""
        print(f"{r['at']}  {who:20} {action:8} {name:24} {n:>6}  {sha}  {r.get('file') or ''}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``import indicators | offices | list | remove | log``."""
    p = sub.add_parser("import", help="import your own figures or office lists into the user data directory")
    isub = p.add_subparsers(dest="what", required=True)
    q = isub.add_parser("indicators", help="per-area or per-kommun figures: CSV, XLSX or JSON-stat 2.0")
    q.add_argument("file")
    q.add_argument("--name", default=None, help=NAME_HELP)
    q.add_argument("--replace", dest="replace_name", metavar="NAME", default=None, help=REPLACE_HELP)
    q.add_argument("--year", type=int, default=None, help="year of the figures if the file has no year column")
    q.add_argument(
        "--key",
        choices=("regso2025", "regso2020", "label", "kommun"),
        default=None,
        help="key type (default: detected)",
    )
    q.add_argument("--allow-unmatched", action="store_true", help="import matched rows even if some keys are unknown")
    q.add_argument("--dry-run", action="store_true", help="validate and preview only")
    q.set_defaults(func=_cmd_import_indicators)
    q = isub.add_parser(
        "offices", help="an office list: CSV/XLSX with coordinates or addresses, GeoJSON/GeoPackage points"
    )
    q.add_argument("file")
    q.add_argument(
        "--agency",
        required=True,
        choices=("af", "ssc", "kommun", "other"),
        help="whose offices (kommun: kommunsamverkan points / agreement status; a file column "
        "'myndighet'/'agency' may say it per row)",
    )
    q.add_argument(
        "--replace",
        action="store_true",
        help="a complete list: replaces the embedded list of that agency and marks it complete from --list-date",
    )
    q.add_argument("--list-date", default=None, help="date the complete list is valid from, YYYY-MM-DD (default today)")
    q.add_argument("--crs", default=None, help="CRS of the coordinate columns, e.g. EPSG:3021 (default: detected)")
    q.add_argument("--name", default=None, help=NAME_HELP)
    q.add_argument("--replace-import", dest="replace_name", metavar="NAME", default=None, help=REPLACE_HELP)
    q.add_argument("--dry-run", action="store_true", help="validate and preview only")
    q.set_defaults(func=_cmd_import_offices)
    roads.register_import(isub)
    q = isub.add_parser("list", help="list imports")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=_cmd_import_list)
    q = isub.add_parser("remove", help="remove an import by name")
    q.add_argument("name")
    q.set_defaults(func=_cmd_import_remove)
    q = isub.add_parser("log", help="the audit log: who imported, replaced or removed what, when")
    q.add_argument("--json", action="store_true")
    q.add_argument("--limit", type=int, default=200)
    q.set_defaults(func=_cmd_import_log)
