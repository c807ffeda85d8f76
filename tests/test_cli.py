"""The geo-app command line: exit codes and messages."""

import json
import subprocess
import sys

from geo_app.cli import main
from geo_app.data import paths


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "geo_app.cli", *args], capture_output=True, text=True, **kw)


def test_info_json_lists_the_catalogue():
    proc = run("info", "--json")
    assert proc.returncode == 0
    ids = {d["id"] for d in json.loads(proc.stdout)}
    assert {"regso_2025", "omradestyp", "befolkning"} <= ids


def test_info_text(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "omradestyp" in out and "CC0" in out


def test_build_data_with_missing_source_exits_2(tmp_path):
    out = tmp_path / "out"
    proc = run("build-data", "--source", str(tmp_path / "nowhere"), "--out", str(out))
    assert proc.returncode == 2
    assert "source directory not found" in proc.stderr
    assert not out.exists()


def test_build_data_with_broken_source_leaves_output_untouched(tmp_path):
    src = tmp_path / "src"
    (src / "boundaries").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "regso.parquet").write_bytes(b"keep me")
    proc = run("build-data", "--source", str(src), "--out", str(out))
    assert proc.returncode == 2
    assert "RegSO_2025.gpkg" in proc.stderr
    assert (out / "regso.parquet").read_bytes() == b"keep me"


def test_unknown_command_exits_2():
    assert run("frobnicate").returncode == 2


def test_missing_embedded_data_is_a_clear_error(tmp_path):
    import os

    proc = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "info"],
        capture_output=True,
        text=True,
        env={**os.environ, "GEO_APP_EMBEDDED_DIR": str(tmp_path)},
    )
    assert proc.returncode == 2
    assert "geo-app build-data" in proc.stderr


def test_serve_applies_the_hardened_config_unless_the_environment_says_otherwise(tmp_path):
    from geo_app.app import serve_config

    env = serve_config.serve_environment({"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}, tmp_path)
    assert env["STREAMLIT_SERVER_ADDRESS"] == "0.0.0.0"  # the operator's environment wins
    assert env["STREAMLIT_SERVER_PORT"] == "8501"
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert env["STREAMLIT_SERVER_ENABLE_STATIC_SERVING"] == "true"
    assert env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] == "none"
    assert env["STREAMLIT_SERVER_ALLOWED_HOSTS"] == "localhost 127.0.0.1"
    assert env["GEO_APP_STATIC_DIR"] == str(tmp_path)


def test_streamlit_run_reads_the_same_settings_as_serve():
    from geo_app.app import serve_config
    from geo_app.imports import reader

    repo_config = paths.REPO_ROOT / ".streamlit" / "config.toml"
    assert repo_config.read_bytes() == serve_config.CONFIG.read_bytes()
    config = serve_config.load_config()
    assert config["server"]["maxUploadSize"] * reader.MB == reader.MAX_BYTES == max(reader.SIZE_LIMITS.values())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True


def test_user_data_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_APP_DATA_DIR", str(tmp_path))
    assert paths.user_data_dir() == tmp_path


def test_gaps_area_and_kommun_tables(tmp_path):
    import pandas as pd

    # No indicator: all type 1–2 areas. Areas beyond 30 km from a known office are either gaps or
    # "presence unknown" (never a gap that rests on an unknown), and the summary on stderr counts both.
    tables = {}
    for by in ("area", "unknown"):
        out = tmp_path / f"gaps_{by}.csv"
        proc = run("gaps", "--types", "1,2", "--indicator", "none", "--max-km", "30", "--by", by, "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        tables[by] = pd.read_csv(out, dtype={"regsokod": str, "kommunkod": str})
        assert (tables[by]["dist_km_any"] > 30).all() and set(tables[by]["omradestyp_2023"]) <= {1, 2}
    assert len(tables["unknown"]) > 0 and not set(tables["area"]["regsokod"]) & set(tables["unknown"]["regsokod"])
    assert f"{len(tables['area'])} gaps, {len(tables['unknown'])} more areas where presence is unknown" in proc.stderr
    proc = run("gaps", "--by", "kommun", "--format", "json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)["data"]
    assert rows and {"kommunnamn", "areas", "population", "has_af", "has_ssc"} <= set(rows[0])


def test_gaps_bad_options_exit_2():
    for args in (
        ["--types", "1,9"],
        ["--agencies", "xyz"],
        ["--max-km", "-1"],
        ["--indicator", "nope", "--above", "3"],
    ):
        proc = run("gaps", *args)
        assert proc.returncode == 2, args
        assert "geo-app: error:" in proc.stderr
