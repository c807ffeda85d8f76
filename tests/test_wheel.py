"""The wheel carries the embedded data and runs outside the repository, in a fresh virtual environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from geo_app.data import paths
from tests.conftest import free_port, wait_http


def test_the_wheel_lists_every_sub_package():
    with (paths.REPO_ROOT / "pyproject.toml").open("rb") as fh:
        listed = set(tomllib.load(fh)["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(paths.REPO_ROOT).parts)
        for p in paths.PACKAGE_DIR.rglob("__init__.py")
        if "_embedded" not in p.parts
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv outside the repo with the built wheel, dependencies pinned by ``requirements.lock``.

    Online: uv takes what its cache holds and fetches the rest from the registry, so the test passes with an
    empty cache (``UV_CACHE_DIR`` pointing at a new folder) as on a developer machine.
    """
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheel (./dev setup installs it)")
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([uv, "build", "--wheel", "-q", "-o", str(root / "dist"), str(paths.REPO_ROOT)], check=True)
    wheel = next((root / "dist").glob("*.whl"))
    venv = root / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel),
         "-c", str(paths.REPO_ROOT / "requirements.lock")],
        check=True,
    )  # fmt: skip
    work = root / "elsewhere"
    work.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GEO_APP_", "PYTHON", "VIRTUAL_ENV")) and k != "PYTHONPATH"
    }
    env.update(GEO_APP_DATA_DIR=str(root / "user"), GEO_APP_CACHE_DIR=str(root / "cache"))
    return venv / "bin", work, env


def test_installed_wheel_runs_info_and_export_outside_the_repo(installed):
    bindir, work, env = installed
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import geo_app.data.paths as p; print(p.EMBEDDED_DATA_DIR, p.PAGES_DIR)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "site-packages/geo_app/_embedded/regso" in where and str(paths.REPO_ROOT) not in where
    info = subprocess.run(
        [str(bindir / "geo-app"), "info", "--json"], cwd=work, env=env, capture_output=True, text=True, check=True
    )
    assert {"omradestyp", "befolkning"} <= {d["id"] for d in json.loads(info.stdout)}
    out = subprocess.run(
        [str(bindir / "geo-app"), "export", "malmo.gpkg", "--kommun", "1280", "--layers", "omraden,kontor"],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (work / "malmo.gpkg").stat().st_size > 100_000


def test_installed_wheel_serves_the_app(installed):
    bindir, work, env = installed
    port = free_port()
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(bindir / "geo-app"), "serve", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=120)
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
        launcher = Path(env["GEO_APP_CACHE_DIR"]) / "app" / "main.py"
        assert launcher.exists() and (launcher.parent / "static" / "gen").is_dir()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
