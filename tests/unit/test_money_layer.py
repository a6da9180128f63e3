"""The money room sits above jobs and parts: they keep to the approval without importing it."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "repairshop" / "services"
BELOW_MONEY = ("shop", "jobs", "parts")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_no_room_below_money_imports_it() -> None:
    offenders = [
        f"{path.relative_to(SERVICES)} imports {module}"
        for room in BELOW_MONEY
        for path in sorted((SERVICES / room).glob("*.py"))
        for module in imported_modules(path)
        if module.startswith("repairshop.services.money")
    ]
    assert offenders == []
