"""The store on PostgreSQL through asyncpg: the only package that imports the driver."""

from bot.store.postgres.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.store.postgres.store import PostgresStore

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "PostgresStore"]
