"""Small helpers shared by the import tests."""

import hashlib
from pathlib import Path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256 (the 'nothing lost' check)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write(folder: Path, name: str, content: bytes) -> Path:
    """Write ``content`` to ``folder/name`` and return the path."""
    f = folder / name
    f.write_bytes(content)
    return f
