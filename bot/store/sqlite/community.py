"""A community's identity, the settings its admins made, and the log of who changed what (SQL)."""

from __future__ import annotations

from datetime import datetime

from bot.models import CommunityRef
from bot.store.records import AdminChange, parse_ts, ts
from bot.store.sqlite import sql
from bot.store.sqlite.sql import Conn, Repository, hop


def community_ref(conn: Conn, community_id: int) -> CommunityRef | None:
    """The platform identity of a stored community."""
    row = sql.one(conn, "SELECT * FROM communities WHERE id = ?", (community_id,))
    return CommunityRef(row["platform"], row["community_id"], row["name"]) if row else None


def community_setting(conn: Conn, community_id: int, key: str) -> str | None:
    """One setting of a community, or None when it has not been set."""
    row = sql.one(
        conn,
        "SELECT value FROM community_settings WHERE community_id = ? AND key = ?",
        (community_id, key),
    )
    return row["value"] if row else None


def communities_with(conn: Conn, key: str) -> list[tuple[int, dict[str, str]]]:
    """Communities that made one setting (such as digest_channel), with all their settings."""
    found = sql.rows(
        conn,
        "SELECT s.community_id, s.key, s.value FROM community_settings s WHERE"
        " s.community_id IN (SELECT community_id FROM community_settings WHERE key = ?)",
        (key,),
    )
    settings: dict[int, dict[str, str]] = {}
    for row in found:
        settings.setdefault(row["community_id"], {})[row["key"]] = row["value"]
    return sorted(settings.items())


def community_settings(conn: Conn, community_id: int) -> dict[str, str]:
    """Every setting a community's admins have made."""
    found = sql.rows(
        conn, "SELECT key, value FROM community_settings WHERE community_id = ?", (community_id,)
    )
    return {r["key"]: r["value"] for r in found}


def set_community_setting(
    conn: Conn, community_id: int, key: str, value: str, by: int, now: datetime
) -> None:
    """Set one setting of a community, remembering who changed it and when."""
    sql.execute(
        conn,
        "INSERT INTO community_settings (community_id, key, value, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community_id, key) DO UPDATE SET"
        " value = excluded.value, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        (community_id, key, value, by, ts(now)),
    )


def clear_community_setting(conn: Conn, community_id: int, key: str) -> None:
    """Remove a community setting, so its default applies again."""
    sql.execute(
        conn,
        "DELETE FROM community_settings WHERE community_id = ? AND key = ?",
        (community_id, key),
    )


def log_admin_change(
    conn: Conn,
    community_id: int,
    person_id: int,
    key: str,
    old: str | None,
    new: str | None,
    now: datetime,
) -> None:
    """Record who changed which community setting, from what to what, and when."""
    sql.execute(
        conn,
        "INSERT INTO admin_log (community_id, person_id, key, old_value, new_value, changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (community_id, person_id, key, old, new, ts(now)),
    )


def admin_log(conn: Conn, community_id: int, limit: int = 50) -> list[AdminChange]:
    """The most recent setting changes in a community, newest first."""
    found = sql.rows(
        conn,
        "SELECT a.*, p.display_name FROM admin_log a LEFT JOIN people p ON p.id = a.person_id"
        " WHERE a.community_id = ? ORDER BY a.changed_at DESC, a.id DESC LIMIT ?",
        (community_id, limit),
    )
    return [
        AdminChange(
            id=r["id"],
            community_id=r["community_id"],
            person_id=r["person_id"],
            key=r["key"],
            old_value=r["old_value"],
            new_value=r["new_value"],
            changed_at=parse_ts(r["changed_at"]),
            display_name=r["display_name"],
        )
        for r in found
    ]


class SqliteCommunities(Repository):
    """Communities on SQLite (the Communities protocol)."""

    __slots__ = ()

    ref = hop(community_ref)
    setting = hop(community_setting)
    settings = hop(community_settings)
    set_setting = hop(set_community_setting)
    clear_setting = hop(clear_community_setting)
    log_change = hop(log_admin_change)
    changes = hop(admin_log)
