"""Package boundaries (../shared/DESIGN.md): dependencies point down, and only tests import impactkg."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "kg": {"search", "ingest", "ask", "webapp", "impactkg", "flask"},
    "search": {"ingest", "ask", "webapp", "impactkg", "flask"},
    "ingest": {"ask", "webapp", "impactkg", "flask"},
    "ask": {"ingest", "webapp", "impactkg", "flask"},
    "webapp": {"impactkg"},
}


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_it_must_not(package: str) -> None:
    crossing = [f"{path.relative_to(REPO)} imports {name}"
                for path in sorted((REPO / package).rglob("*.py"))
                for name in imported_names(path) if name.split(".")[0] in FORBIDDEN[package]]
    assert not crossing, crossing
