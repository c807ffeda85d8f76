"""Downloads open right in Swedish Excel and never carry a live formula (geo_app.export.tables)."""

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo_app.analysis import gaps
from geo_app.data import loaders
from geo_app.export import tables as dl
from geo_app.layers.bundle import load_bundle
from geo_app.views import gap_view

HOSTILE = ['=HYPERLINK("http://x","klick")', "+SUM(1,2)", "-2+3", "@cmd", "\t=1+1", "\r=1+1"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kommun": ["Malmö", "Göteborg", "Örebro"],
            "Folkmängd": [362133, 604829, 160000],
            "Andel, %": [48.941176470588236, 26.76, np.nan],
            "År": [2023.0, 2022.0, np.nan],
        },
        index=pd.Index(["1280", "1480", "1880"], name="Kommunkod"),
    )


def test_swedish_csv_has_bom_semicolons_decimal_comma_and_round_trips():
    raw = dl.to_csv(frame(), "sv", {"Andel, %": 1})
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "Kommunkod;Kommun;Folkmängd;Andel, %;År"
    assert "48,9" in text and "2023" in text and "2023.0" not in text and "48.94" not in text
    back = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Kommunkod": str})
    assert list(back["Kommunkod"]) == ["1280", "1480", "1880"] and back.loc[0, "Kommun"] == "Malmö"
    assert back.loc[0, "Andel, %"] == pytest.approx(48.9) and back["Folkmängd"].dtype.kind == "i"


def test_english_csv_uses_comma_and_point():
    text = dl.to_csv(frame(), "en", {"Andel, %": 1}).decode("utf-8-sig")
    assert text.splitlines()[0] == 'Kommunkod,Kommun,Folkmängd,"Andel, %",År'
    assert "48.9" in text


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_defused(value):
    assert dl.is_formula_like(value)
    assert dl.defuse(value) == "'" + value


@pytest.mark.parametrize("value", ["Malmö", "-12,5", "-3", "12 %", "", "a=b"])
def test_ordinary_text_and_plain_numbers_stay(value):
    assert dl.defuse(value) == value


def test_csv_never_starts_a_cell_with_a_formula():
    df = pd.DataFrame({"Kontor": HOSTILE, "Avstånd, km": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    back = pd.read_csv(io.BytesIO(dl.to_csv(df, "sv")), sep=";", decimal=",", encoding="utf-8-sig")
    assert all(v.startswith("'") for v in back["Kontor"])
    assert back["Avstånd, km"].iloc[0] == -1.5  # a negative number stays a number


def test_xlsx_has_about_sheet_no_unnamed_column_and_no_formula_cells():
    df = frame().assign(Kontor=HOSTILE[:3])
    about = [("Regel", "typ 1–2, > 20 %"), ("Uttaget (datum)", "2026-11-30"), ("Källa", "=not a formula")]
    book = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx({"Kommuner": df}, about, "sv", {"Andel, %": 1})))
    assert book.sheetnames == ["Om tabellerna", "Kommuner"]
    info = {r[0].value: r[1].value for r in book["Om tabellerna"].iter_rows(min_row=2)}
    assert info["Regel"] == "typ 1–2, > 20 %" and info["Källa"] == "=not a formula"
    sheet = book["Kommuner"]
    header = [c.value for c in sheet[1]]
    assert header == ["Kommunkod", "Kommun", "Folkmängd", "Andel, %", "År", "Kontor"]
    assert not any(str(h).startswith("Unnamed") for h in header)
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no live formula anywhere
    kontor = [c.value for c in sheet["F"][1:]]
    assert kontor == HOSTILE[:3]  # the text itself, unchanged, as a string cell
    assert sheet["C2"].value == 362133 and sheet["C2"].data_type == "n"  # numbers stay numbers
    assert sheet["D2"].value == pytest.approx(48.9) and sheet["E2"].value == 2023 and sheet["E4"].value is None
    assert sheet["A2"].value == "1280" and sheet["A2"].data_type == "s"  # codes keep their leading zero


def test_gap_download_from_imported_office_names(bundle):
    """An imported office called "=HYPERLINK(…)" shows up as the nearest office and stays text in both files."""
    offices = loaders.load_presence().copy()
    offices["name"] = HOSTILE[0]
    rule = bundle.gap_rule()
    result = gaps.analyse(bundle.regso, offices, rule, gaps.area_points(bundle.regso))
    shown = gap_view.area_table_for_display(result.areas, "sv", gap_view.indicator_label(bundle, rule, "sv"))
    about = gap_view.rule_about(bundle, rule, offices, "sv", "Hela Sverige", "2026-11-30")
    book = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx({"Områden": shown}, about, "sv")))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
    info = {r[0].value: r[1].value for r in book["Om tabellerna"].iter_rows(min_row=2)}
    assert "> 20" in info["Indikator och tröskel"] and "Officiell statistik" in info["Indikator och tröskel"]
    assert info["Uttaget (datum)"] == "2026-11-30" and "km" in info["Avstånd till närmaste kontor"]
    text = dl.to_csv(shown, "sv", gap_view.display_decimals(shown)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    assert "Folkmängd 2023" in text.splitlines()[0] and "folkmangd_2023" not in text


# --- a hostile header in an imported file, end to end: import → the page's tables → download bytes ------

HEADER = '=HYPERLINK("http://x","x")'


def test_formula_like_headers_are_defused_in_csv_and_string_cells_in_xlsx():
    df = pd.DataFrame({h: [1.5, 2.0] for h in HOSTILE[:4]} | {"Kommun": ["=A1", "Lund"]})
    header = dl.to_csv(df, "sv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith('"\'=HYPERLINK(""http://x"",""klick"")"') and "'+SUM(1,2)" in header
    assert not any(field.lstrip('"').startswith(dl.FORMULA_PREFIXES) for field in header.split(";"))
    back = pd.read_csv(io.BytesIO(dl.to_csv(df, "sv")), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == ["'" + h for h in HOSTILE[:4]] + ["Kommun"] and back.iloc[0, 0] == 1.5
    sheet = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx({"T": df}))).active
    assert [(c.value, c.data_type) for c in sheet[1]][:2] == [(HOSTILE[0], "s"), (HOSTILE[1], "s")]


def assert_no_live_formula(csv_bytes: bytes, xlsx_bytes: bytes, sep: str) -> None:
    """No CSV field and no XLSX cell (header or value) that a spreadsheet would run."""
    fields = [f.strip('"') for line in csv_bytes.decode("utf-8-sig").splitlines() for f in line.split(sep)]
    assert any(f.startswith("'=HYPERLINK") for f in fields), "the hostile name should be in the file, defused"
    assert not any(dl.is_formula_like(f) for f in fields), [f for f in fields if dl.is_formula_like(f)]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells), "a live formula in the XLSX"
    assert any(c.data_type == "s" and str(c.value).startswith("=HYPERLINK") for c in cells)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_imported_column_named_like_a_formula_reaches_no_download_as_one(tmp_path, user_dir, lang):
    from geo_app.imports import indicators as indicator_import
    from geo_app.views import compare_view as cv
    from geo_app.views import map_view as nm

    f = tmp_path / "fientlig.csv"
    f.write_text("Kommun;" + HEADER.replace('"', '""').join('""') + "\n1280;12,5\n1281;7,5\n", "utf-8")
    known = loaders.load_regso(), loaders.load_kommun(), loaders.load_regso2020_keys()
    imp = indicator_import.prepare_indicators(f, *known, year=2024)
    assert imp.columns[0]["header"] == HEADER
    indicator_import.save_indicators(imp, user_dir)
    b = nm.publish_map(load_bundle(user_dir=user_dir))
    layer = next(i for i, s in b.layers.items() if s.kind == "imported")
    assert b.layers[layer].title_in(lang).startswith("=HYPERLINK")
    # the map page's table (the layer's values head a column) and its CSV download
    choice = nm.ViewChoice(layer=layer, year=2024, lan="12")
    table = nm.kommun_summary(b, choice, lang)
    assert any(str(c).startswith("=HYPERLINK") for c in table.columns), table.columns
    sep = ";" if lang == "sv" else ","
    assert_no_live_formula(dl.to_csv(table, lang), dl.to_xlsx({"Karta": table}, lang=lang), sep)
    # Jämför: the indicator table names the indicator in a cell; CSV and the workbook with its about sheet
    sel = cv.Selection(level="kommun", codes=("1280", "1281"), year=2023)
    rows = cv.indicator_table(b, sel, lang)
    about = cv.about_rows(b, sel, rows, lang, "2026-12-06")
    assert_no_live_formula(dl.to_csv(rows, lang), dl.to_xlsx({"Indikatorer": rows}, about, lang), sep)


def test_streamlits_own_table_export_is_off():
    """st.dataframe's toolbar CSV writes "=…" text as live formulas: the app's own downloads replace it."""
    from geo_app.app import serve_config

    assert serve_config.load_config()["client"]["disableDataExport"] is True


def test_the_clis_csv_of_an_imported_office_named_like_a_formula_is_defused(tmp_path, user_dir, capsys):
    """``geo-app offices --format csv``: the office list a planner opens in a spreadsheet."""
    from geo_app import cli

    f = tmp_path / "kontor.csv"
    f.write_text('name,lat,lon\n"=HYPERLINK(""http://x"",""x"")",59.33,18.06\n', "utf-8")
    assert cli.main(["import", "offices", str(f), "--agency", "other"]) == 0
    capsys.readouterr()
    assert cli.main(["offices", "--agency", "other", "--format", "csv"]) == 0
    back = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert '\'=HYPERLINK("http://x","x")' in set(back["name"])
    assert not any(dl.is_formula_like(v) for v in back.astype(str).to_numpy().ravel())
    assert dl.plain_csv(pd.DataFrame({"=A1": ["@x", 1]})).splitlines()[0] == ",'=A1"
