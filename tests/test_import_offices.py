"""Import of office lists: coordinates (WGS84/SWEREF, detected), addresses, GeoJSON/GPKG; bad files; merge."""

from datetime import date

import geopandas as gpd
import pytest
import shapely

from geo_app import cli
from geo_app.analysis import gaps
from geo_app.data import loaders
from geo_app.imports import offices as office_import
from geo_app.views.office_view import office_note
from tests.helpers import snapshot, write


def prepare(path, office_frames, agency="af", **kw):
    return office_import.prepare_offices(path, *office_frames, agency=agency, **kw)


def test_wgs84_with_decimal_comma_is_detected_and_lands_in_the_right_area(tmp_path, office_frames):
    f = write(
        tmp_path,
        "af.csv",
        "namn;lat;lon;status;källa\nAF Rosengård;55,5869;13,0331;öppet;https://af.se/x\n"
        "AF Kiruna;67,8558;20,2253;;\n".encode("cp1252"),
    )
    imp = prepare(f, office_frames)
    assert imp.crs == "EPSG:4326"
    t = imp.table
    assert list(t["precision"]) == ["coordinates", "coordinates"]
    assert list(t["kommunkod"]) == ["1280", "2584"]  # Malmö, Kiruna: from the point, not from any name
    assert t["regsokod"].str.startswith("1280R").iloc[0]
    assert t["source_url"].tolist() == ["https://af.se/x", "fil: af.csv"]
    assert t["status"].tolist() == ["open", "open"]


def test_sweref_coordinates_keep_their_values(tmp_path, office_frames):
    f = write(tmp_path, "ssc.csv", b"name,E,N,status\nKontor Ume\xc3\xa5,759000,7087000,closed\n")
    imp = prepare(f, office_frames, agency="ssc")
    assert imp.crs == "EPSG:3006"
    assert (imp.table["e"].iloc[0], imp.table["n"].iloc[0]) == (759000.0, 7087000.0)
    assert imp.table["kommunkod"].iloc[0] == "2480" and imp.table["status"].iloc[0] == "closed"


def test_stated_crs_converts_rt90(tmp_path, office_frames):
    # Stockholm city hall in RT90 2.5 gon V (x = north, y = east in Swedish surveying: decided by the values)
    f = write(tmp_path, "rt90.csv", b"name,y,x\nStadshuset,1628300,6580800\n")
    imp = prepare(f, office_frames, crs="EPSG:3021")
    assert imp.table["kommunkod"].iloc[0] == "0180"


def test_addresses_are_placed_by_postal_code_and_town_with_precision_per_row(tmp_path, office_frames):
    f = write(
        tmp_path,
        "adresser.csv",
        (
            "namn,adress,postnummer,ort\n"
            "Arbetsförmedlingen Vivalla,Vivallagatan 1,703 44,Örebro\n"  # part of town → area
            "Servicekontor Kiruna,Hjalmar Lundbohmsv 1,98131,\n"  # town from the postal code
            "Kontor Gällivare,,,Gällivare\n"  # unique town name only
        ).encode(),
    )
    imp = prepare(f, office_frames)
    t = imp.table.set_index("name")
    assert t.loc["Arbetsförmedlingen Vivalla", "precision"] == "area"
    regso = office_frames[0]
    assert regso.at[t.loc["Arbetsförmedlingen Vivalla", "regsokod"], "regsonamn"].casefold().count("vivalla")
    assert t.loc["Servicekontor Kiruna", "precision"] == "town" and t.loc["Servicekontor Kiruna", "kommunkod"] == "2584"
    assert t.loc["Kontor Gällivare", "kommunkod"] == "2523"
    assert imp.crs == "address"


def test_geopackage_and_geojson_points(tmp_path, office_frames):
    g = gpd.GeoDataFrame(
        {"namn": ["A", "B"], "status": ["open", "closing"]},
        geometry=[shapely.Point(674000, 6580000), shapely.Point(319000, 6400000)],
        crs=3006,
    )
    g.to_file(tmp_path / "kontor.gpkg")
    g.to_crs(4326).to_file(tmp_path / "kontor.geojson")
    a = prepare(tmp_path / "kontor.gpkg", office_frames, agency="other")
    b = prepare(tmp_path / "kontor.geojson", office_frames, agency="other")
    assert list(a.table["kommunkod"]) == list(b.table["kommunkod"]) == ["0180", "1480"]
    assert (a.table[["e", "n"]] - b.table[["e", "n"]].to_numpy()).abs().max().max() < 0.01
    assert a.table["status"].tolist() == ["open", "closing"]


def _geo(tmp_path, name, geoms, crs):
    path = tmp_path / name
    gpd.GeoDataFrame({"namn": [f"K{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs).to_file(path)
    return path.read_bytes()


BAD_FILES = {
    "swapped lat/lon": ("byt.csv", b"name,lat,lon\nA,13.0,55.6\nB,18.0,59.3\n", "look swapped"),
    "swapped E/N": ("byt2.csv", b"name,E,N\nA,6580000,674000\n", "look swapped"),
    "wrong crs (RT90 unstated)": ("rt90.csv", b"name,x,y\nA,1628000,6580000\n", "RT90"),
    "wrong crs (web mercator)": ("merc.csv", b"name,x,y\nA,2010000,8250000\n", "Web Mercator"),
    "in the sea": ("hav.csv", b"name,lat,lon\nLand,59.33,18.06\nSea,58.0,20.5\n", "row 3 'Sea'"),
    "abroad": ("oslo.csv", b"name,lat,lon\nOslo,59.91,10.75\n", "outside Sweden"),
    "duplicate rows": ("dubbel.csv", b"name,lat,lon\nA,59.33,18.06\na,59.34,18.07\n", "more than once (rows [2, 3])"),
    "missing name column": ("utan.csv", b"lat,lon\n59.33,18.06\n", "no name column"),
    "missing location columns": ("plats.csv", b"name,lat\nA,59.33\n", "no location columns"),
    "half a coordinate": ("halv.csv", b"name,lat,lon\nA,59.33,\n", "only one of"),
    "unknown postal code": ("post.csv", b"name,postnummer\nA,00001\n", "not a known postal code"),
    "unknown status": ("status.csv", b"name,lat,lon,status\nA,59.33,18.06,kanske\n", "unknown status"),
    "empty name": ("tomt.csv", b"name,lat,lon\n,59.33,18.06\n", "needs a name"),
    "line geometry": ("linje.geojson", "line", "must be points"),
    "gpkg degrees labelled 3006": ("fel.gpkg", "deg3006", "declares EPSG:3006"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_office_files_exit_2_naming_the_problem_and_nothing_lost(case, tmp_path, office_frames, user_dir, capsys):
    good = write(tmp_path, "bra.csv", b"name,lat,lon\nKontor A,59.33,18.06\n")
    assert cli.main(["import", "offices", str(good), "--agency", "af"]) == 0
    before = snapshot(user_dir)
    name, content, message = BAD_FILES[case]
    if content == "line":
        content = _geo(tmp_path, "x.geojson", [shapely.LineString([(18, 59), (18.1, 59.1)])], 4326)
    elif content == "deg3006":
        content = _geo(tmp_path, "x.gpkg", [shapely.Point(18.06, 59.33)], 3006)
    f = write(tmp_path, name, content)
    capsys.readouterr()
    assert cli.main(["import", "offices", str(f), "--agency", "af"]) == 2
    err = capsys.readouterr().err
    assert message in err and name in err and "Traceback" not in err
    assert snapshot(user_dir) == before


def test_imported_lists_add_or_replace_and_reach_the_gap_analysis(tmp_path, office_frames, user_dir):
    embedded = loaders.load_presence(date(2026, 1, 1), user_dir=user_dir)
    n_af, n_ssc = (embedded["agency"] == "af").sum(), (embedded["agency"] == "ssc").sum()
    assert set(embedded["origin"]) == {"embedded"}
    assert "Ofullständig" in office_note(embedded, "sv")

    # An AF office in Sorsele (no AF in the embedded list there) added to the list.
    f = write(tmp_path, "sorsele.csv", b"name,lat,lon\nAF Sorsele,65.53484,17.53702\n")
    assert cli.main(["import", "offices", str(f), "--agency", "af"]) == 0
    added = loaders.load_presence(date(2026, 1, 1), user_dir=user_dir)
    assert (added["agency"] == "af").sum() == n_af + 1 and (added["agency"] == "ssc").sum() == n_ssc
    sorsele = office_frames[0].index[office_frames[0]["kommunkod"] == "2422"]
    before = gaps.presence_distances(gaps.area_points(office_frames[0].loc[sorsele]), embedded, ("af",))
    after = gaps.presence_distances(gaps.area_points(office_frames[0].loc[sorsele]), added, ("af",))
    assert (after["dist_km_af"] < before["dist_km_af"]).all() and (after["nearest_af"] == "AF Sorsele").any()

    # A complete SSC list replaces the embedded SSC mentions; the note says so.
    g = write(tmp_path, "ssc.csv", b"namn,lat,lon\nSK Kiruna,67.8558,20.2253\nSK Lund,55.7047,13.1910\n")
    assert cli.main(["import", "offices", str(g), "--agency", "ssc", "--replace"]) == 0
    replaced = loaders.load_presence(date(2026, 1, 1), user_dir=user_dir)
    ssc = replaced[replaced["agency"] == "ssc"]
    assert sorted(ssc["name"]) == ["SK Kiruna", "SK Lund"] and set(ssc["origin"]) == {"ssc"}
    assert (replaced["agency"] == "af").sum() == n_af + 1
    note = office_note(replaced, "en")
    assert "imported list (2 offices)" in note and "Incomplete" in note  # AF is still the embedded list

    assert cli.main(["import", "remove", "ssc"]) == 0
    assert (loaders.load_presence(date(2026, 1, 1), user_dir=user_dir)["agency"] == "ssc").sum() == n_ssc
