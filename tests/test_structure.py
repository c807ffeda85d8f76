"""Structure gates: no import cycle (imports inside functions count), small modules and functions,
the as-of date parsed only at the entry points.

Each gate has a control case that proves it can fail.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from geo_app.data.paths import PACKAGE_DIR

ROOT = PACKAGE_DIR.parent
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80  # the body's lines, the docstring not counted
# Where a date may be parsed from text: the as-of parser (entry points call it) and the readers
# of dated files (office events, imported lists) that turn a file's cells into dates.
DATE_PARSERS = {
    "geo_app/dates.py": "the one as-of parser: CLI, pages (URL state) and the brief call it",
    "geo_app/analysis/register.py": "reads the dated events of data/sources/presence and imported lists (files)",
    "geo_app/analysis/periods.py": "a register period keeps its dates as ISO text from those files",
}
PARSE_CALLS = ("fromisoformat", "strptime", "to_datetime")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports, at the top or inside functions (``from x import y``
    counts as an import of ``x.y`` when that is a module, else of ``x``)."""
    root = package_dir.parent
    files = {module_name(p, root): p for p in sorted(package_dir.rglob("*.py"))}

    def resolve(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = defaultdict(set)
    for me, path in files.items():
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            for target in targets:
                found = resolve(target)
                if found and found != me:
                    graph[me].add(found)
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph(PACKAGE_DIR)) == []


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    pkg = tmp_path / "demo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from demo.sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import c\n")
    (pkg / "c.py").write_text("def g():\n    import demo.a\n")
    (pkg / "d.py").write_text("from demo import a\n")  # imports into the cycle, is not part of it
    assert cycles(import_graph(pkg)) == [["demo.a", "demo.c", "demo.sub.b"]]
    (pkg / "c.py").write_text("")
    assert cycles(import_graph(pkg)) == []


def sources() -> list[Path]:
    return sorted([*PACKAGE_DIR.rglob("*.py"), *(ROOT / "pages").glob("*.py")])


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def function_lengths(tree: ast.AST) -> Iterable[tuple[str, int, int]]:
    """(name, line, lines) of every function, the docstring not counted."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            lines = (node.end_lineno or node.lineno) - start + 1
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", None), str):
                lines -= (first.end_lineno or first.lineno) - first.lineno + 1
            yield node.name, node.lineno, lines


def test_no_module_over_600_lines():
    long = {rel(p): n for p in sources() if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_80_lines():
    long = {
        f"{rel(p)}:{name}": f"line {line}: {n} lines"
        for p in sources()
        for name, line, n in function_lengths(ast.parse(p.read_text("utf-8")))
        if n > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_the_length_gates_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))  # + the def line
    tree = ast.parse(f'def f():\n    """Doc.\n\n    More.\n    """\n{body}\n')
    assert [n for _, _, n in function_lengths(tree)] == [MAX_FUNCTION_LINES + 1]


def date_parses(tree: ast.AST) -> list[int]:
    """Lines that parse a date from text (``date.fromisoformat``, ``strptime``, ``pd.to_datetime``)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr in PARSE_CALLS)
            or (isinstance(node.func, ast.Name) and node.func.id in PARSE_CALLS)
        )
    ]


def test_dates_are_parsed_only_at_the_entry_points():
    found = {rel(p): lines for p in sources() if (lines := date_parses(ast.parse(p.read_text("utf-8"))))}
    assert set(found) <= set(DATE_PARSERS), {k: v for k, v in found.items() if k not in DATE_PARSERS}


@pytest.mark.parametrize(
    "code", ["date.fromisoformat(s)", "datetime.strptime(s, '%Y')", "pd.to_datetime(s)", "to_datetime(s)"]
)
def test_the_date_gate_can_fail(code):
    assert date_parses(ast.parse(code)) == [1]
