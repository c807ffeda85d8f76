"""The catalogue of every dataset the app shows: source, year, licence, kind.

Each embedded dataset is declared once, in ``catalogue.toml`` beside this module; the data
build adds row counts and writes ``data/regso/catalogue.json``. Imported datasets are added
to the user's catalogue (see :mod:`geo_app.data.user_store`) with kind ``imported``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

KINDS = ("official", "compiled", "reference", "estimate", "imported")


@dataclass(frozen=True)
class Dataset:
    """One dataset in the catalogue.

    Attributes
    ----------
    id : str
        Stable identifier used by layer declarations (``source = "<id>"``).
    name_sv, name_en : str
        Human names.
    source : str
        Publisher and table, as it should be cited ("Källa: …").
    year : str
        Reference year or range, e.g. ``"2023"`` or ``"2020–2023"``.
    licence : str
        Licence of the source data.
    kind : str
        ``official`` (published statistics), ``compiled`` (compiled by this project from public
        records, e.g. the office list), ``reference`` (published type-level values),
        ``estimate`` (a documented model) or ``imported`` (the user's own file).
    url : str
        Where the source can be found.
    rows : int
        Rows in the derived data (filled in by the build or the import).
    note : str
        Caveats a user should know.
    """

    id: str
    name_sv: str
    name_en: str
    source: str
    year: str
    licence: str
    kind: str = "official"
    url: str = ""
    rows: int = 0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    source_en: str = ""  # the source and note in English (empty: the Swedish text is shown)
    note_en: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"dataset {self.id}: kind must be one of {KINDS}, got {self.kind!r}")

    def name(self, lang: str) -> str:
        """Return the dataset name in ``lang`` (``sv`` or ``en``)."""
        return self.name_en if lang == "en" else self.name_sv

    def source_in(self, lang: str) -> str:
        """The source in ``lang`` (English when there is an English text)."""
        return self.source_en if lang == "en" and self.source_en else self.source

    def note_in(self, lang: str) -> str:
        """The note in ``lang`` (English when there is an English text)."""
        return self.note_en if lang == "en" and self.note_en else self.note

    def citation(self, lang: str = "sv") -> str:
        """Short source line for legends and tooltips, e.g. ``Källa: SCB, 2023``."""
        return f"{KIND_PREFIX[self.kind][lang if lang in ('sv', 'en') else 'sv']}: {self.source_in(lang)}, {self.year}"


KIND_PREFIX = {
    "official": {"sv": "Källa", "en": "Source"},
    # Compiled by this project from public mentions (the office list): not official statistics.
    "compiled": {"sv": "Sammanställt ur", "en": "Compiled from"},
    "reference": {"sv": "Referensvärde per områdestyp", "en": "Type-level reference value"},
    "estimate": {"sv": "Modellskattning", "en": "Model estimate"},
    "imported": {"sv": "Importerad", "en": "Imported"},
}

# The datasets themselves are declared in catalogue.toml beside this module (one [[dataset]] table each).
CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")


def read_declarations(path: Path = CATALOGUE_FILE) -> tuple[Dataset, ...]:
    """The embedded datasets as declared in ``catalogue.toml`` (unknown fields and kinds refused)."""
    with path.open("rb") as fh:
        rows = tomllib.load(fh).get("dataset", [])
    names = {f.name for f in fields(Dataset)}
    for row in rows:
        if unknown := set(row) - names:
            raise ValueError(f"{path.name}: dataset {row.get('id')!r}: unknown field(s) {sorted(unknown)}")
    return tuple(Dataset(**row) for row in rows)


EMBEDDED: tuple[Dataset, ...] = read_declarations()


def write_catalogue(datasets: list[Dataset], path: Path) -> None:
    """Write the catalogue as pretty, sorted JSON (deterministic)."""
    payload = [asdict(d) for d in datasets]
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")


def read_catalogue(path: Path) -> list[Dataset]:
    """Read a catalogue file written by :func:`write_catalogue`."""
    return [Dataset(**row) for row in json.loads(path.read_text("utf-8"))]
