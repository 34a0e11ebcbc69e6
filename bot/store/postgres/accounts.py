"""A person's whole account on PostgreSQL: export everything held about them, or erase it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.postgres.engine import Conn, Repository, Row, pooled
from bot.store.postgres.migrations import OWN_COLUMNS
from bot.store.records import Export, ts

# One list of personal tables for both databases: a table added there is exported here too.
from bot.store.sqlite.migrations import PERSONAL_TABLES


def plain(table: str, row: Row) -> dict[str, Any]:
    """A row as SQLite's export writes it: times as stored text, process columns left out."""
    skip = OWN_COLUMNS.get(table, ())
    return {k: ts(v) if isinstance(v, datetime) else v for k, v in row.items() if k not in skip}


async def export_person(conn: Conn, person_id: int) -> Export:
    """Every row Rebound holds about the person, table by table."""
    out: Export = {}
    found = await conn.fetch("SELECT * FROM people WHERE id = $1", person_id)
    out["people"] = [plain("people", r) for r in found]
    for table, column in PERSONAL_TABLES:
        # Table and column come from PERSONAL_TABLES, never from input.
        found = await conn.fetch(f"SELECT * FROM {table} WHERE {column} = $1", person_id)
        out[table] = [plain(table, r) for r in found]
    answers = await conn.fetch(
        "SELECT a.* FROM reflection_answers a JOIN reflections r ON r.id = a.reflection_id"
        " WHERE r.person_id = $1 ORDER BY a.reflection_id, a.position",
        person_id,
    )
    out["reflection_answers"] = [plain("reflection_answers", r) for r in answers]
    changed = await conn.fetch(
        "SELECT community_id, key, updated_at FROM community_settings WHERE updated_by = $1",
        person_id,
    )
    out["community_settings_changed"] = [plain("community_settings", r) for r in changed]
    changes = await conn.fetch("SELECT * FROM admin_log WHERE person_id = $1", person_id)
    out["admin_changes"] = [plain("admin_log", r) for r in changes]
    return out


async def forget_person(conn: Conn, person_id: int) -> None:
    """Erase the person and, through the foreign keys, every row about them."""
    await conn.execute(
        "UPDATE community_settings SET updated_by = NULL WHERE updated_by = $1", person_id
    )
    await conn.execute("DELETE FROM people WHERE id = $1", person_id)


class PostgresAccounts(Repository):
    """Accounts on PostgreSQL (the Accounts protocol)."""

    __slots__ = ()

    export = pooled(export_person)

    async def forget(self, person_id: int) -> None:
        """Erase the person and every row about them, in one transaction."""
        async with self._engine.atomic() as conn:
            await forget_person(conn, person_id)
