"""Two app replicas (two `geo-app serve` on two ports) sharing one PostgreSQL store: an import saved
through one replica is listed and drawn by the other — the compose.yaml topology without Docker."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from geo_app.app import credentials
from geo_app.data import loaders, paths
from tests.conftest import EDITOR_PASSWORD, free_port, new_pg_database, wait_http
from tests.helpers import editor_import

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas(pg_server, tmp_path_factory):
    url = new_pg_database(pg_server)
    procs, bases, logs = [], [], []
    for name in ("a", "b"):
        port = free_port()
        env = dict(
            os.environ,
            GEO_APP_DATABASE_URL=url,
            GEO_APP_DATA_DIR=str(tmp_path_factory.mktemp(f"data_{name}")),  # no shared files: only the database
            GEO_APP_CACHE_DIR=str(tmp_path_factory.mktemp(f"cache_{name}")),
            GEO_APP_EDITOR_PASSWORD_HASH=credentials.hash_password(EDITOR_PASSWORD),
        )
        log = (tmp_path_factory.mktemp(f"log_{name}") / "serve.log").open("w")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "geo_app.cli", "serve", "--port", str(port)],
                cwd=paths.REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        logs.append(log)
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            wait_http(base + "/_stcore/health", timeout=120)
        yield url, bases
    finally:
        for p in procs:
            p.terminate()
        for p, log in zip(procs, logs, strict=True):
            p.wait(timeout=30)
            log.close()


def test_an_import_through_one_replica_is_listed_and_drawn_by_the_other(replicas, page, tmp_path):
    url, (a, b) = replicas
    regso = loaders.load_regso()
    malmo = regso.index[regso["kommunkod"] == "1280"]
    f = tmp_path / "replik.csv"
    pd.DataFrame({"regsokod": malmo, "andel_pct": [i % 40 for i in range(len(malmo))]}).to_csv(f, index=False)

    editor_import(page, a, f, EDITOR_PASSWORD)

    # the other replica: listed on its Data page, in its audit log, and drawn on its map
    page.goto(b + "/data")
    page.get_by_text("replik – replik.csv", exact=False).wait_for(timeout=120_000)
    page.goto(b + "/?layer=imp_replik_andel_pct&kommun=1280")
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=120_000)
    badge = page.get_by_test_id("kind-badge")
    badge.wait_for(timeout=120_000)
    assert "Importerad" in badge.inner_text()
    # and the command line on the shared database agrees
    out = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "import", "log"],
        env=dict(os.environ, GEO_APP_DATABASE_URL=url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "password:editor" in out and "replik" in out
