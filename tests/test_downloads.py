"""Downloads open right in Swedish Excel and never carry a live formula (geo_app.export.tables)."""

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo_app.analysis import gaps
from geo_app.data import loaders
from geo_app.export import tables as dl
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
    rule = gap_view.rule_from_options(bundle)
    result = gaps.analyse(bundle.regso, offices, rule, gaps.area_points(bundle.regso))
    shown = gap_view.area_table_for_display(result.areas, "sv", gap_view.indicator_label(bundle, rule, "sv"))
    about = gap_view.rule_about(bundle, rule, offices, "sv", "Hela Sverige", "2026-11-30")
    book = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx({"Områden": shown}, about, "sv")))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
    info = {r[0].value: r[1].value for r in book["Om tabellerna"].iter_rows(min_row=2)}
    assert "> 20" in info["Indikator och tröskel"] and "Modellskattning" in info["Indikator och tröskel"]
    assert info["Uttaget (datum)"] == "2026-11-30" and "km" in info["Avstånd till närmaste kontor"]
    text = dl.to_csv(shown, "sv", gap_view.display_decimals(shown)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    assert "Folkmängd 2023" in text.splitlines()[0] and "folkmangd_2023" not in text
