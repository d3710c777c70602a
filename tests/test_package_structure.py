"""lrtutor's modules: no import circle, and no module takes another module's private name.

Read from the source (every import statement, also those inside functions, which can
hide a circle), so the rule holds for modules added later.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lrtutor

PACKAGE = Path(lrtutor.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import of lrtutor in ``module``."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.startswith("lrtutor")]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            if target.startswith("lrtutor"):
                found += [(target, a.name) for a in node.names]
    return found


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, name in _imports(module):
            child = f"{target}.{name}" if name else None
            dest = child if child in MODULES else target
            if dest in MODULES and dest != module:
                graph[module].add(dest)
    return graph


def test_the_import_graph_is_read() -> None:
    graph = _edges()
    assert "lrtutor._validate" in graph["lrtutor.descent"]
    assert "lrtutor.descent" in graph["lrtutor.momentum"]


def test_no_import_circle() -> None:
    graph = _edges()
    # A package's __init__ re-exports its modules: an import of the package from one of
    # its own modules is the circle this looks for, so keep __init__ as a node.
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*stack[stack.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not circles, "import circles: " + "; ".join(circles)


def test_validate_is_a_leaf() -> None:
    assert _edges()["lrtutor._validate"] == set()


def test_no_module_imports_another_modules_private_name() -> None:
    offenders = [
        f"{module} imports {name} from {target}"
        for module in MODULES
        for target, name in _imports(module)
        if name and name.startswith("_") and f"{target}.{name}" not in MODULES
        and target != module
    ]
    assert not offenders, "; ".join(offenders)
