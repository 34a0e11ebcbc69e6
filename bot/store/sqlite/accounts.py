"""A person's whole account: export everything held about them, or erase it (SQL)."""

from __future__ import annotations

from bot.store.records import Export
from bot.store.sqlite import sql
from bot.store.sqlite.migrations import PERSONAL_TABLES
from bot.store.sqlite.sql import Conn, Repository, hop


def export_person(conn: Conn, person_id: int) -> Export:
    """Every row Rebound holds about the person, table by table."""
    out: Export = {}
    people = sql.rows(conn, "SELECT * FROM people WHERE id = ?", (person_id,))
    out["people"] = [dict(r) for r in people]
    for table, column in PERSONAL_TABLES:
        # Table and column come from PERSONAL_TABLES, never from input.
        found = sql.rows(conn, f"SELECT * FROM {table} WHERE {column} = ?", (person_id,))
        out[table] = [dict(r) for r in found]
    answers = sql.rows(
        conn,
        "SELECT a.* FROM reflection_answers a JOIN reflections r ON r.id = a.reflection_id"
        " WHERE r.person_id = ? ORDER BY a.reflection_id, a.position",
        (person_id,),
    )
    out["reflection_answers"] = [dict(r) for r in answers]
    changed = sql.rows(
        conn,
        "SELECT community_id, key, updated_at FROM community_settings WHERE updated_by = ?",
        (person_id,),
    )
    out["community_settings_changed"] = [dict(r) for r in changed]
    changes = sql.rows(conn, "SELECT * FROM admin_log WHERE person_id = ?", (person_id,))
    out["admin_changes"] = [dict(r) for r in changes]
    return out


def forget_person(conn: Conn, person_id: int) -> None:
    """Erase the person and, through the foreign keys, every row about them."""
    with sql.atomic(conn):
        sql.execute(
            conn,
            "UPDATE community_settings SET updated_by = NULL WHERE updated_by = ?",
            (person_id,),
        )
        sql.execute(conn, "DELETE FROM people WHERE id = ?", (person_id,))


class SqliteAccounts(Repository):
    """Accounts on SQLite (the Accounts protocol)."""

    __slots__ = ()

    export = hop(export_person)

    async def forget(self, person_id: int) -> None:
        """Erase the person and every row about them; once committed, empty the log of them."""
        # The erase overwrites their rows with zeros (secure_delete), but the write-ahead log
        # still holds the pages as they were until a checkpoint truncates it: the engine does
        # that after the commit (at once, or when the unit this runs in commits).
        await self._engine.erase(forget_person, person_id)
