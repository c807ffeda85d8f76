"""Operations: allowed hosts on the websocket, JSON-line logs with error ids, pruning of generated files."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import urllib.parse

from geo_app.app import logs
from geo_app.views import static_files


def websocket_status(base: str, host: str, origin: str) -> str:
    """The status line the server answers to a websocket upgrade with the given Host and Origin."""
    url = urllib.parse.urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        s.sendall(
            (
                "GET /_stcore/stream HTTP/1.1\r\n"
                f"Host: {host}\r\nOrigin: {origin}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        return s.recv(200).decode("latin-1").split("\r\n", 1)[0]


def test_websocket_refuses_a_foreign_host(app_server):
    port = urllib.parse.urlparse(app_server).port
    assert " 101 " in websocket_status(app_server, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
    refused = websocket_status(app_server, "evil.example", "http://evil.example")
    assert " 101 " not in refused and refused.startswith("HTTP/1.1 4")


def test_errors_are_logged_as_json_lines_with_an_id(capsys):
    logger = logging.getLogger("geo_app")
    saved = logger.handlers[:], logger.propagate
    logger.handlers = []
    try:
        logs.configure()
        try:
            raise ValueError("boom /secret/path")
        except ValueError as exc:
            error_id = logs.log_error(exc, "karta")
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["error_id"] == error_id and record["level"] == "ERROR" and record["page"] == "karta"
        assert "ValueError: boom" in record["exc"]
        assert len(error_id) == 10 and "/secret" not in error_id
    finally:
        logger.handlers, logger.propagate = saved


def test_prune_removes_old_and_excess_generated_files(tmp_path):
    gen = tmp_path / "gen"
    gen.mkdir()
    old, new, tmp = gen / "regso-old.json", gen / "regso-new.json", gen / ".tmp-x"
    for f in (old, new, tmp):
        f.write_bytes(b"x" * 1000)
    week_ago = time.time() - 8 * 86400
    os.utime(old, (week_ago, week_ago))
    os.utime(tmp, (week_ago, week_ago))
    assert static_files.prune(tmp_path) == 2
    assert sorted(p.name for p in gen.iterdir()) == ["regso-new.json"]
    url = static_files.publish(b"{}", "a", tmp_path)
    assert (tmp_path / url.removeprefix("app/static/")).exists()
    assert static_files.prune(tmp_path, max_bytes=10) == 1  # the oldest goes first, until the rest fits
    assert [p.name for p in gen.iterdir()] == [url.rsplit("/", 1)[1]]
