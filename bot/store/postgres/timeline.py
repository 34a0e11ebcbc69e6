"""A person's rejections as an editable timeline, on PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.store.postgres.engine import Conn, Repository, changed, pooled
from bot.store.postgres.rejections import rejection
from bot.store.records import Rejection
from bot.store.records_growth import RejectionEdit, TimelineEntry, TimelinePage

# Rows map to records as on SQLite (parse_ts takes the datetimes asyncpg returns).
from bot.store.sqlite.rejections import _rejection

# A rejection counts as reflected on once a reflection about it holds a written answer.
_REFLECTED = (
    "EXISTS (SELECT 1 FROM reflections f JOIN reflection_answers a ON a.reflection_id = f.id"
    " WHERE f.rejection_id = r.id AND a.answer IS NOT NULL)"
)


async def timeline_page(conn: Conn, person_id: int, offset: int, limit: int) -> TimelinePage:
    """The person's rejections, newest first, from offset; with the total count."""
    found = await conn.fetch(
        f"SELECT r.*, {_REFLECTED} AS reflected FROM rejections r WHERE r.person_id = $1"
        " ORDER BY r.created_at DESC, r.id DESC LIMIT $2 OFFSET $3",
        person_id,
        limit,
        offset,
    )
    total = await conn.fetchval("SELECT COUNT(*) FROM rejections WHERE person_id = $1", person_id)
    entries = tuple(TimelineEntry(_rejection(r), bool(r["reflected"])) for r in found)
    return TimelinePage(entries, int(total or 0))


async def edit_rejection(
    conn: Conn, rejection_id: int, person_id: int, edit: RejectionEdit
) -> Rejection | None:
    """Apply edit to the person's rejection; the row as saved, or None when not theirs."""
    changes: dict[str, Any] = {}
    for name in ("company", "role", "note"):
        if getattr(edit, f"clear_{name}"):
            changes[name] = None
        elif getattr(edit, name) is not None:
            changes[name] = getattr(edit, name)
    if edit.stage is not None:
        changes["stage"] = edit.stage
    if changes:
        # Column names come from the fixed tuple above, never from input.
        assignments = ", ".join(f"{column} = ${n}" for n, column in enumerate(changes, 1))
        count = len(changes)
        await conn.execute(
            f"UPDATE rejections SET {assignments} WHERE id = ${count + 1}"
            f" AND person_id = ${count + 2}",
            *changes.values(),
            rejection_id,
            person_id,
        )
    return await rejection(conn, rejection_id, person_id)


async def delete_rejection(conn: Conn, rejection_id: int, person_id: int) -> bool:
    """Delete the person's rejection (what pointed at it is kept, unlinked)."""
    return (
        await changed(
            conn,
            "DELETE FROM rejections WHERE id = $1 AND person_id = $2",
            rejection_id,
            person_id,
        )
        > 0
    )


class PostgresTimeline(Repository):
    """The timeline on PostgreSQL (the Timeline protocol)."""

    __slots__ = ()

    page = pooled(timeline_page)
    edit = pooled(edit_rejection)
    delete = pooled(delete_rejection)
