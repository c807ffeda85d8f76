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
        pytest.skip(f"raw data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def bundle():
    from geo_app.views.map_view import load_bundle

    return load_bundle()


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
    port = free_port()
    env = dict(os.environ, GEO_APP_DATA_DIR=str(tmp_path_factory.mktemp("userdata")))
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
    return d
