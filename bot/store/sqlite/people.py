"""People, their settings and their memberships of communities: the SQL and its repository."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.models import CommunityRef, PersonRef
from bot.store.records import Arrival, Person, ts
from bot.store.sqlite import sql
from bot.store.sqlite.community import community_settings
from bot.store.sqlite.sql import Conn, Repository, Row, hop


def _person(row: Row) -> Person:
    return Person(
        id=row["id"],
        platform=row["platform"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        timezone=row["timezone"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
        dm_reminders=bool(row["dm_reminders"]),
        checkin_days=tuple(int(d) for d in row["checkin_days"].split(",") if d),
        nudges=bool(row["nudges"]),
        weekend_followups=bool(row["weekend_followups"]),
        dm_failed_count=row["dm_failed_count"],
        dm_failed_reason=row["dm_failed_reason"],
    )


def ensure_person(conn: Conn, ref: PersonRef, now: datetime) -> Person:
    """The stored person for ref, created on first sight; keeps the display name fresh."""
    # Read first: nearly every call finds the person unchanged, and a read writes no page.
    row = sql.one(
        conn, "SELECT * FROM people WHERE platform = ? AND user_id = ?", (ref.platform, ref.user_id)
    )
    if row is None or row["display_name"] != ref.display_name:
        row = sql.one(
            conn,
            "INSERT INTO people (platform, user_id, display_name, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (platform, user_id)"
            " DO UPDATE SET display_name = excluded.display_name RETURNING *",
            (ref.platform, ref.user_id, ref.display_name, ts(now)),
        )
    assert row is not None
    return _person(row)


def find_person(conn: Conn, platform: str, user_id: str) -> Person | None:
    """The stored person, or None."""
    return sql.get(
        conn,
        _person,
        "SELECT * FROM people WHERE platform = ? AND user_id = ?",
        (platform, user_id),
    )


def person_by_id(conn: Conn, person_id: int) -> Person | None:
    """The stored person with this id, or None."""
    return sql.get(conn, _person, "SELECT * FROM people WHERE id = ?", (person_id,))


def people_by_id(conn: Conn, ids: Iterable[int]) -> dict[int, Person]:
    """The people with these ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = sql.rows(conn, f"SELECT * FROM people WHERE id IN ({sql.marks(wanted)})", wanted)
    return {row["id"]: _person(row) for row in found}


def update_person(
    conn: Conn,
    person_id: int,
    *,
    timezone: str | None = None,
    quiet_start: str | None = None,
    quiet_end: str | None = None,
    dm_reminders: bool | None = None,
    checkin_days: tuple[int, ...] | None = None,
    nudges: bool | None = None,
    weekend_followups: bool | None = None,
) -> None:
    """Change the given personal settings; None leaves one as it is."""

    def flag(value: bool | None) -> int | None:
        return None if value is None else int(value)

    sql.execute(
        conn,
        "UPDATE people SET timezone = COALESCE(?, timezone),"
        " quiet_start = COALESCE(?, quiet_start), quiet_end = COALESCE(?, quiet_end),"
        " dm_reminders = COALESCE(?, dm_reminders), checkin_days = COALESCE(?, checkin_days),"
        " nudges = COALESCE(?, nudges), weekend_followups = COALESCE(?, weekend_followups)"
        " WHERE id = ?",
        (
            timezone,
            quiet_start,
            quiet_end,
            flag(dm_reminders),
            None if checkin_days is None else ",".join(map(str, checkin_days)),
            flag(nudges),
            flag(weekend_followups),
            person_id,
        ),
    )


def note_dm_failure(conn: Conn, person_id: int, reason: str, *, count: int = 1) -> None:
    """Remember that DMs to the person could not be delivered, to tell them next time."""
    sql.execute(
        conn,
        "UPDATE people SET dm_failed_count = dm_failed_count + ?, dm_failed_reason = ?"
        " WHERE id = ?",
        (count, reason, person_id),
    )


def clear_dm_failures(conn: Conn, person_id: int) -> None:
    """Forget failed DMs once the person has been told about them."""
    sql.execute(
        conn,
        "UPDATE people SET dm_failed_count = 0, dm_failed_reason = NULL WHERE id = ?",
        (person_id,),
    )


def ensure_membership(conn: Conn, person_id: int, community: CommunityRef, now: datetime) -> int:
    """Record that the person is in the community; return the community's row id."""
    row = sql.one(
        conn,
        "SELECT id, name FROM communities WHERE platform = ? AND community_id = ?",
        (community.platform, community.community_id),
    )
    if row is None or (community.name and row["name"] != community.name):
        row = sql.one(
            conn,
            "INSERT INTO communities (platform, community_id, name, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (platform, community_id) DO UPDATE SET"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE communities.name END"
            " RETURNING id",
            (community.platform, community.community_id, community.name, ts(now)),
        )
    assert row is not None
    community_id = int(row["id"])
    sql.execute(
        conn,
        "INSERT INTO memberships (person_id, community_id, joined_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (person_id, community_id, ts(now)),
    )
    return community_id


def set_leaderboard(conn: Conn, person_id: int, community_id: int, on: bool) -> None:
    """Opt the person in to (or out of) the community's leaderboard."""
    sql.execute(
        conn,
        "UPDATE memberships SET leaderboard = ? WHERE person_id = ? AND community_id = ?",
        (int(on), person_id, community_id),
    )


def set_shoutouts(conn: Conn, person_id: int, community_id: int, on: bool) -> None:
    """Opt the person in to (or out of) milestone shout-outs in the community's channel."""
    sql.execute(
        conn,
        "UPDATE memberships SET shoutouts = ? WHERE person_id = ? AND community_id = ?",
        (int(on), person_id, community_id),
    )


def shoutouts_on(conn: Conn, person_id: int, community_id: int) -> bool:
    """True when the person has opted in to milestone shout-outs in the community."""
    row = sql.one(
        conn,
        "SELECT shoutouts FROM memberships WHERE person_id = ? AND community_id = ?",
        (person_id, community_id),
    )
    return bool(row and row["shoutouts"])


def on_leaderboard(conn: Conn, person_id: int, community_id: int) -> bool:
    """True when the person has opted in to the community's leaderboard."""
    row = sql.one(
        conn,
        "SELECT leaderboard FROM memberships WHERE person_id = ? AND community_id = ?",
        (person_id, community_id),
    )
    return bool(row and row["leaderboard"])


def community_setting_for(conn: Conn, person_id: int, key: str) -> str | None:
    """A setting of the person's most recently joined community that set it."""
    row = sql.one(
        conn,
        "SELECT s.value FROM memberships m JOIN community_settings s"
        " ON s.community_id = m.community_id AND s.key = ?"
        " WHERE m.person_id = ? ORDER BY m.joined_at DESC, m.community_id DESC LIMIT 1",
        (key, person_id),
    )
    return row["value"] if row else None


def members_without_timezone(conn: Conn, community_id: int) -> list[int]:
    """The ids of the community's members who set no timezone of their own."""
    found = sql.rows(
        conn,
        "SELECT p.id FROM memberships m JOIN people p ON p.id = m.person_id"
        " WHERE m.community_id = ? AND p.timezone IS NULL ORDER BY p.id",
        (community_id,),
    )
    return [int(row["id"]) for row in found]


def community_timezone_for(conn: Conn, person_id: int) -> str | None:
    """The timezone of the person's most recently joined community that set one."""
    return community_setting_for(conn, person_id, "timezone")


def community_timezones(conn: Conn, person_ids: Iterable[int]) -> dict[int, str]:
    """community_timezone_for many people at once (those with none are left out)."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    found = sql.rows(
        conn,
        "SELECT m.person_id, s.value FROM memberships m JOIN community_settings s"
        " ON s.community_id = m.community_id AND s.key = 'timezone'"
        f" WHERE m.person_id IN ({sql.marks(wanted)})"
        " ORDER BY m.person_id, m.joined_at DESC, m.community_id DESC",
        wanted,
    )
    zones: dict[int, str] = {}
    for row in found:
        # The first row of each person is their most recently joined community's.
        zones.setdefault(row["person_id"], row["value"])
    return zones


def arrive(conn: Conn, ref: PersonRef, community: CommunityRef | None, now: datetime) -> Arrival:
    """The person (created on first sight) and their membership where they are, as one call."""
    person = ensure_person(conn, ref, now)
    if person.dm_failed_count:
        # The caller tells them in its reply (the count is in the Arrival); it starts over.
        clear_dm_failures(conn, person.id)
    community_id, settings = None, {}
    if community is not None:
        community_id = ensure_membership(conn, person.id, community, now)
        settings = community_settings(conn, community_id)
    zone = None if person.timezone else community_timezone_for(conn, person.id)
    return Arrival(person, community_id, settings, zone)


class SqlitePeople(Repository):
    """People and memberships on SQLite (the People protocol)."""

    __slots__ = ()

    ensure = hop(ensure_person)
    arrive = hop(arrive)
    find = hop(find_person)
    get = hop(person_by_id)
    many = hop(people_by_id)
    update = hop(update_person)
    note_dm_failure = hop(note_dm_failure)
    clear_dm_failures = hop(clear_dm_failures)
    join = hop(ensure_membership)
    set_leaderboard = hop(set_leaderboard)
    set_shoutouts = hop(set_shoutouts)
    on_leaderboard = hop(on_leaderboard)
    shoutouts_on = hop(shoutouts_on)
    community_timezone = hop(community_timezone_for)
    community_timezones = hop(community_timezones)
    without_timezone = hop(members_without_timezone)
    community_setting = hop(community_setting_for)
