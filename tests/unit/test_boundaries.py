"""Where the database may be known: only bot/store/sqlite/ imports sqlite3 or aiosqlite."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
DRIVERS = {"sqlite3", "aiosqlite"}


def imported(path: pathlib.Path) -> set[str]:
    """The top-level names of every module a file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_sqlite_package_imports_a_database_driver():
    sqlite_package = ROOT / "bot" / "store" / "sqlite"
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if sqlite_package not in path.parents and imported(path) & DRIVERS
    ]
    assert offenders == []
