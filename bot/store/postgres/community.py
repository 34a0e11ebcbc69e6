"""A community's identity, its admins' settings and the log of who changed what, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.models import CommunityRef
from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records import AdminChange


async def community_ref(conn: Conn, community_id: int) -> CommunityRef | None:
    """The platform identity of a stored community."""
    row = await conn.fetchrow("SELECT * FROM communities WHERE id = $1", community_id)
    return CommunityRef(row["platform"], row["community_id"], row["name"]) if row else None


async def community_setting(conn: Conn, community_id: int, key: str) -> str | None:
    """One setting of a community, or None when it has not been set."""
    value: str | None = await conn.fetchval(
        "SELECT value FROM community_settings WHERE community_id = $1 AND key = $2",
        community_id,
        key,
    )
    return value


async def communities_with(conn: Conn, key: str) -> list[tuple[int, dict[str, str]]]:
    """Communities that made one setting (such as digest_channel), with all their settings."""
    found = await conn.fetch(
        "SELECT s.community_id, s.key, s.value FROM community_settings s WHERE"
        " s.community_id IN (SELECT community_id FROM community_settings WHERE key = $1)",
        key,
    )
    settings: dict[int, dict[str, str]] = {}
    for row in found:
        settings.setdefault(row["community_id"], {})[row["key"]] = row["value"]
    return sorted(settings.items())


async def community_settings(conn: Conn, community_id: int) -> dict[str, str]:
    """Every setting a community's admins have made."""
    found = await conn.fetch(
        "SELECT key, value FROM community_settings WHERE community_id = $1", community_id
    )
    return {r["key"]: r["value"] for r in found}


async def set_community_setting(
    conn: Conn, community_id: int, key: str, value: str, by: int, now: datetime
) -> None:
    """Set one setting of a community, remembering who changed it and when."""
    await conn.execute(
        "INSERT INTO community_settings (community_id, key, value, updated_by, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_id, key) DO UPDATE SET"
        " value = excluded.value, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        community_id,
        key,
        value,
        by,
        at(now),
    )


async def clear_community_setting(conn: Conn, community_id: int, key: str) -> None:
    """Remove a community setting, so its default applies again."""
    await conn.execute(
        "DELETE FROM community_settings WHERE community_id = $1 AND key = $2", community_id, key
    )


async def log_admin_change(
    conn: Conn,
    community_id: int,
    person_id: int,
    key: str,
    old: str | None,
    new: str | None,
    now: datetime,
) -> None:
    """Record who changed which community setting, from what to what, and when."""
    await conn.execute(
        "INSERT INTO admin_log (community_id, person_id, key, old_value, new_value, changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        community_id,
        person_id,
        key,
        old,
        new,
        at(now),
    )


async def admin_log(conn: Conn, community_id: int, limit: int = 50) -> list[AdminChange]:
    """The most recent setting changes in a community, newest first."""
    found = await conn.fetch(
        "SELECT a.*, p.display_name FROM admin_log a LEFT JOIN people p ON p.id = a.person_id"
        " WHERE a.community_id = $1 ORDER BY a.changed_at DESC, a.id DESC LIMIT $2",
        community_id,
        limit,
    )
    return [
        AdminChange(
            id=r["id"],
            community_id=r["community_id"],
            person_id=r["person_id"],
            key=r["key"],
            old_value=r["old_value"],
            new_value=r["new_value"],
            changed_at=r["changed_at"],
            display_name=r["display_name"],
        )
        for r in found
    ]


class PostgresCommunities(Repository):
    """Communities on PostgreSQL (the Communities protocol)."""

    __slots__ = ()

    ref = pooled(community_ref)
    setting = pooled(community_setting)
    settings = pooled(community_settings)
    set_setting = pooled(set_community_setting)
    clear_setting = pooled(clear_community_setting)
    log_change = pooled(log_admin_change)
    changes = pooled(admin_log)
