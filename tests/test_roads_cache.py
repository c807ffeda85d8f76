"""One cached road loader (``geo_app.data.roads.load_roads``) for pages, brief and CLI."""

from __future__ import annotations

import os
import threading

import pytest

from geo_app.data import roads as road_files
from geo_app.imports import roads as road_import
from tests.test_roads import LJUGARN, VISBY, hand_network


@pytest.fixture
def reads(monkeypatch, user_dir):
    """Count the road files actually read (the Parquet reader, monkeypatched)."""
    road_files.clear_cache()
    seen: list[str] = []
    real = road_files.read_parquet

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(road_files, "read_parquet", counting)
    yield seen
    road_files.clear_cache()


def test_second_call_is_the_same_object_until_the_files_change(reads, user_dir):
    first = road_files.load_roads()
    assert first is not None and "Gotland" in first.name
    assert road_files.load_roads() is first and reads == [road_files.EMBEDDED_NAME]
    # an import is a new network in use: read once, then cached
    target = road_import.save_roads(hand_network(), "hand")
    imported = road_files.load_roads()
    assert imported is not first and imported.name == "hand-built" and reads[-1] == "hand.parquet"
    assert road_files.load_roads() is imported and len(reads) == 2
    # the same file touched (a re-import of the same name keeps the path): read again
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = road_files.load_roads()
    assert again is not imported and len(reads) == 3
    # removed: back to the embedded network (read again, the cache holds one network)
    target.unlink()
    assert road_files.load_roads().name == first.name and len(reads) == 4


def test_threads_share_one_read(reads):
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(road_files.load_roads())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 4 and all(g is got[0] for g in got) and len(reads) == 1


def test_brief_page_and_cli_use_the_one_loader(reads, capsys):
    from geo_app.app import road_ui
    from geo_app.cli import main
    from geo_app.layers.bundle import load_bundle
    from geo_app.report.context import make_context

    ctx = make_context(load_bundle())
    assert "Gotland" in ctx.roads and reads == [road_files.EMBEDDED_NAME]
    assert make_context(load_bundle()).roads == ctx.roads  # a second brief: no new read
    page = road_ui.road_network()
    assert page is road_files.load_roads()
    route = ["route", "--from", "{},{}".format(*VISBY), "--to", "{},{}".format(*LJUGARN), "--format", "json"]
    assert main(route) == 0 and '"measure": "road"' in capsys.readouterr().out
    assert len(reads) == 1  # brief ×2, page and CLI: one read
