"""Import messages name the row a spreadsheet shows (header = row 1, blank rows count) or the feature (from 1).

One origin for every file kind (geo_app.errors.where): a CSV, an XLSX and a GeoJSON each with
one error in a known row or feature, and the source tables of the office register.
"""

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from geo_app.analysis import register
from geo_app.data import loaders
from geo_app.errors import InputError, ValidationError
from geo_app.imports import indicators as indicator_import
from geo_app.imports import offices as office_import
from geo_app.imports import reader
from tests.helpers import write


def refusal(path, office_frames, **kw) -> str:
    with pytest.raises(ValidationError) as info:
        office_import.prepare_offices(path, *office_frames, agency="af", **kw)
    return str(info.value)


def test_csv_rows_count_the_header_and_blank_lines(tmp_path, office_frames):
    # line 1 header, 2 A, 3 blank, 4 B, 5 C with an unknown status
    f = write(
        tmp_path, "lista.csv", b"namn,lat,lon,status\nA,59.33,18.06,open\n\nB,59.34,18.07,open\nC,59.35,18.08,kanske\n"
    )
    assert refusal(f, office_frames).startswith("lista.csv: row 5, column 'status': unknown status 'kanske'")
    # without the blank line the same office is on row 4
    g = write(
        tmp_path, "tat.csv", b"namn,lat,lon,status\nA,59.33,18.06,open\nB,59.34,18.07,open\nC,59.35,18.08,kanske\n"
    )
    assert refusal(g, office_frames).startswith("tat.csv: row 4, column 'status'")


def test_csv_numbers_and_the_stored_row_column_follow_the_same_rows(tmp_path, office_frames):
    f = write(tmp_path, "tal.csv", b"namn;lat;lon\n\nA;59,33;18,06\nB;59,34;x\n")
    assert refusal(f, office_frames).startswith("tal.csv: row 4, column 'lon': 'x' is not a (finite) number")
    ok = write(tmp_path, "ok.csv", b"namn,lat,lon\nA,59.33,18.06\n\n\nB,59.34,18.07\n")
    imp = office_import.prepare_offices(ok, *office_frames, agency="af")
    assert imp.table["row"].tolist() == [2, 5]


def test_csv_record_positions_count_a_multi_line_cell_as_one_row():
    df = reader.read_csv_text('name,lat\n"A\n\nx",1\n\nB,2\nC,y\n', "q.csv")
    with pytest.raises(ValidationError, match=r"^q\.csv: row 5, column 'lat': 'y'"):
        reader.parse_numbers(df["lat"], "lat", "q.csv")


def _xlsx(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_xlsx_rows_are_the_sheet_rows(tmp_path, office_frames):
    f = _xlsx(
        tmp_path / "kontor.xlsx",
        [["namn", "lat", "lon", "datum"], ["A", 59.33, 18.06, "2024"], ["B", 59.34, 18.07, "2024-05"],
         ["C", 59.35, 18.08, "2025-02-30"]],
    )  # fmt: skip
    assert refusal(f, office_frames).startswith("kontor.xlsx: row 4, column 'datum': ")


def test_xlsx_indicator_rows_are_the_sheet_rows(tmp_path):
    regso = loaders.load_regso()
    codes = list(regso.index[:3])
    f = _xlsx(tmp_path / "tal.xlsx", [["regsokod", "andel_pct"], [codes[0], 10], [codes[1], 120], [codes[2], 5]])
    with pytest.raises(InputError) as info:
        indicator_import.prepare_indicators(f, regso, loaders.load_kommun(), loaders.load_regso2020_keys(), year=2024)
    assert str(info.value).startswith("tal.xlsx: row 3, column 'andel_pct': '120' is outside 0–100 %")


def _geojson(tmp_path, name, statuses, geoms=None):
    path = tmp_path / name
    pts = geoms or [shapely.Point(18.06 + i / 100, 59.33) for i in range(len(statuses))]
    gpd.GeoDataFrame(
        {"namn": [f"K{i}" for i in range(len(statuses))], "status": statuses}, geometry=pts, crs=4326
    ).to_file(path)
    return path


def test_geojson_features_are_numbered_from_one(tmp_path, office_frames):
    f = _geojson(tmp_path, "k.geojson", ["open", "closed", "kanske"])
    assert refusal(f, office_frames).startswith("k.geojson: feature 3, column 'status': unknown status 'kanske'")
    sea = _geojson(tmp_path, "hav.geojson", ["open", "open"], [shapely.Point(18.06, 59.33), shapely.Point(20.5, 58.0)])
    msg = refusal(sea, office_frames)
    assert "feature 2 'K1'" in msg and "row" not in msg
    imp = office_import.prepare_offices(_geojson(tmp_path, "ok.geojson", ["open", "open"]), *office_frames, agency="af")
    assert imp.table["row"].tolist() == [1, 2]


def test_a_feature_without_geometry_is_named(tmp_path, office_frames):
    f = tmp_path / "tom.geojson"
    f.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"namn": "A"},'
        ' "geometry": {"type": "Point", "coordinates": [18.06, 59.33]}},'
        '{"type": "Feature", "properties": {"namn": "B"}, "geometry": null}]}'
    )
    assert refusal(f, office_frames).startswith("tom.geojson: feature 2: the feature has no geometry")


def test_register_source_tables_name_row_and_quoted_column():
    facts = pd.DataFrame(
        [
            dict.fromkeys(register.SAMVERKAN_COLUMNS, "") | {"attribute": a, "kommun_kod": k}
            for a, k in ((register.SAMVERKAN_ATTRIBUTES[0], "1440"), (register.SAMVERKAN_ATTRIBUTES[0], "Ale"))
        ]
    )
    with pytest.raises(ValidationError) as info:
        register.check_samverkan(facts, "samverkan.csv")
    assert str(info.value).startswith("samverkan.csv: row 3, column 'kommun_kod': 'Ale' is not a kommun code")


def test_indicator_csv_with_blank_lines_imports_and_names_the_spreadsheet_row(tmp_path):
    regso, kommun, keys = loaders.load_regso(), loaders.load_kommun(), loaders.load_regso2020_keys()
    a, b, c = regso.index[:3]
    good = write(tmp_path, "ok.csv", f"regsokod;antal\n{a};1\n\n{b};2,5\n\n\n{c};3\n".encode())
    imp = indicator_import.prepare_indicators(good, regso, kommun, keys, year=2024)
    assert imp.table["antal_2024"].to_dict() == {a: 1.0, b: 2.5, c: 3.0}
    bad = write(tmp_path, "fel.csv", f"regsokod;antal\n{a};1\n\n{b};2\n\n9999R999;3\n".encode())
    with pytest.raises(InputError) as info:
        indicator_import.prepare_indicators(bad, regso, kommun, keys, year=2024)
    assert "(row 6: '9999R999')" in str(info.value)  # 1 header, 2 a, 3 blank, 4 b, 5 blank, 6
