"""Road network files: Pipos' binary road network, and the compact Parquet form the app keeps.

Pipos "Tillgänglighetsvägnät" binary (little-endian; ``.bin`` or a ``.zip`` holding one ``.bin``)::

    uint32 magic 0x9596, uint32 edges, uint32 segments
    per edge: float32 metres, uint8 speed forward, uint8 speed backward, uint32 attribute,
              uint32 n, n × (float32 x1, y1, x2, y2)  (EPSG:3006; the edge runs first → last point)

The header's counts fix the file size (12 + 14 × edges + 16 × segments bytes), so a truncated
or padded file is refused before any parsing. Reading is vectorised: one pass finds the record
offsets, then numpy gathers the per-edge fields and drops the headers from the coordinate bytes.

The kept form (``roads_*.parquet``): one row per edge, ``length_m`` float32, ``speed_fwd``,
``speed_bwd`` uint8, ``attr`` uint32, ``x``, ``y`` list<float32> (the edge's vertices), the
network's name in the schema metadata. It round-trips the binary exactly (coordinates are
float32 there too) and is what ``geo-app build-data`` writes for Gotland.
"""

from __future__ import annotations

import os
import struct
import threading
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from geo_app.analysis.roads import EDGES, RoadNetwork, validate
from geo_app.data.paths import embedded_data_dir, user_data_dir
from geo_app.errors import DataMissingError, InputError, where

PIPOS_MAGIC = 0x9596
HEADER = struct.Struct("<III")
EDGE_HEAD = np.dtype([("length", "<f4"), ("fwd", "u1"), ("bwd", "u1"), ("attr", "<u4"), ("n", "<u4")])
MAX_EDGES = 20_000_000  # Sweden's network is ≈ 2 M edges; ten times that is not a road network
MAX_SEGMENTS = 200_000_000
MAX_BIN_BYTES = 4 * 1024**3
BLOCK = 250_000  # edges per block when gathering a large file
EMBEDDED_NAME = "roads_gotland.parquet"
GOTLAND_SOURCE = "roads/Tillganglighetsvagnat_240101_gotland.zip"
GOTLAND_TITLE = "Pipos Tillgänglighetsvägnät (Tillväxtverket, NVDB), Gotland 2024-01-01"
USER_ROADS = "roads"  # folder under the user data dir holding imported networks (Parquet)


def _pipos_bytes(path: Path) -> bytes:
    """The ``.bin`` bytes of a Pipos file, unpacked from a ``.zip`` when needed (sizes checked first)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".bin")]
            if len(members) != 1:
                raise InputError(f"{path.name}: the zip must hold exactly one .bin file, found {len(members)}")
            if members[0].file_size > MAX_BIN_BYTES:
                raise InputError(
                    f"{path.name}: {members[0].filename} unpacks to {members[0].file_size:,} bytes (limit 4 GB)"
                )
            return archive.read(members[0])
    if path.stat().st_size > MAX_BIN_BYTES:
        raise InputError(f"{path.name}: {path.stat().st_size:,} bytes (limit 4 GB)")
    return path.read_bytes()


def _record_offsets(buf: bytes, edges: int, name: str) -> np.ndarray:
    """Byte offset of every edge record (one sequential pass over the counts)."""
    offsets = np.empty(edges + 1, dtype=np.int64)
    count = struct.Struct("<I").unpack_from
    off, end = HEADER.size, len(buf)
    for i in range(edges):
        offsets[i] = off
        if off + EDGE_HEAD.itemsize > end:
            raise InputError(f"{where(name, i, origin=EDGES)}: the file ends inside the edge record")
        off += EDGE_HEAD.itemsize + 16 * count(buf, off + 10)[0]
    offsets[edges] = off
    if off != end:
        raise InputError(
            f"{where(name, edges - 1, origin=EDGES)}: the records end at byte {off:,}, the file at {end:,}"
        )
    return offsets


def read_pipos(path: Path, name: str | None = None) -> RoadNetwork:
    """Read Pipos' binary road network (``.bin`` or ``.zip``) into a :class:`RoadNetwork`.

    Raises
    ------
    InputError
        Wrong magic number, counts beyond the limits or not matching the file size, an edge
        without segments, non-finite numbers, coordinates outside Sweden — naming file and edge.
    """
    path = Path(path)
    buf = _pipos_bytes(path)
    label = path.name
    if len(buf) < HEADER.size:
        raise InputError(f"{label}: {len(buf)} bytes is too short for a Pipos road network")
    magic, edges, segments = HEADER.unpack_from(buf, 0)
    if magic != PIPOS_MAGIC:
        raise InputError(f"{label}: not a Pipos road network (magic {magic:#x}, expected {PIPOS_MAGIC:#x})")
    if edges == 0 or edges > MAX_EDGES or segments > MAX_SEGMENTS:
        raise InputError(f"{label}: {edges:,} edges / {segments:,} segments (limits {MAX_EDGES:,} / {MAX_SEGMENTS:,})")
    expected = HEADER.size + EDGE_HEAD.itemsize * edges + 16 * segments
    if expected != len(buf):
        raise InputError(
            f"{label}: header says {edges:,} edges, {segments:,} segments = {expected:,} bytes; file has {len(buf):,}"
        )
    offsets = _record_offsets(buf, edges, label)
    heads, coords, vertex_offsets = _gather(np.frombuffer(buf, dtype=np.uint8), offsets, label)
    del buf
    network = RoadNetwork(
        name=name or label,
        coords=coords,
        offsets=vertex_offsets,
        length_m=heads["length"].astype(np.float32),
        speed_fwd=heads["fwd"].astype(np.uint8),
        speed_bwd=heads["bwd"].astype(np.uint8),
        attr=heads["attr"].astype(np.uint32),
    )
    validate(network, label)
    return network


def _gather(raw: np.ndarray, offsets: np.ndarray, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edge headers, vertex coordinates and vertex offsets, block by block (bounded temporaries)."""
    edges = len(offsets) - 1
    heads = np.empty(edges, dtype=EDGE_HEAD)
    for a in range(0, edges, BLOCK):
        index = offsets[a : min(a + BLOCK, edges), None] + np.arange(EDGE_HEAD.itemsize)
        heads[a : a + BLOCK] = raw[index].view(EDGE_HEAD).ravel()
    n = heads["n"].astype(np.int64)
    empty = np.flatnonzero(n == 0)
    if len(empty):
        raise InputError(f"{where(label, int(empty[0]), origin=EDGES)}: no segments ({len(empty)} edge(s))")
    vertex_offsets = np.r_[0, np.cumsum(n + 1)].astype(np.int64)
    coords = np.empty((int(vertex_offsets[-1]), 2), dtype=np.float64)
    for a in range(0, edges, BLOCK):
        b = min(a + BLOCK, edges)
        lo, hi = int(offsets[a]), int(offsets[b])
        keep = np.ones(hi - lo, dtype=bool)
        keep[((offsets[a:b] - lo)[:, None] + np.arange(EDGE_HEAD.itemsize)).ravel()] = False
        segs = raw[lo:hi][keep].view("<f4").reshape(-1, 4)
        coords[vertex_offsets[a] : vertex_offsets[b]] = _vertices(segs, n[a:b])
    return heads, coords, vertex_offsets


def _vertices(segs: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Vertices of each edge from its segments: the first segment's start, then every segment's end."""
    seg_start = np.r_[0, np.cumsum(n)[:-1]]
    first_vertex = seg_start + np.arange(len(n))  # each earlier edge has one vertex more than segments
    coords = np.empty((len(segs) + len(n), 2), dtype=np.float64)
    coords[first_vertex] = segs[seg_start, :2]
    mask = np.ones(len(coords), dtype=bool)
    mask[first_vertex] = False
    coords[mask] = segs[:, 2:]
    return coords


def pipos_bytes(network: RoadNetwork) -> bytes:
    """``network`` in Pipos' binary layout (each pair of consecutive vertices one segment; vectorised)."""
    n = np.diff(network.offsets) - 1
    heads = np.empty(network.n_edges, dtype=EDGE_HEAD)
    heads["length"], heads["fwd"], heads["bwd"] = network.length_m, network.speed_fwd, network.speed_bwd
    heads["attr"], heads["n"] = network.attr, n
    is_last = np.zeros(len(network.coords), dtype=bool)
    is_last[network.offsets[1:] - 1] = True
    starts = network.coords[~is_last]  # every vertex but an edge's last begins a segment
    is_first = np.zeros(len(network.coords), dtype=bool)
    is_first[network.offsets[:-1]] = True
    segs = np.column_stack([starts, network.coords[~is_first]]).astype("<f4")
    record = EDGE_HEAD.itemsize + 16 * n
    record_start = HEADER.size + np.r_[0, np.cumsum(record)[:-1]]
    out = np.empty(HEADER.size + int(record.sum()), dtype=np.uint8)
    out[: HEADER.size] = np.frombuffer(HEADER.pack(PIPOS_MAGIC, network.n_edges, int(n.sum())), dtype=np.uint8)
    head_pos = np.zeros(len(out), dtype=bool)
    for start in range(0, network.n_edges, 1_000_000):
        block = record_start[start : start + 1_000_000]
        head_pos[(block[:, None] + np.arange(EDGE_HEAD.itemsize)).ravel()] = True
    out[head_pos] = heads.view(np.uint8)
    head_pos[: HEADER.size] = True
    out[~head_pos] = segs.view(np.uint8).ravel()
    return out.tobytes()


def write_parquet(network: RoadNetwork, path: Path) -> None:
    """Write ``network`` in the kept Parquet form (deterministic bytes; float32 coordinates)."""
    list_offsets = pa.array(network.offsets.astype(np.int32))
    coords = network.coords.astype(np.float32)
    table = pa.table(
        {
            "length_m": pa.array(network.length_m.astype(np.float32)),
            "speed_fwd": pa.array(network.speed_fwd.astype(np.uint8)),
            "speed_bwd": pa.array(network.speed_bwd.astype(np.uint8)),
            "attr": pa.array(network.attr.astype(np.uint32)),
            "x": pa.ListArray.from_arrays(list_offsets, pa.array(coords[:, 0])),
            "y": pa.ListArray.from_arrays(list_offsets, pa.array(coords[:, 1])),
        }
    ).replace_schema_metadata({"name": network.name, "crs": "EPSG:3006"})
    pq.write_table(table, path, compression="zstd", write_statistics=False)


def read_parquet(path: Path) -> RoadNetwork:
    """Read a network written by :func:`write_parquet`."""
    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    x = table.column("x").combine_chunks()
    y = table.column("y").combine_chunks()
    coords = np.column_stack([x.values.to_numpy(), y.values.to_numpy()]).astype(np.float64)
    network = RoadNetwork(
        name=meta.get(b"name", path.stem.encode()).decode(),
        coords=coords,
        offsets=x.offsets.to_numpy().astype(np.int64),
        length_m=table.column("length_m").to_numpy(),
        speed_fwd=table.column("speed_fwd").to_numpy(),
        speed_bwd=table.column("speed_bwd").to_numpy(),
        attr=table.column("attr").to_numpy(),
    )
    del table, x, y
    pa.default_memory_pool().release_unused()  # Arrow's allocator keeps the read buffers (≈ 400 MB national)
    return network


def read_gotland(source: Path) -> RoadNetwork:
    """Pipos' Gotland network from the raw inputs in ``source`` (the build's road step)."""
    zip_path = Path(source) / GOTLAND_SOURCE
    if not zip_path.exists():
        raise DataMissingError(f"source file missing: {zip_path}")
    return read_pipos(zip_path, name=GOTLAND_TITLE)


def imported_roads_dir(user_dir: Path | None = None) -> Path:
    """Folder holding imported road networks."""
    return Path(user_dir or user_data_dir()) / USER_ROADS


def road_files(data_dir: Path | None = None, user_dir: Path | None = None) -> list[Path]:
    """The networks in use: every imported one (newest first); else the embedded Gotland network."""
    found = [p for p in imported_roads_dir(user_dir).glob("*.parquet") if not p.name.startswith(".")]
    imported = sorted(found, key=os.path.getmtime, reverse=True)
    if imported:
        return imported
    embedded = Path(data_dir or embedded_data_dir()) / EMBEDDED_NAME
    return [embedded] if embedded.exists() else []


FilesKey = tuple[tuple[str, int, int], ...]
_LOCK = threading.Lock()
_CACHE: dict[str, tuple[FilesKey, RoadNetwork | None]] = {}  # one entry: the network in use and its files' key


def files_key(data_dir: Path | None = None, user_dir: Path | None = None) -> FilesKey:
    """Path, modification time (ns) and size of every road file in use: a new import is a new key."""
    out = []
    for path in road_files(data_dir, user_dir):
        stat = path.stat()
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def load_roads(data_dir: Path | None = None, user_dir: Path | None = None) -> RoadNetwork | None:
    """The road network in use: the newest imported one, else the embedded Gotland network, else ``None``.

    Cached for the process (pages, brief and CLI share one object): read again only when the road
    files' paths, modification times or sizes change (:func:`files_key`). Thread-safe: callers
    arriving while the network is read wait for it instead of reading it again.
    """
    key = files_key(data_dir, user_dir)
    with _LOCK:
        cached = _CACHE.get("in_use")
        if cached is not None and cached[0] == key:
            return cached[1]
        network = read_parquet(Path(key[0][0])) if key else None
        _CACHE["in_use"] = (key, network)
        return network


def clear_cache() -> None:
    """Forget the cached network (tests; the next :func:`load_roads` reads the files)."""
    with _LOCK:
        _CACHE.clear()
