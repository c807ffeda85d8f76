"""geo-app update-data against a local mirror (127.0.0.1 only) serving the APIs' own formats.

The mirror answers like SCB's PxWeb API v2 (``/config``, ``/tables``, ``POST /tables/{id}/data`` →
JSON-stat 2.0, RegSO codes with the ``_RegSO2025`` suffix) and Kolada's API v3 (``/data/`` →
``values`` with per-gender entries). Each test can make it misbehave: a status code (429, 503), a
missing area, a renamed content code. Nothing here touches the internet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from geo_app.imports import refresh

AREAS = ["0114R001", "0114R002", "0180R001"]
KOMMUNER = ["0114", "0180"]
VALUES = {"0000089W": 10.0, "0000089V": 200.0, "000008IT": 7.5, "000008IU": 3.0, "000007Y7": 2500.0}


def jsonstat2(table: str, selection: list[dict], drop_area: str = "", rename: dict | None = None) -> dict:
    """A JSON-stat 2.0 dataset as SCB's data endpoint returns it, for the asked selection."""
    rename = rename or {}
    dims = {s["variableCode"]: [c for c in s["valueCodes"] if not c.startswith(drop_area or "\0")] for s in selection}
    ids = list(dims)
    dimension = {
        d: {
            "label": {"Region": "region", "ContentsCode": "tabellinnehåll", "Tid": "år"}.get(d, d.lower()),
            "category": {
                "index": {rename.get(c, c): i for i, c in enumerate(codes)},
                "label": {rename.get(c, c): f"label {c}" for c in codes},
            },
        }
        for d, codes in dims.items()
    }
    values = []

    def walk(i: int, cell: dict) -> None:
        if i == len(ids):
            values.append(VALUES.get(cell.get("ContentsCode", ""), 1.0))
            return
        for c in dims[ids[i]]:
            walk(i + 1, {**cell, ids[i]: c})

    walk(0, {})
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table} (mirror)",
        "source": "Statistiska centralbyrån, SCB",
        "updated": "2025-06-01T06:00:00Z",
        "id": ids,
        "size": [len(dims[d]) for d in ids],
        "dimension": dimension,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "value": values,
        "extension": {"px": {"tableid": table}},
    }


class Mirror:
    """A local HTTP server for SCB (/scb) and Kolada (/kolada) with switchable faults."""

    def __init__(self) -> None:
        self.status: dict[str, int] = {}  # path prefix → status to answer with
        self.drop_area = ""
        self.rename: dict[str, str] = {}
        self.drop_kommun = ""
        self.kommuner = KOMMUNER
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, code: int, body: dict) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _fault(self) -> bool:
                for prefix, code in mirror.status.items():
                    if self.path.startswith(prefix):
                        self._send(code, {"title": "mirror fault", "status": code})
                        return True
                return False

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self._fault():
                    return
                url = urlparse(self.path)
                if url.path == "/scb/config":
                    self._send(
                        200,
                        {
                            "apiVersion": "2.0.0",
                            "defaultLanguage": "sv",
                            "maxDataCells": 150000,
                            "maxCallsPerTimeWindow": 30,
                            "timeWindow": 10,
                        },
                    )
                elif url.path == "/scb/tables":
                    self._send(200, {"page": {"totalElements": 3}})
                elif url.path.startswith("/kolada/data"):
                    q = parse_qs(url.query)
                    rows = [
                        {
                            "kpi": q["kpi_id"][0],
                            "municipality": k,
                            "period": int(q["year"][0]),
                            "values": [{"gender": "T", "value": 3.5, "count": 1}],
                        }
                        for k in mirror.kommuner
                        if k != mirror.drop_kommun
                    ]
                    self._send(200, {"count": len(rows), "values": rows})
                else:
                    self._send(404, {"title": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                if self._fault():
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                table = self.path.split("/")[3]
                self._send(200, jsonstat2(table, body["selection"], mirror.drop_area, mirror.rename))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def options(self) -> refresh.RefreshOptions:
        return refresh.RefreshOptions(
            year=2024, regso=AREAS, kommuner=KOMMUNER, scb_url=self.url + "/scb", kolada_url=self.url + "/kolada/"
        )


@pytest.fixture
def mirror():
    m = Mirror()
    yield m
    m.server.shutdown()
    m.server.server_close()


def test_refresh_reads_every_table_from_the_mirror(mirror, tmp_path):
    fetched = {f.key: f for f in refresh.refresh(mirror.options())}
    assert set(fetched) == {"scb_bas", "scb_index", "scb_population", "kolada_N03937"}
    bas = fetched["scb_bas"].frame
    assert list(bas.index) == AREAS and (bas["arbetsloshet_bas_pct"] == 5.0).all()  # 10 / 200 unemployed
    assert (fetched["scb_index"].frame["omradestyp"] == 3).all()
    assert (fetched["kolada_N03937"].frame["arbetsloshet_pct"] == 3.5).all()
    out = refresh.write_refresh(list(fetched.values()), tmp_path / "refresh", date(2026, 12, 6))
    prov = json.loads((out / "provenance.json").read_text("utf-8"))
    assert prov["scb_bas"]["url"] == mirror.url + "/scb/tables/TAB6680/data"
    assert prov["scb_bas"]["retrieved"] == "2026-12-06" and len(prov["scb_bas"]["sha256"]) == 64
    assert (out / "scb_bas.csv").read_text("utf-8").startswith("regsokod,arbetsloshet_bas_pct\n0114R001,5.0")


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            lambda m: m.status.__setitem__("/scb/tables/TAB6680", 429),
            "SCB TAB6680: Error 429: Too Many Requests (rate limited",
        ),
        (lambda m: m.status.__setitem__("/scb/tables/TAB6586", 503), "SCB TAB6586: Error 503"),
        (lambda m: m.status.__setitem__("/scb/config", 500), "SCB API at"),
        (lambda m: m.status.__setitem__("/kolada/", 502), "Kolada N03937:"),
        (lambda m: setattr(m, "drop_area", "0180R001"), "SCB TAB6680: 1 RegSO 2025 areas missing, e.g. ['0180R001']"),
        (lambda m: setattr(m, "drop_kommun", "0180"), "Kolada N03937 2024: 1 kommuner missing, e.g. ['0180']"),
        (lambda m: m.rename.__setitem__("0000089W", "0000089X"), "SCB TAB6680: content codes ['0000089W'] missing"),
    ],
)
def test_refresh_refuses_faults_clearly_and_writes_nothing(mirror, tmp_path, fault, message):
    out = tmp_path / "refresh"
    out.mkdir()
    (out / "scb_bas.csv").write_text("earlier refresh\n", "utf-8")
    fault(mirror)
    with pytest.raises(refresh.RefreshError) as err:
        refresh.write_refresh(refresh.refresh(mirror.options()), out, date(2026, 12, 6))
    assert message in str(err.value)
    assert (out / "scb_bas.csv").read_text("utf-8") == "earlier refresh\n"  # the earlier folder untouched


def test_cli_update_data_dry_run_against_the_mirror_leaves_data_in_use_untouched(mirror, tmp_path):
    from geo_app.data import loaders, paths

    mirror.kommuner = sorted(loaders.load_kommun().index)
    manifest = (paths.EMBEDDED_DATA_DIR / "manifest.json").read_bytes()
    out = tmp_path / "refresh"
    cmd = [sys.executable, "-m", "geo_app.cli", "update-data", "--base-url", mirror.url, "--out", str(out)]
    proc = subprocess.run([*cmd, "--dry-run", "--quiet"], capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["scb_bas"]["arbetsloshet_bas_pct"]["compared"] == 3363.0
    assert summary["scb_bas"]["arbetsloshet_bas_pct"]["changed"] > 3000  # the mirror's 5 % everywhere
    assert "dry run: nothing written" in proc.stderr and not out.exists()
    mirror.status["/scb/tables/TAB6574"] = 503
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 2 and "geo-app: error: SCB TAB6574: Error 503" in proc.stderr
    assert not out.exists() and (paths.EMBEDDED_DATA_DIR / "manifest.json").read_bytes() == manifest


def test_update_data_help_names_sources_mirror_and_dry_run():
    proc = subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "update-data", "--help"], capture_output=True, text=True, check=True
    )
    for word in ("PxWeb", "Kolada", "TAB6680", "N03937", "--base-url", "--dry-run", "provenance.json"):
        assert word in proc.stdout
