"""Where a database may be known: its driver is imported only in bot/store/<backend>/."""

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


def test_only_the_postgres_package_imports_asyncpg():
    postgres_package = ROOT / "bot" / "store" / "postgres"
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if postgres_package not in path.parents and "asyncpg" in imported(path)
    ]
    assert offenders == []
    # The PostgreSQL package borrows what both share from SQLite's (row mappers, the boards'
    # window, the copy's reads), never SQLite's driver itself.
    assert not [p.name for p in postgres_package.rglob("*.py") if imported(p) & DRIVERS]
