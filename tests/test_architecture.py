"""The one-way data flow, checked on the source: no module imports a higher layer.

files → data (loaders) / imports → pure analysis → layer declarations → export / views → app → CLI.
Analysis and data modules never import Streamlit, pydeck, Altair or the translation table.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo_app.data.paths import PACKAGE_DIR

# Lower number = lower layer. A module may import its own layer or lower ones.
LAYERS = {
    "geo_app.errors": 0,
    "geo_app.dates": 0,
    "geo_app.formats": 0,
    "geo_app.analysis": 1,
    "geo_app.data": 2,
    "geo_app.imports": 3,
    "geo_app.i18n": 4,
    "geo_app.layers": 4,
    "geo_app.export": 5,
    "geo_app.views": 6,
    "geo_app.report": 6,
    "geo_app.app": 7,
    "geo_app.cli": 8,
}
UI_LIBRARIES = ("streamlit", "pydeck", "altair")
PURE = ("geo_app.analysis", "geo_app.data")


def layer_of(module: str) -> tuple[str, int] | None:
    for prefix, level in sorted(LAYERS.items(), key=lambda kv: -len(kv[0])):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, level
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (also inside functions), with its line number."""
    tree = ast.parse(path.read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            # ``from geo_app import gaps`` imports the sub-module geo_app.gaps
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names if node.module == "geo_app"]
    return out


SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))


def test_every_module_belongs_to_a_layer():
    unplaced = [module_name(p) for p in SOURCES if p.name != "__init__.py" and layer_of(module_name(p)) is None]
    assert unplaced == [] or unplaced == ["geo_app"], unplaced


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_go_down_only(path: Path):
    me = module_name(path)
    mine = layer_of(me)
    if mine is None:
        return
    bad = []
    for line, target in imported_modules(path):
        if me.startswith(PURE) and (target.split(".")[0] in UI_LIBRARIES or target == "geo_app.i18n"):
            bad.append(f"{path.name}:{line} imports {target} (analysis/data stay free of UI and text)")
        theirs = layer_of(target)
        if theirs is not None and theirs[1] > mine[1]:
            bad.append(f"{path.name}:{line} imports {target} (layer {theirs[0]} is above {mine[0]})")
    assert bad == []


def test_the_check_itself_sees_a_violation(tmp_path: Path):
    """The walker finds an upward import (guards against a test that cannot fail)."""
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from geo_app.views import map_view\n    import streamlit\n")
    found = [m for _, m in imported_modules(f)]
    assert "geo_app.views" in found and "streamlit" in found
    assert layer_of("geo_app.views.map_view")[1] > layer_of("geo_app.analysis.gaps")[1]
