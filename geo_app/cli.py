"""Command line: ``geo-app build-data | serve | info | gaps | scenario | suggest | import | export | brief``.

Exit codes: 0 ok, 2 invalid input (message on stderr), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from geo_app.data import paths
from geo_app.errors import InputError

EXIT_OK, EXIT_FAILURE, EXIT_INPUT = 0, 1, 2
NAME_HELP = "import name: a-z, 0-9, '_' or '-', starting with a letter, at most 40 (default: from the file name)"
REPLACE_HELP = "replace the existing import NAME (must equal the import's name); without it a taken name is refused"


def _cmd_build_data(args: argparse.Namespace) -> int:
    from geo_app.data.build import build

    out = Path(args.out)
    print(f"building {out} from {args.source} …", file=sys.stderr)
    manifest = build(Path(args.source), out)
    for name, digest in manifest.items():
        print(f"{digest[:12]}  {out / name}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from geo_app.app import serve_config
    from geo_app.data import loaders, user_store
    from geo_app.views import static_files

    loaders.load_catalogue()  # fail early, with a clear message, if the data is missing
    user_store.backend()  # open the store once: migrate an old one, sweep stale temporary files
    launcher = serve_config.write_launcher()
    static_files.prune(launcher.parent / "static")
    env = serve_config.serve_environment(dict(os.environ), launcher.parent / "static")
    cmd = [sys.executable, "-m", "streamlit", "run", str(launcher)]
    if args.port is not None:
        cmd.append(f"--server.port={args.port}")
    print(" ".join(cmd), file=sys.stderr, flush=True)
    # Become the server (exec, not a child process): stopping `geo-app serve` stops Streamlit,
    # instead of leaving an orphaned server behind.
    os.execve(sys.executable, cmd, env)


def _existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return path


def _import_file(args: argparse.Namespace, prepare, save, *tables, **options) -> int:
    """Import ``args.file`` (checked against the areas, the kommuner and ``tables``).

    Prints the import's summary; stores it unless ``--dry-run`` (a taken name needs ``--replace NAME``).
    """
    from geo_app.data import loaders, user_store

    path = _existing_file(args.file)
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


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from geo_app.app import credentials

    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("editor password: ")
    print(credentials.hash_password(password))
    return EXIT_OK


def _cmd_import_remove(args: argparse.Namespace) -> int:
    from geo_app.data import user_store

    entry = user_store.remove(args.name, actor=user_store.cli_actor())
    print(f"removed import {entry['id']!r} ({entry['file']})", file=sys.stderr)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps
    from geo_app.data import loaders
    from geo_app.export import gpkg as export
    from geo_app.layers.bundle import load_bundle
    from geo_app.views.gap_view import rule_from_options

    layers = tuple(x.strip() for x in args.layers.split(",") if x.strip())
    choice = export.ExportChoice(tuple(args.kommun), tuple(args.lan), tuple(args.area), layers)
    bundle = load_bundle()
    export.check_choice(bundle, choice)
    offices = loaders.load_presence(args.as_of)
    states = loaders.load_presence_states(args.as_of)
    gap = gaps.analyse(bundle.regso, offices, rule_from_options(bundle), states=states) if "luckor" in layers else None
    out = Path(args.out) if args.out else Path(export.file_name(choice))
    if out.is_dir():
        out = out / export.file_name(choice)
    export.export_gpkg(bundle, offices, choice, out, gap=gap)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
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
    from geo_app.views.presence_view import completeness_lines

    print("\n" + "\n".join(completeness_lines(loaders.load_completeness())))
    print(f"\nembedded data: {paths.embedded_data_dir()}\nuser data: {paths.user_data_dir()}")
    return EXIT_OK


def _cmd_offices(args: argparse.Namespace) -> int:
    from geo_app.data import loaders
    from geo_app.views.presence_view import office_listing

    offices = loaders.load_presence(args.as_of)
    table = office_listing(offices, loaders.load_kommun()["kommunnamn"], args.agency)
    text = table.to_json(orient="table", force_ascii=False, indent=1) if args.format == "json" else table.to_csv()
    _write(text, args.out, len(table), "offices")
    return EXIT_OK


def _parse_types(text: str) -> tuple[int, ...]:
    from geo_app.views.gap_view import parse_types

    types = parse_types(text)
    if types is None:
        raise InputError(f"--types: expected numbers 1–5 separated by commas, got {text!r}")
    return types


def _cmd_gaps(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle

    _parse_agencies(args.agencies)  # before loading anything
    bundle = load_bundle()
    rule = _rule_from_args(bundle, args)
    result = gaps.analyse(
        bundle.regso, loaders.load_presence(args.as_of), rule, states=loaders.load_presence_states(args.as_of)
    )
    table = {"area": result.areas, "kommun": result.kommuner, "unknown": result.unknown_areas}[args.by]
    counts = result.summary()
    print(
        f"{counts['kommuner']} kommuner, {counts['areas']} areas in the rule: {counts['gaps']} gaps, "
        f"{counts['unknown']} more areas where presence is unknown (as of {args.as_of or 'today'})",
        file=sys.stderr,
    )
    text = table.to_json(orient="table", force_ascii=False, indent=1) if args.format == "json" else table.to_csv()
    _write(text, args.out, len(table))
    return EXIT_OK


def _parse_agencies(text: str) -> tuple[str, ...]:
    from geo_app.analysis.presence import AGENCIES

    agencies = tuple(a.strip() for a in text.split(",") if a.strip())
    if not agencies or not set(agencies) <= set(AGENCIES):
        raise InputError(f"--agencies: expected some of {','.join(AGENCIES)} separated by commas, got {text!r}")
    return agencies


def _rule_from_args(bundle, args: argparse.Namespace):
    """The gap rule of the shared rule options (``gaps``, ``scenario``, ``suggest``)."""
    from geo_app.views.gap_view import rule_from_options

    return rule_from_options(
        bundle,
        year=args.year,
        types=_parse_types(args.types),
        indicator=args.indicator,
        above=args.above,
        max_km=args.max_km,
        agencies=_parse_agencies(args.agencies),
        radius_km=args.radius_km,
    )


def _write(text: str, out: str | None, rows: int, what: str = "rows") -> None:
    """``text`` to the file ``out`` (saying how many ``what`` went there) or to stdout."""
    if out:
        Path(out).write_text(text, "utf-8")
        print(f"{rows} {what} → {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _parse_add(items: list[str]):
    """``LON,LAT[:agency]`` → a frame with ``lon, lat, agency`` (agency None when not given)."""
    import pandas as pd

    rows: list[dict[str, object]] = []
    for item in items:
        point, _, agency = item.partition(":")
        try:
            lon, lat = (float(x) for x in point.split(","))
        except ValueError as exc:
            raise InputError(
                f"--add: expected LON,LAT[:agency] in WGS84 degrees, e.g. 18.07,59.33:ssc, got {item!r}"
            ) from exc
        rows.append({"lon": lon, "lat": lat, "agency": agency.strip() or None, "name": f"Nytt kontor {len(rows) + 1}"})
    return pd.DataFrame(rows, columns=["lon", "lat", "agency", "name"])


def _cmd_scenario(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps, siting
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle

    _parse_agencies(args.agencies)
    added = _parse_add(args.add)
    bundle = load_bundle()
    rule = _rule_from_args(bundle, args)
    unemployed, kind = siting.unemployed_for(bundle.regso, bundle.layers, rule.year)
    new = siting.new_offices(added, bundle.regso, default_agency=rule.agencies[0])
    result = siting.scenario(
        bundle.regso,
        loaders.load_presence(args.as_of),
        rule,
        add=new,
        remove=args.remove,
        points=gaps.area_points(bundle.regso),
        unemployed=unemployed,
        unemployed_kind=kind,
    )
    # As on the Scenario page: an area beyond the distance is a gap only where presence is known.
    unknown = gaps.presence_unknown(
        bundle.regso,
        gaps.area_points(bundle.regso),
        loaders.load_presence_states(args.as_of),
        rule.agencies,
        rule.max_km,
    )
    result = siting.split_unknown(result, unknown)
    if args.by == "area":
        table = result.areas[result.areas["rule"]].drop(columns="rule")
        order = table["change"].map({"closed": 0, "opened": 1}).fillna(2)
        table = table.assign(_o=order).sort_values(["_o", "dist_km_before"], ascending=[True, False]).drop(columns="_o")
    else:
        table = result.kommuner
    nat = result.national
    summary: dict[str, Any] = {
        "rule_areas": int(nat["rule_areas"]),
        "unemployed_kind": kind,
        "added": [
            {"name": r.name, "agency": r.agency, "lon": float(lon), "lat": float(lat)}
            for r, lon, lat in zip(new.itertuples(), added["lon"], added["lat"], strict=True)
        ],
        "removed": list(result.removed),
    }
    # "gap" only where presence is known; areas beyond the distance whose presence is unknown are apart.
    labels = {
        "known_gap_areas": "known_gap_areas",
        "unknown_areas": "unknown_presence_areas",
        "gap_areas": "beyond_distance_areas",
        "gap_population": "beyond_distance_population",
        "gap_unemployed": "beyond_distance_unemployed",
    }
    for measure, label in labels.items():
        summary[label] = {
            "before": round(float(nat[f"{measure}_before"]), 1),
            "after": round(float(nat[f"{measure}_after"]), 1),
        }
    if args.format == "json":
        body = json.loads(table.to_json(orient="table", force_ascii=False))["data"]
        text = (
            json.dumps(
                {"summary": summary, "kommuner" if args.by == "kommun" else "areas": body}, ensure_ascii=False, indent=1
            )
            + "\n"
        )
    else:
        text = table.to_csv()
        print(
            f"areas in the rule: {summary['rule_areas']}; offices added: {len(new)}; closed: "
            f"{', '.join(result.removed) or '–'}",
            file=sys.stderr,
        )
        for label in labels.values():
            print(f"{label}: {summary[label]['before']:g} → {summary[label]['after']:g}", file=sys.stderr)
        print(f"(unemployed: {kind})", file=sys.stderr)
    _write(text, args.out, len(table))
    return EXIT_OK


def _cmd_suggest(args: argparse.Namespace) -> int:
    from geo_app.analysis import gaps, siting
    from geo_app.data import loaders
    from geo_app.layers.bundle import load_bundle

    _parse_agencies(args.agencies)
    objective = args.objective or ("lscp" if args.cover_all else "mclp")
    if args.cover_all and objective != "lscp":
        raise InputError(f"--cover-all is the lscp objective, not {objective}: drop --objective or use --n N")
    if args.n is not None and objective == "lscp":
        raise InputError("lscp finds the number of sites itself: use --cover-all instead of --n, or --objective mclp")
    kinds = tuple(k.strip() for k in args.candidates.split(",") if k.strip())
    if not kinds or not set(kinds) <= set(siting.CANDIDATE_KINDS):
        raise InputError(
            f"--candidates: expected some of {','.join(siting.CANDIDATE_KINDS)} separated by commas, "
            f"got {args.candidates!r}"
        )
    if args.n is not None and args.n <= 0:
        raise InputError(f"--n: ask for at least one new site, got {args.n}")
    bundle = load_bundle()
    rule = _rule_from_args(bundle, args)
    offices = loaders.load_presence(args.as_of)
    points = gaps.area_points(bundle.regso)
    unemployed, kind = (
        siting.unemployed_for(bundle.regso, bundle.layers, rule.year) if args.weight == "unemployed" else (None, "")
    )
    demand = siting.demand_areas(bundle.regso, rule, points, unemployed, kind)
    candidates = siting.candidate_sites(bundle.regso, loaders.load_towns(), offices, kinds, points=points)
    result = siting.suggest_sites(
        demand,
        candidates,
        siting.counting_offices(offices, rule),
        rule.max_km,
        n=args.n,
        objective=objective,
        weight=args.weight,
        time_limit_s=args.time_limit,
    )
    t, g = result.totals, result.greedy_totals
    if args.format == "json":

        def records(frame):
            return json.loads(frame.to_json(orient="table", force_ascii=False))["data"]

        text = (
            json.dumps(
                {
                    "totals": json.loads(t.to_json(force_ascii=False)),
                    "sites": records(result.sites),
                    "greedy": {"totals": json.loads(g.to_json(force_ascii=False)), "sites": records(result.greedy)},
                    "uncovered": records(result.uncovered),
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    else:
        text = result.sites.to_csv()
        print(
            f"{t['objective']}, weight: {t['weight_kind']}, {t['max_km']:g} km: {t['sites']} sites; covered before "
            f"{t['covered_before']:.0f}, after {t['covered_after']:.0f} of {t['demand_total']:.0f} "
            f"({t['areas_covered_before']} → {t['areas_covered_after']} of {t['areas_total']} areas)",
            file=sys.stderr,
        )
        print(
            f"optimal: {'yes' if t['optimal'] else 'no'} ({t['status']}); {t['solve_seconds']:.2f} s", file=sys.stderr
        )
        print(f"greedy baseline: {g['sites']} sites, covered after {g['covered_after']:.0f}", file=sys.stderr)
    _write(text, args.out, len(result.sites))
    return EXIT_OK


def _add_rule_options(p: argparse.ArgumentParser) -> None:
    """The gap rule's options, shared by ``gaps``, ``scenario`` and ``suggest``.

    The defaults are the analysis' and the gap page's own constants (one source for both).
    """
    from geo_app.analysis import gaps
    from geo_app.views.gap_view import DEFAULT_ABOVE

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
        "(default: imported unemployment if any, else the Af-definition model estimate)",
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
        "--radius-km",
        type=float,
        default=gaps.DEFAULT_RADIUS_KM,
        help=f"radius for counting offices (default {gaps.DEFAULT_RADIUS_KM:g} km)",
    )
    p.add_argument(
        "--agencies", default=agencies, help=f"af, ssc, kommun (kommunsamverkan), other (imported); default {agencies}"
    )
    p.add_argument("--as-of", default=None, help="presence on this date, YYYY-MM-DD (default today)")


def make_parser() -> argparse.ArgumentParser:
    """The ``geo-app`` argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="geo-app",
        description="Närvarokartan: RegSO areas, områdestyp and state presence (messages in English)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-data", help="derive data/regso/ from the raw inputs")
    p.add_argument("--source", default=str(paths.DEFAULT_SOURCE_DIR), help="raw data folder (default ../shared/data)")
    p.add_argument("--out", default=str(paths.EMBEDDED_DATA_DIR), help="output folder (default data/regso)")
    p.set_defaults(func=_cmd_build_data)

    p = sub.add_parser("serve", help="start the Streamlit app")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("gaps", help="areas (or kommuner) far from any office ('fågelvägen')")
    _add_rule_options(p)
    p.add_argument(
        "--by", choices=("area", "kommun", "unknown"), default="area", help="unknown: areas where presence is unknown"
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_gaps)

    p = sub.add_parser("scenario", help="what if: add offices and/or close offices, gaps before and after")
    p.add_argument(
        "--add",
        action="extend",
        nargs="+",
        default=[],
        metavar="LON,LAT[:agency]",
        help="a new office in WGS84 degrees, agency af/ssc/other (default: the first of --agencies)",
    )
    p.add_argument(
        "--remove",
        action="extend",
        nargs="+",
        default=[],
        metavar="OFFICE_ID",
        help="close an office: its id (e.g. af-1280-arbetsformedlingen_malmo, see geo-app offices) or unique name",
    )
    _add_rule_options(p)
    p.add_argument(
        "--by",
        choices=("area", "kommun"),
        default="area",
        help="table: the rule's areas (default) or kommuner; the national summary is on stderr (csv) "
        "or under 'summary' (json)",
    )
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_scenario)

    p = sub.add_parser("suggest", help="suggest sites for new offices (spopt: MCLP, LSCP, p-median; HiGHS)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--n", type=int, default=None, help="number of new sites (mclp, pmedian)")
    how.add_argument("--cover-all", action="store_true", help="fewest sites covering every area of the rule (lscp)")
    p.add_argument(
        "--objective",
        choices=("mclp", "lscp", "pmedian"),
        default=None,
        help="mclp: most demand covered (default with --n); lscp: cover all; pmedian: least distance",
    )
    p.add_argument(
        "--candidates",
        default="towns,areas,ssc",
        help="candidate sites: towns (GeoNames), areas (RegSO points), ssc (co-location), comma-separated",
    )
    p.add_argument(
        "--weight",
        choices=("population", "unemployed", "equal"),
        default="population",
        help="demand weight of the rule's areas (default population)",
    )
    _add_rule_options(p)
    p.add_argument("--time-limit", type=float, default=30.0, help="solver time limit in seconds (default 30)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_suggest)

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

    p = sub.add_parser("hash-password", help="print the hash of an editor password (for GEO_APP_EDITOR_PASSWORD_HASH)")
    p.add_argument("--stdin", action="store_true", help="read the password from stdin instead of the terminal")
    p.set_defaults(func=_cmd_hash_password)

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

    p = sub.add_parser("offices", help="the dated office register on a date (AF, SSC, kommunsamverkan)")
    p.add_argument("--as-of", default=None, help="YYYY-MM-DD, 2015–2035 (default today)")
    p.add_argument("--agency", choices=("af", "ssc", "kommun", "other"), default=None)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", default=None, help="write to a file instead of stdout")
    p.set_defaults(func=_cmd_offices)

    from geo_app.report.cli import add_parser as add_brief_parser

    add_brief_parser(sub)

    p = sub.add_parser("info", help="print the dataset catalogue")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``geo-app`` console script."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"geo-app: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - last resort, reported and exit 1
        print(f"geo-app: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
