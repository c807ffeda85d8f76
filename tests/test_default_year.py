"""The default områdestyp year has one source: ``default_year`` in ``layers/omradestyp.toml``.

Changing it in a copy of the declarations changes every default (gap rule, scenario state, map
view, comparison, CLI); and no module writes the year out as a default.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest

from geo_app.analysis.gap_rule import RuleOptions
from geo_app.cli import make_parser
from geo_app.cli._common import rule_from_args
from geo_app.data.paths import PACKAGE_DIR, PAGES_DIR
from geo_app.layers import spec as layer_spec
from geo_app.views import compare_view
from geo_app.views import map_view as nm
from geo_app.views.scenario_view import ScenarioState

DECLARED = layer_spec.load_layers()[layer_spec.TYPES_LAYER].default_year


def literal_defaults(source: str, value: int) -> list[int]:
    """Lines where ``value`` is written as a default: a parameter default, a class-level field
    default, a ``default=`` keyword (argparse, dataclasses.field) or an ``x or value`` fallback.
    """
    tree = ast.parse(source)
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            found += [d for d in (*node.args.defaults, *node.args.kw_defaults) if d is not None]
        elif isinstance(node, ast.ClassDef):
            found += [s.value for s in node.body if isinstance(s, (ast.Assign, ast.AnnAssign)) and s.value]
        elif isinstance(node, ast.keyword) and node.arg == "default":
            found.append(node.value)
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            found += node.values[1:]
    return sorted(
        n.lineno
        for expr in found
        for n in ast.walk(expr)
        if isinstance(n, ast.Constant) and type(n.value) is int and n.value == value
    )


@pytest.mark.parametrize(
    "source",
    [
        "def f(year=2023): pass",
        "def f(*, year: int = 2023): pass",
        "class C:\n    year: int = 2023\n",
        "p.add_argument('--year', type=int, default=2023)",
        "y = spec.default_year or 2023",
        "x = field(default=(2022, 2023))",
    ],
)
def test_the_scan_finds_a_written_default_year(source):
    assert literal_defaults(source, 2023)
    assert literal_defaults(source, 1999) == []


def test_the_scan_leaves_data_facts_alone():
    # Which years the data has, and a year in a call, are facts, not the default.
    assert literal_defaults("INDEX_YEARS = (2022, 2023)\nf(year=2023)\nx = y[2023]\n", 2023) == []


def test_no_module_writes_the_default_year_as_a_default():
    assert isinstance(DECLARED, int)
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted(PAGES_DIR.glob("*.py"))
    assert len(files) > 50
    hits = {
        str(f.relative_to(PACKAGE_DIR.parent)): lines
        for f in files
        if (lines := literal_defaults(f.read_text("utf-8"), DECLARED))
    }
    assert hits == {}, f"the default year {DECLARED} is written out; take it from the layer declarations"


@pytest.fixture()
def layers_2022(tmp_path, monkeypatch) -> Path:
    """A copy of ``layers/`` whose områdestyp declaration says ``default_year = 2022``."""
    folder = tmp_path / "layers"
    shutil.copytree(layer_spec.LAYERS_DIR, folder)
    path = folder / f"{layer_spec.TYPES_LAYER}.toml"
    text = path.read_text("utf-8")
    assert f"default_year = {DECLARED}" in text
    path.write_text(text.replace(f"default_year = {DECLARED}", "default_year = 2022"), "utf-8")
    monkeypatch.setattr(layer_spec, "LAYERS_DIR", folder)
    return folder


def test_every_default_follows_the_declaration(bundle, layers_2022):
    assert DECLARED != 2022 and bundle.types_year == DECLARED
    b = dataclasses.replace(bundle, layers=layer_spec.load_layers(layers_2022))
    assert b.types_year == 2022
    assert b.gap_rule().year == 2022
    assert b.gap_rule(RuleOptions(indicator="none")).year == 2022
    assert ScenarioState().year == 2022 and ScenarioState(indicator="none").rule(b).year == 2022
    assert nm.normalise_choice(b, nm.ViewChoice()).year == 2022
    assert compare_view.parse_selection(b, "kommun", ["1280"], None).year == 2022
    # the same choices on the unchanged declarations give the declared year
    assert bundle.gap_rule().year == DECLARED
    assert nm.normalise_choice(bundle, nm.ViewChoice()).year == DECLARED


def test_the_cli_year_default_follows_the_declaration(layers_2022, user_dir):
    from geo_app.layers.bundle import load_bundle

    args = make_parser().parse_args(["gaps"])
    assert rule_from_args(load_bundle(), args).year == 2022
    args = make_parser().parse_args(["gaps", "--year", str(DECLARED)])
    assert rule_from_args(load_bundle(), args).year == DECLARED
