"""A person's rejections as an editable timeline: the SQL and its repository."""

from __future__ import annotations

from typing import Any

from bot.store.records import Rejection
from bot.store.records_growth import RejectionEdit, TimelineEntry, TimelinePage
from bot.store.sqlite import sql
from bot.store.sqlite.rejections import _rejection, rejection
from bot.store.sqlite.sql import Conn, Repository, hop

# A rejection counts as reflected on once a reflection about it holds a written answer.
_REFLECTED = (
    "EXISTS (SELECT 1 FROM reflections f JOIN reflection_answers a ON a.reflection_id = f.id"
    " WHERE f.rejection_id = r.id AND a.answer IS NOT NULL)"
)


def timeline_page(conn: Conn, person_id: int, offset: int, limit: int) -> TimelinePage:
    """The person's rejections, newest first, from offset; with the total count."""
    found = sql.rows(
        conn,
        f"SELECT r.*, {_REFLECTED} AS reflected FROM rejections r WHERE r.person_id = ?"
        " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
        (person_id, limit, offset),
    )
    total = sql.one(conn, "SELECT COUNT(*) FROM rejections WHERE person_id = ?", (person_id,))
    entries = tuple(TimelineEntry(_rejection(r), bool(r["reflected"])) for r in found)
    return TimelinePage(entries, int(total[0]) if total else 0)


def edit_rejection(
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
        assignments = ", ".join(f"{column} = ?" for column in changes)
        sql.execute(
            conn,
            f"UPDATE rejections SET {assignments} WHERE id = ? AND person_id = ?",
            (*changes.values(), rejection_id, person_id),
        )
    return rejection(conn, rejection_id, person_id)


def delete_rejection(conn: Conn, rejection_id: int, person_id: int) -> bool:
    """Delete the person's rejection (what pointed at it is kept, unlinked)."""
    return (
        sql.rowcount(
            conn,
            "DELETE FROM rejections WHERE id = ? AND person_id = ?",
            (rejection_id, person_id),
        )
        > 0
    )


class SqliteTimeline(Repository):
    """The timeline on SQLite (the Timeline protocol)."""

    __slots__ = ()

    page = hop(timeline_page)
    edit = hop(edit_rejection)
    delete = hop(delete_rejection)
