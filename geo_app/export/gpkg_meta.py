"""GeoPackage tables GDAL's writer does not fill: field titles and QGIS layer metadata.

Written with :mod:`sqlite3` into a file pyogrio has just written (and closed):

``gpkg_data_columns``
    one row per field of every exported table: ``name`` and ``title`` the readable field
    title, ``description`` what it is with kind, source, year and licence. This is the
    GeoPackage *schema* extension (registered in ``gpkg_extensions`` as ``gpkg_schema``
    with the empty ``gpkg_data_column_constraints`` table, the layout GDAL itself creates);
    ArcGIS Pro and GDAL ≥ 3.7 read field titles and descriptions from it.
``gpkg_metadata`` (+ ``gpkg_metadata_reference``)
    one QGIS layer-metadata document per spatial layer (``md_standard_uri``
    ``http://mrcc.com/qgis.dtd``, referenced by table: the records QGIS ≥ 3.20 itself writes
    and reads): title, abstract, licences, rights, links, keywords, CRS. QGIS shows them in
    *Layer Properties → Metadata / Information*.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

QGIS_MD_URI = "http://mrcc.com/qgis.dtd"
SCHEMA_DEFINITION = "http://www.geopackage.org/spec120/#extension_schema"
OM_DATA_TITLES = {
    "lager": "Lager",
    "falt": "Fält",
    "beskrivning": "Beskrivning (fältets titel)",
    "slag": "Slag (official/reference/estimate/imported)",
    "kalla": "Källa",
    "ar": "År",
    "licens": "Licens",
    "url": "Webbadress",
}


@dataclass
class LayerMetadata:
    """What QGIS shows in a layer's metadata."""

    title: str
    abstract: str
    licences: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (name, url)
    keywords: list[str] = field(default_factory=list)


def layer_metadata(layer: str, title: str, abstract: str, fields: pd.DataFrame) -> LayerMetadata:
    """The metadata of one layer from its ``om_data`` rows: licences, sources as rights, source links."""
    mine = fields[fields["lager"] == layer]
    licences = sorted({str(x) for x in mine["licens"] if str(x)})
    sources = sorted({f"{k} ({a})" for k, a in zip(mine["kalla"], mine["ar"], strict=True) if str(k)})
    links = sorted({str(u): str(k) for k, u in zip(mine["kalla"], mine["url"], strict=True) if str(u)}.items())
    links = [(name, url) for url, name in links]
    keywords = ["Närvarokartan", "RegSO", "områdestyp", "SWEREF 99 TM"]
    if "estimate" in set(mine["slag"]):
        keywords.append("Modellskattning")
    rights = [f"Källor: {'; '.join(sources)}"] if sources else []
    if "estimate" in set(mine["slag"]):
        rights.append("Fält med slag Modellskattning är skattningar, inte mätningar (se docs/estimates.md).")
    return LayerMetadata(title, abstract, licences, rights, links, keywords)


def _qgis_document(md: LayerMetadata) -> str:
    root = ET.Element("qgis", version="3.22.0")
    for tag, text in (("identifier", ""), ("parentidentifier", ""), ("language", "sv"), ("type", "dataset")):
        ET.SubElement(root, tag).text = text
    ET.SubElement(root, "title").text = md.title
    ET.SubElement(root, "abstract").text = md.abstract
    kw = ET.SubElement(root, "keywords", vocabulary="Närvarokartan")
    for word in md.keywords:
        ET.SubElement(kw, "keyword").text = word
    links = ET.SubElement(root, "links")
    for name, url in md.links:
        ET.SubElement(
            links, "link", type="WWW:LINK", name=name, url=url, description="", format="", mimeType="", size=""
        )
    ET.SubElement(root, "fees").text = ""
    for text in md.rights:
        ET.SubElement(root, "rights").text = text
    for text in md.licences:
        ET.SubElement(root, "license").text = text
    ET.SubElement(root, "encoding").text = "UTF-8"
    crs = ET.SubElement(ET.SubElement(root, "crs"), "spatialrefsys")
    ET.SubElement(crs, "authid").text = "EPSG:3006"
    ET.SubElement(crs, "description").text = "SWEREF99 TM"
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def write_qgis_metadata(path: Path, metadata: Mapping[str, LayerMetadata]) -> None:
    """Add one QGIS metadata record per table to ``gpkg_metadata`` (GDAL has created the tables)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with sqlite3.connect(path) as db:
        for table, md in metadata.items():
            cur = db.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES (?, ?, ?, ?)",
                ("dataset", QGIS_MD_URI, "text/xml", _qgis_document(md)),
            )
            db.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, "
                "timestamp, md_file_id, md_parent_id) VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (table, stamp, cur.lastrowid),
            )
    # the connection context manager commits; close explicitly so the file is complete
    db.close()


def _data_column_rows(
    fields: pd.DataFrame, tables: Sequence[str], columns: Mapping[str, list[str]], kinds: Mapping[str, str]
) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for table in tables:
        mine = fields[fields["lager"] == table].set_index("falt")
        seen: set[str] = set()
        for column in columns[table]:
            if table == "om_data":
                title, description = OM_DATA_TITLES.get(column, column), "Fältbeskrivningar per lager och fält"
            elif column in mine.index:
                r = mine.loc[column]
                title = str(r["beskrivning"])
                kind = kinds.get(str(r["slag"]), str(r["slag"]))
                description = f"{title}. Slag: {kind}. Källa: {r['kalla']}, {r['ar']}. Licens: {r['licens']}."
                if str(r["url"]):
                    description += f" {r['url']}"
            else:
                title, description = column, ""
            name = title if title not in seen else f"{title} ({column})"
            seen.add(name)
            rows.append((table, column, name, title, description))
    return rows


def write_data_columns(path: Path, fields: pd.DataFrame, tables: Sequence[str], kinds: Mapping[str, str]) -> None:
    """Register the schema extension and write ``gpkg_data_columns`` for ``tables`` and ``om_data``."""
    all_tables = [*tables, "om_data"]
    with sqlite3.connect(path) as db:
        columns = {}
        for table in all_tables:
            info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
            geometry = {
                r[0] for r in db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,))
            }
            columns[table] = [r[1] for r in info if not r[5] and r[1] not in geometry]  # r[5]: primary key (fid)
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS gpkg_data_columns (
              table_name TEXT NOT NULL,
              column_name TEXT NOT NULL,
              name TEXT,
              title TEXT,
              description TEXT,
              mime_type TEXT,
              constraint_name TEXT,
              CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
              CONSTRAINT gdc_tn UNIQUE (table_name, name)
            );
            CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (
              constraint_name TEXT NOT NULL,
              constraint_type TEXT NOT NULL,
              value TEXT,
              min NUMERIC,
              min_is_inclusive BOOLEAN,
              max NUMERIC,
              max_is_inclusive BOOLEAN,
              description TEXT,
              CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value)
            );
            """
        )
        for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
            if not db.execute(
                "SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_schema'", (table,)
            ).fetchone():
                db.execute(
                    "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                    "VALUES (?, NULL, 'gpkg_schema', ?, 'read-write')",
                    (table, SCHEMA_DEFINITION),
                )
        db.executemany(
            "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description) "
            "VALUES (?, ?, ?, ?, ?)",
            _data_column_rows(fields, all_tables, columns, kinds),
        )
    db.close()
