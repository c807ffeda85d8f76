"""Shared fixtures: real data paths, the data bundle, a running app server, a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from geo_app.data import paths

SHARED = paths.DEFAULT_SOURCE_DIR
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
EDITOR_PASSWORD = "test-editor-lösen"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw inputs beside the repo (CI has them; a bare clone may not)."""
    if not (SHARED / "boundaries" / "RegSO_2025.gpkg").exists():
        pytest.skip(f"needs the raw inputs in ../shared/data ({SHARED} not found); CI has them, a bare clone may not")
    return SHARED


@pytest.fixture(scope="session")
def office_frames():
    """What ``prepare_offices`` checks an office file against, in its argument order.

    Areas, kommuner, län, towns, postal codes.
    """
    from geo_app.data import loaders

    return (
        loaders.load_regso(),
        loaders.load_kommun(),
        loaders.load_lan(),
        loaders.load_towns(),
        loaders.load_postal_codes(),
    )


@pytest.fixture(scope="session")
def bundle():
    from geo_app.layers.bundle import load_bundle
    from geo_app.views.map_view import publish_map

    return publish_map(load_bundle())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """``geo-app serve`` on a free port, with an empty user data directory."""
    from geo_app.app import credentials

    port = free_port()
    env = dict(
        os.environ,
        GEO_APP_DATA_DIR=str(tmp_path_factory.mktemp("userdata")),
        GEO_APP_CACHE_DIR=str(tmp_path_factory.mktemp("cache")),
        GEO_APP_EDITOR_PASSWORD_HASH=credentials.hash_password(EDITOR_PASSWORD),
    )
    env.pop("GEO_APP_DATABASE_URL", None)
    log = open(tmp_path_factory.mktemp("log") / "serve.log", "w")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo_app.cli", "serve", "--port", str(port)],
        cwd=paths.REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium (./dev test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """An empty user data directory (imports) for one test, set as GEO_APP_DATA_DIR."""
    d = tmp_path / "user"
    monkeypatch.setenv("GEO_APP_DATA_DIR", str(d))
    monkeypatch.delenv("GEO_APP_DATABASE_URL", raising=False)
    return d


# -- PostgreSQL for the store tests -----------------------------------------------------------------
# A throwaway server (initdb into a temp dir, pg_ctl start) when Debian's PostgreSQL binaries exist.
# Without them the PostgreSQL variants are skipped — unless GEO_APP_REQUIRE_POSTGRES=1 (set by
# .ci/run), which turns the skip into a failure so CI always runs them.


def _pg_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def pg_server():
    """Base URL of a PostgreSQL server started for this test session."""
    import pwd
    import shutil
    import tempfile

    bindir = _pg_bindir()
    if bindir is None:
        if os.environ.get("GEO_APP_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL binaries missing (apt-get install postgresql postgis); CI requires them")
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="geo-pg-", dir="/tmp"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data, log = root / "data", root / "server.log"
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400"
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)


def new_pg_database(base_url: str) -> str:
    """A fresh, empty database on the test server; returns its URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return base_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def store_dir(request, tmp_path, monkeypatch):
    """An empty import store on each backend: the data dir (and GEO_APP_DATABASE_URL for PostgreSQL)."""
    d = tmp_path / "user"
    monkeypatch.setenv("GEO_APP_DATA_DIR", str(d))
    if request.param == "postgres":
        monkeypatch.setenv("GEO_APP_DATABASE_URL", new_pg_database(request.getfixturevalue("pg_server")))
    else:
        monkeypatch.delenv("GEO_APP_DATABASE_URL", raising=False)
    yield d
    from geo_app.data import user_store

    user_store.close_all()


def pytest_collection_modifyitems(config, items):
    """Browser tests drive a real Chromium with software WebGL: one retry absorbs a machine hiccup.

    A test that fails twice still fails; the benchmarks, not these tests, hold the speed budgets.
    """
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=5))
