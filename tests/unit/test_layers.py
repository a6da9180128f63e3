"""The core's rooms import only downwards, and nothing in ``repairshop/`` imports in a circle.

The layer order is the one ``docs/ARCHITECTURE.md`` draws. Every import counts, also one
written inside a function to dodge a circle at import time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "repairshop"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("repairshop.errors", "repairshop.resources", "repairshop.i18n", "repairshop.logs"),
    ("repairshop.domain",),
    ("repairshop.db",),
    ("repairshop.services.base",),
    ("repairshop.services.shop",),
    ("repairshop.services.jobs",),
    ("repairshop.services.parts",),
    ("repairshop.services.aftersales",),
    ("repairshop.services.money",),
    ("repairshop.services.customers",),
    ("repairshop.services.reports",),
    ("repairshop.services.first_look",),
    ("repairshop.printing",),
    ("repairshop.demo",),
    ("repairshop.bootstrap",),
    ("repairshop.commands", "repairshop.translations"),
    ("repairshop.cli", "repairshop.__main__"),
)
"""Lowest first. A module may import from its own layer and the layers before it."""

BASE_MODULES = ("uow", "changes", "database", "watch", "events", "audit")
"""The modules directly in ``services/``: the unit of work and what every room shares."""


def module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def core_modules() -> dict[str, Path]:
    return {
        module_name(path): path for path in CORE.rglob("*.py") if "migrations" not in path.parts
    }


def imports_of(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The core modules ``name`` imports, anywhere in its body (resolved to known modules)."""
    known_set = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names] + [module]
        for written in targets:
            target = written
            while target and target not in known_set:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = core_modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    # A package's __init__ is imported with each of its modules; only its own imports count.
    return graph


def layer_of(module: str) -> int:
    if module.startswith("repairshop.services.") and module.split(".")[2] in BASE_MODULES:
        module = "repairshop.services.base"
    if module == "repairshop.services":
        module = "repairshop.services.base"
    for index, layer in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in layer):
            return index
    if module == "repairshop":
        return 0
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/ARCHITECTURE.md")


def upward_imports(graph: Mapping[str, set[str]]) -> list[str]:
    return sorted(
        f"{importer} imports {imported}"
        for importer, targets in graph.items()
        for imported in targets
        if layer_of(imported) > layer_of(importer)
    )


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def without_packages(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """Drop edges into a package's ``__init__`` from its own modules (Python's own order)."""
    return {
        importer: {target for target in targets if not importer.startswith(target + ".")}
        for importer, targets in graph.items()
    }


def test_every_room_imports_only_from_the_rooms_below_it() -> None:
    assert upward_imports(import_graph()) == []


def test_nothing_in_the_core_imports_in_a_circle() -> None:
    assert circles(without_packages(import_graph())) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert circles(graph) == expected


def test_the_layer_check_sees_an_upward_import() -> None:
    graph = {
        "repairshop.services.jobs.workflow": {"repairshop.services.parts.job_parts"},
        "repairshop.services.parts.job_parts": {"repairshop.services.jobs.workflow"},
    }
    assert upward_imports(graph) == [
        "repairshop.services.jobs.workflow imports repairshop.services.parts.job_parts"
    ]


def test_a_function_level_import_counts(tmp_path: Path) -> None:
    module = tmp_path / "workflow.py"
    module.write_text(
        "def cancel():\n    from repairshop.services.parts.job_parts import release_all_parts\n"
    )
    known = ["repairshop.services.parts.job_parts", "repairshop.services.jobs.workflow"]
    assert imports_of("repairshop.services.jobs.workflow", module, known) == {
        "repairshop.services.parts.job_parts"
    }
