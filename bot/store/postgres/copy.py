"""`rebound copy`: a SQLite database's whole history into an empty PostgreSQL one.

Every table is copied with its ids, in the order the migrations created them (so a row's
parents are there before it); the boards' kept rankings are not copied but built once at the
end from memberships and points (boards.rankings_rebuilt), then counted like every table.
Identity sequences then continue after the highest id copied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.store.errors import StoreError
from bot.store.postgres.boards import rankings_rebuilt
from bot.store.postgres.engine import Conn
from bot.store.postgres.store import PostgresStore
from bot.store.records import parse_ts
from bot.store.sqlite import SqliteStore
from bot.store.sqlite.sql import Conn as SqliteConn
from bot.store.sqlite.sql import rows

# Kept current by triggers from the tables they rank: rebuilt, never copied.
DERIVED = ("board_rows", "board_counts")
# The bot's own schema bookkeeping on PostgreSQL, not a table of Rebound's data.
BOOKKEEPING = ("rebound_schema",)

Counts = list[tuple[str, int, int]]


def _sqlite_tables(conn: SqliteConn) -> list[str]:
    """The file's tables in the order they were created."""
    found = rows(
        conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rowid",
    )
    return [row[0] for row in found]


def _sqlite_rows(conn: SqliteConn, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    # The table name comes from sqlite_master, never from input.
    cursor = conn.execute(f"SELECT * FROM {table}")
    try:
        columns = [d[0] for d in cursor.description]
        return columns, [tuple(r) for r in cursor.fetchall()]
    finally:
        cursor.close()


def _sqlite_count(conn: SqliteConn, table: str) -> int:
    return int(rows(conn, f"SELECT COUNT(*) FROM {table}")[0][0])


def _converter(data_type: str) -> Callable[[Any], Any]:
    """How a SQLite value becomes a value of the PostgreSQL column's type."""
    if data_type == "timestamp with time zone":
        return lambda v: parse_ts(v) if isinstance(v, str) else v
    return lambda v: v


async def _copy_table(source: SqliteStore, conn: Conn, table: str, types: dict[str, str]) -> None:
    """One table's rows, with COPY; its ids then continue after the highest one copied."""
    columns, values = await source.engine.call(_sqlite_rows, source.engine.conn, table)
    convert = [_converter(types[c]) for c in columns]
    records = [tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in values]
    if records:
        await conn.copy_records_to_table(table, records=records, columns=columns)
    if "id" in types:
        # Continue after the highest id copied, so new rows never collide with old ones.
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


async def copy_database(source: SqliteStore, target: PostgresStore) -> Counts:
    """Copy every table of source into the empty target; (table, rows in source, in target)."""
    tables = await source.engine.call(_sqlite_tables, source.engine.conn)
    async with target.engine.atomic() as conn:
        found = await conn.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        )
        types: dict[str, dict[str, str]] = {}
        for row in found:
            types.setdefault(row["table_name"], {})[row["column_name"]] = row["data_type"]
        missing = [t for t in tables if t not in types]
        if missing:
            raise StoreError(f"the PostgreSQL schema has no table {missing[0]}: upgrade Rebound")
        for table in types:
            if table not in BOOKKEEPING and await conn.fetchval(f"SELECT 1 FROM {table} LIMIT 1"):
                raise StoreError(
                    f"the PostgreSQL database is not empty ({table} has rows): "
                    "copy only into a new, empty database"
                )
        async with rankings_rebuilt(conn):
            for table in tables:
                if table not in DERIVED:
                    await _copy_table(source, conn, table, types[table])
        counts: Counts = []
        for table in tables:
            have = await source.engine.call(_sqlite_count, source.engine.conn, table)
            got = int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))
            counts.append((table, have, got))
        wrong = [(t, a, b) for t, a, b in counts if a != b]
        if wrong:
            table, have, got = wrong[0]
            # Raising rolls the whole copy back: the target is left empty, as it was.
            raise StoreError(f"{table}: {have} rows in SQLite but {got} copied; nothing was kept")
    return counts
