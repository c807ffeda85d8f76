"""District names that span several RegSO areas (``data/area_aliases.toml``), for the map's search."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo_app.data.paths import REPO_ROOT
from geo_app.errors import ValidationError

ALIASES_FILE = REPO_ROOT / "data" / "area_aliases.toml"


@dataclass(frozen=True)
class AreaAlias:
    """A district name, its kommun, the RegSO 2025 areas it covers and where that comes from."""

    name: str
    kommunkod: str
    areas: tuple[str, ...]
    area_names: tuple[str, ...]
    note: str
    sources: tuple[str, ...]


REQUIRED = ("name", "kommunkod", "areas", "sources")


def load_aliases(path: Path | None = None) -> tuple[AreaAlias, ...]:
    """Read the alias table (every entry must name a kommun, at least one area and a source).

    Raises
    ------
    ValidationError
        Naming the file and the ``[[alias]]`` entry (numbered from 1) that lacks a field.
    """
    path = path or ALIASES_FILE
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    out = []
    for number, entry in enumerate(raw.get("alias", []), start=1):
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            raise ValidationError(
                f"{path.name}: [[alias]] {number} ({entry.get('name', '')!r}): fill in {', '.join(missing)}"
            )
        alias = AreaAlias(
            name=str(entry["name"]),
            kommunkod=str(entry["kommunkod"]),
            areas=tuple(entry["areas"]),
            area_names=tuple(entry.get("area_names", ())),
            note=str(entry.get("note", "")),
            sources=tuple(entry["sources"]),
        )
        out.append(alias)
    return tuple(out)
