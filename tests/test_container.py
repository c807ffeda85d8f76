"""The container topology for real (compose.yaml: PostgreSQL/PostGIS, two app replicas, nginx).

Run by ``./dev container-test`` (deploy/container-test.sh), which builds the images, starts the
topology under the compose project ``NARVARO_CONTAINER_PROJECT`` and removes it afterwards; without
that project these tests are skipped. The tests run in file order and build on each other: the
import made through replica A is what the kill -9 test expects to survive.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pandas as pd
import pytest

from geo_app.data import loaders, paths
from tests.helpers import editor_import

PROJECT = os.environ.get("NARVARO_CONTAINER_PROJECT", "")
EDITOR_PASSWORD = os.environ.get("NARVARO_EDITOR_PASSWORD", "")
IMPORT_NAME = "containertest"
pytestmark = pytest.mark.skipif(not PROJECT, reason="needs the running topology: ./dev container-test")


def compose(*args: str) -> str:
    """Run docker-compose on the test's project; returns stdout."""
    cmd = ["docker-compose", "-p", PROJECT, "-f", "compose.yaml", "-f", "deploy/compose.test.yaml", *args]
    return subprocess.run(cmd, cwd=paths.REPO_ROOT, capture_output=True, text=True, check=True).stdout


def container(service: str) -> str:
    return compose("ps", "-q", service).strip()


def url(service: str, port: int) -> str:
    """``http://127.0.0.1:N``: the service's published port."""
    host_port = compose("port", service, str(port)).strip().rsplit(":", 1)[1]
    return f"http://127.0.0.1:{host_port}"


def inspect(service: str, template: str) -> str:
    out = subprocess.run(["docker", "inspect", "-f", template, container(service)], capture_output=True, text=True)
    return out.stdout.strip()


def in_container(service: str, *cmd: str) -> str:
    out = subprocess.run(["docker", "exec", container(service), *cmd], capture_output=True, text=True, check=True)
    return out.stdout


def get(address: str, opener: urllib.request.OpenerDirector | None = None) -> tuple[int, str]:
    with (opener or urllib.request.build_opener()).open(address, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def upstreams(probe: str) -> list[str]:
    """The replica (``IP:port``) nginx sent each request carrying ``probe`` to, from its access log."""
    logs = subprocess.run(["docker", "logs", container("proxy")], capture_output=True, text=True).stdout
    return re.findall(rf"{probe}\S* HTTP/1\.1\" \d+ \d+ upstream=(\S+)", logs)


def imports(service: str) -> list[dict[str, object]]:
    return json.loads(in_container(service, "geo-app", "import", "list", "--json"))


def wait_healthy(service: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while inspect(service, "{{.State.Health.Status}}") != "healthy":
        if time.monotonic() > deadline:
            pytest.fail(f"{service} not healthy after {timeout:.0f} s")
        time.sleep(1)


@pytest.fixture(scope="module")
def proxy() -> str:
    return url("proxy", 80)


def test_health_is_200_through_the_proxy_and_the_store_is_postgis(proxy):
    assert get(proxy + "/_stcore/health") == (200, "ok")
    version = in_container("db", "psql", "-U", "narvaro", "-d", "narvarokartan", "-tAc", "SELECT postgis_lib_version()")
    assert version.strip().startswith("3.")
    for service in ("app1", "app2"):
        env = in_container(service, "env")
        assert "GEO_APP_DATABASE_URL=postgresql://narvaro:" in env
        assert in_container(service, "id", "-u").strip() == "10001"  # not root


def test_the_proxy_keeps_a_browser_on_one_replica_and_spreads_new_ones(proxy):
    probe = uuid.uuid4().hex
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for i in range(10):
        assert get(f"{proxy}/?p={probe}a{i}", browser)[0] == 200
    assert [c.name for c in jar] == ["narvaro_affinity"]
    assert len(set(upstreams(probe + "a"))) == 1, upstreams(probe + "a")
    for i in range(16):  # 16 browsers without the cookie: both replicas get some (chance of not: 2^-15)
        get(f"{proxy}/?p={probe}b{i}")
    assert len(set(upstreams(probe + "b"))) == 2, upstreams(probe + "b")


def test_the_replicas_never_ask_an_outside_service_for_their_address():
    for service in ("app1", "app2"):
        logs = subprocess.run(["docker", "logs", container(service)], capture_output=True, text=True)
        assert "external IP" not in logs.stdout + logs.stderr


def test_an_editors_import_on_replica_a_is_listed_on_replica_b(page, tmp_path: Path):
    a, b = url("app1", 8501), url("app2", 8501)
    regso = loaders.load_regso()
    areas = regso.index[regso["kommunkod"] == "1280"]
    f = tmp_path / f"{IMPORT_NAME}.csv"
    pd.DataFrame({"regsokod": areas, "andel_pct": [i % 40 for i in range(len(areas))]}).to_csv(f, index=False)

    editor_import(page, a, f, EDITOR_PASSWORD)

    page.goto(b + "/data")  # replica B's running server lists it
    page.get_by_text(f"{IMPORT_NAME} – {f.name}", exact=False).wait_for(timeout=120_000)
    assert [e["id"] for e in imports("app2")] == [IMPORT_NAME]
    assert "password:" in in_container("app2", "geo-app", "import", "log")


def indicator_csv(path: Path, columns: int) -> Path:
    """An indicator file for every area: ``columns`` value columns (many make a slow import)."""
    codes = loaders.load_regso().index
    values = {f"v{i:03d}": (pd.RangeIndex(len(codes)) + i) % 100 for i in range(columns)}
    pd.DataFrame({"regsokod": codes, **values}).to_csv(path, index=False)
    return path


def cli_import(service: str, csv: Path, name: str) -> list[str]:
    """``docker exec`` argv of an operator's import of ``csv`` (copied into the container) as ``name``."""
    subprocess.run(["docker", "cp", str(csv), f"{container(service)}:/tmp/{csv.name}"], check=True)
    argv = ["geo-app", "import", "indicators", f"/tmp/{csv.name}", "--name", name, "--year", "2024"]
    return ["docker", "exec", container(service), *argv]


def test_kill_9_of_a_replica_mid_session_leaves_the_other_serving_and_the_store_intact(page, proxy, tmp_path):
    before = imports("app1")
    probe = uuid.uuid4().hex
    page.goto(f"{proxy}/data?p={probe}")  # a browser session through the proxy …
    listed = page.get_by_text(f"{IMPORT_NAME} – {IMPORT_NAME}.csv", exact=False)
    listed.wait_for(timeout=120_000)
    (upstream,) = set(upstreams(probe))
    ips = {s: inspect(s, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}") for s in ("app1", "app2")}
    victim = next(s for s, ip in ips.items() if upstream.startswith(ip + ":"))
    survivor = "app2" if victim == "app1" else "app1"
    # … and an operator's import running on the same replica (450 columns: seconds of work)
    slow = cli_import(victim, indicator_csv(tmp_path / "halvvags.csv", 450), "halvvags")
    importing = subprocess.Popen(slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    assert importing.poll() is None, "the import finished before the kill: make it slower"

    os.kill(int(inspect(victim, "{{.State.Pid}}")), signal.SIGKILL)  # the replica dies mid-session
    importing.wait(timeout=60)
    for _ in range(10):
        assert get(proxy + "/_stcore/health") == (200, "ok")
    page.reload()  # the same browser, now on the survivor
    listed.wait_for(timeout=120_000)
    assert imports(survivor) == before  # nothing half-imported
    assert in_container("db", "pg_isready", "-h", "127.0.0.1").strip().endswith("accepting connections")
    # the killed replica left no lock behind: the next import goes through
    after = cli_import(survivor, indicator_csv(tmp_path / "efter.csv", 2), "efter")
    subprocess.run(after, check=True, capture_output=True, timeout=180)
    assert [e["id"] for e in imports(survivor)] == [e["id"] for e in before] + ["efter"]

    wait_healthy(victim)  # restart: unless-stopped brings it back, on the same store
    assert int(inspect(victim, "{{.RestartCount}}")) >= 1
    assert imports(victim) == imports(survivor)
