"""Import of the user's own indicator files: formats, key types, validation, atomic storage."""

import json
from pathlib import Path

import pandas as pd
import pytest

from geo_app import cli
from geo_app.data import loaders, store_backends, user_store
from geo_app.imports import indicators as indicator_import
from geo_app.layers.bundle import load_bundle
from geo_app.views import map_view as nm
from tests.helpers import snapshot, write

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def known():
    return loaders.load_regso(), loaders.load_kommun(), loaders.load_regso2020_keys()


def prepare(path, known, **kw):
    return indicator_import.prepare_indicators(path, *known, **kw)


def test_csv_comma_point_utf8_with_2025_codes_round_trips(tmp_path, known, user_dir):
    regso = known[0]
    codes = regso.index[:40]
    f = tmp_path / "ledighet.csv"
    pd.DataFrame({"regsokod": codes, "Arbetslöshet (%)": range(40)}).to_csv(f, index=False)
    imp = prepare(f, known, year=2024)
    assert imp.key_type == "regso2025" and imp.level == "regso" and len(imp.table) == 40
    indicator_import.save_indicators(imp, user_dir)
    b = nm.publish_map(load_bundle(user_dir=user_dir))
    spec = b.layers["imp_ledighet_arbetsloshet"]
    assert spec.kind == "imported" and spec.years == (2024,)
    col = spec.column_for(2024)
    assert b.regso.loc[codes, col].tolist() == [float(i) for i in range(40)]
    assert b.regso[col].isna().sum() == len(regso) - 40
    assert nm.source_line(b, spec, 2024, "sv").startswith("Importerad")
    assert b.catalogue["imp_ledighet"].kind == "imported"


def test_swedish_excel_csv_semicolon_decimal_comma_cp1252_with_labels(tmp_path, known):
    # SCB labels, including one renamed since 2020 ("Täby (Näsby Park)" → "Näsbypark").
    text = "Område;Andel utan gymnasium\r\nTäby (Näsby Park);12,5\r\nMalmö (RegSO-Almvik syd-Lindängen syd);41,0\r\n"
    f = tmp_path / "utbildning.csv"
    f.write_bytes(text.encode("cp1252"))
    imp = prepare(f, known, year=2023)
    assert imp.key_type == "label"
    regso = known[0]
    nasby = regso.index[(regso["regsonamn"] == "Näsbypark")][0]
    assert imp.table.loc[nasby].iloc[0] == 12.5 and imp.table.loc["1280R002"].iloc[0] == 41.0


def test_utf8_bom_kommun_codes_as_integers(tmp_path, known):
    f = tmp_path / "kommun.csv"
    f.write_bytes("\ufeffKommunkod;År;Andel arbetslösa\n114;2024;3,5\n1280;2024;7,25\n114;2023;3,1\n".encode("utf-8"))
    imp = prepare(f, known)
    assert imp.level == "kommun" and imp.key_type == "kommun" and imp.years == [2023, 2024]
    assert imp.table.loc["1280", "andel_arbetslosa_2024"] == 7.25
    assert pd.isna(imp.table.loc["1280", "andel_arbetslosa_2023"])


def test_xlsx_with_regso_2020_codes_follows_scb_code_swaps(tmp_path, known):
    f = tmp_path / "perstorp.xlsx"
    pd.DataFrame(
        {
            "RegSO 2020": ["1275R002", "1275R005"],
            "Namn": ["Perstorp (Perstorp nordöstra tätorten)", "Perstorp (Perstorp sydöstra tätorten)"],
            "Värde": [1.0, 2.0],
        }
    ).to_excel(f, index=False)
    imp = prepare(f, known, year=2024)
    assert imp.key_type == "regso2020"
    regso = known[0]
    # the 2020 code 1275R002 (nordöstra) is 1275R005 in 2025
    assert regso.at["1275R005", "regsonamn"] == "Perstorp nordöstra tätorten"
    assert imp.table.loc["1275R005"].iloc[0] == 1.0 and imp.table.loc["1275R002"].iloc[0] == 2.0


def test_jsonstat_index_adds_a_selectable_omradestyp_year(known, user_dir):
    imp = prepare(FIXTURES / "scb_index_2024.jsonstat.json", known)
    assert imp.key_type == "regso2020" and imp.years == [2024]
    roles = {c["header"]: c["role"] for c in imp.columns}
    assert roles["Områdestyp"] == "omradestyp" and roles["Socioekonomiskt indexvärde"] == "value"
    indicator_import.save_indicators(imp, user_dir)
    b = nm.publish_map(load_bundle(user_dir=user_dir))
    spec = b.layers["omradestyp"]
    assert 2024 in spec.years and spec.dataset_for(2024) == "imp_scb_index_2024_jsonstat"
    assert b.regso.at["1275R002", "omradestyp_2024"] == 1  # sydöstra, index 41.0 (2020 code R005)
    assert b.regso.at["1275R005", "omradestyp_2024"] == 3
    assert b.regso["omradestyp_2024"].notna().sum() == 4
    choice = nm.normalise_choice(b, nm.ViewChoice("omradestyp", 2024))
    assert choice.year == 2024
    assert nm.source_line(b, spec, 2024, "sv").startswith("Importerad")
    assert nm.source_line(b, spec, 2023, "sv").startswith("Källa")


BAD_FILES = {
    "empty": ("tom.csv", b"", "empty"),
    "header only": ("rubrik.csv", b"regsokod,varde\n", "no data rows"),
    "no key": ("nyckel.csv", b"namn,varde\nfoo,1\nbar,2\n", "no key column"),
    "unknown codes": ("okand.csv", b"regsokod,varde\n0114R001,1\n9999R999,2\n0114R002,3\n", "9999R999"),
    "duplicate codes": ("dubbel.csv", b"regsokod,varde\n0114R001,1\n0114R001,2\n", "more than once"),
    "non-numeric": ("text.csv", b"regsokod,varde\n0114R001,1\n0114R002,abc\n0114R003,2\n", "row 3, column 'varde'"),
    "percent out of range": ("procent.csv", b"regsokod,andel %\n0114R001,50\n0114R002,140\n", "outside 0"),
    "type out of range": ("typ.csv", b"regsokod,omradestyp\n0114R001,3\n0114R002,7\n", "must be 1"),
    "mojibake": ("fel.csv", "regsokod,andel\n0114R001,1\n0114R002,2\n# Ã¥terrapport\n".encode(), "wrong encoding"),
    "binary": ("bild.csv", b"\x89PNG\x00\x00\x00\rIHDR", "not a text file"),
    "malformed": ("trasig.csv", b'regsokod,varde\n0114R001,"1\n0114R002,2,3,4\n', "malformed"),
    "wrong type": ("data.parquet", b"PAR1", "unsupported file type"),
    "bad json-stat": ("x.json", b'{"version": "2.0", "class": "collection"}', "not a JSON-stat 2.0 dataset"),
    "swapped 2020 name": (
        "byte.csv",
        "RegSO 2020;Namn;Värde\n1275R002;Perstorp (Perstorp sydöstra tätorten);1\n"
        "1762R001;Munkfors (Munkerud-Munkebol);2\n0114R001;Upplands Väsby (Bollstanäs);3\n"
        "0114R002;Upplands Väsby (Hammarby-Vaxmyra);4\n".encode(),
        "swapped",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_exit_2_with_a_clear_message_and_nothing_lost(case, tmp_path, known, user_dir, capsys):
    # an earlier, good import is in place and must stay byte-identical
    good = tmp_path / "good.csv"
    pd.DataFrame({"regsokod": known[0].index[:5], "v": [1, 2, 3, 4, 5]}).to_csv(good, index=False)
    assert cli.main(["import", "indicators", str(good), "--year", "2024"]) == 0
    before = snapshot(user_dir)
    name, content, message = BAD_FILES[case]
    f = write(tmp_path, name, content)
    capsys.readouterr()
    assert cli.main(["import", "indicators", str(f), "--year", "2024"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert snapshot(user_dir) == before


def test_too_large_file_is_refused(tmp_path, known, monkeypatch):
    from geo_app.imports import reader as table_reader

    monkeypatch.setattr(table_reader, "MAX_BYTES", 10)
    f = write(tmp_path, "stor.csv", b"regsokod,varde\n0114R001,1\n")
    with pytest.raises(Exception, match="too large"):
        prepare(f, known)


def test_interrupted_save_leaves_the_store_identical(tmp_path, known, user_dir, monkeypatch):
    good = tmp_path / "first.csv"
    pd.DataFrame({"regsokod": known[0].index[:5], "v": range(5)}).to_csv(good, index=False)
    indicator_import.save_indicators(prepare(good, known, year=2024), user_dir)
    before = snapshot(user_dir)
    second = tmp_path / "second.csv"
    pd.DataFrame({"regsokod": known[0].index[5:9], "v": range(4)}).to_csv(second, index=False)
    imp = prepare(second, known, year=2024)

    def failing_audit(self, con, audit):  # the import row is written, then the transaction fails
        raise OSError("disk full")

    monkeypatch.setattr(store_backends.SqliteBackend, "_audit", failing_audit)
    with pytest.raises(OSError):
        indicator_import.save_indicators(imp, user_dir)
    assert snapshot(user_dir) == before


def test_file_without_year_gives_a_layer_without_years(tmp_path, known, user_dir):
    f = write(tmp_path, "utan_ar.csv", b"regsokod;v\n0114R001;1,5\n0114R002;2\n0114R003;\n")
    imp = prepare(f, known)
    assert imp.years == [] and imp.table["v"].tolist()[:2] == [1.5, 2.0]
    indicator_import.save_indicators(imp, user_dir)
    b = nm.publish_map(load_bundle(user_dir=user_dir))
    spec = b.layers["imp_utan_ar_v"]
    assert spec.years == () and nm.normalise_choice(b, nm.ViewChoice(spec.id, 2023)).year is None


def test_unmatched_rows_are_listed_and_can_be_allowed(tmp_path, known):
    f = write(tmp_path, "delvis.csv", b"regsokod,varde\n0114R001,1\n9999R999,2\n")
    imp = prepare(f, known, year=2024, allow_unmatched=True)
    assert len(imp.table) == 1 and imp.unmatched == [(3, "9999R999")]
    assert any("unmatched: row 3" in line for line in imp.summary())


def test_info_lists_imports_and_remove_takes_them_away(tmp_path, known, user_dir, capsys):
    f = tmp_path / "mina_siffror.csv"
    pd.DataFrame({"regsokod": known[0].index[:3], "v": [1, 2, 3]}).to_csv(f, index=False)
    assert cli.main(["import", "indicators", str(f), "--year", "2024"]) == 0
    capsys.readouterr()
    assert cli.main(["info", "--json"]) == 0
    info = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    imp = info["imp_mina_siffror"]
    assert imp["kind"] == "imported" and imp["rows"] == 3
    assert imp["extra"]["file"] == "mina_siffror.csv" and imp["extra"]["imported_at"]
    assert cli.main(["import", "remove", "mina_siffror"]) == 0
    assert user_store.list_imports(user_dir) == [] and not list((user_dir / "imports").glob("*.parquet"))
    assert cli.main(["import", "remove", "mina_siffror"]) == 2
