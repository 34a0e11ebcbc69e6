"""People, their settings and their memberships of communities, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.models import CommunityRef, PersonRef
from bot.store.postgres.community import community_settings
from bot.store.postgres.engine import Conn, Repository, at, pooled
from bot.store.records import Arrival, Person

# Rows map to records as on SQLite (times come as datetimes here).
from bot.store.sqlite.people import _person


async def ensure_person(conn: Conn, ref: PersonRef, now: datetime) -> Person:
    """The stored person for ref, created on first sight; keeps the display name fresh."""
    # Read first: nearly every call finds the person unchanged, and a read locks no row.
    row = await conn.fetchrow(
        "SELECT * FROM people WHERE platform = $1 AND user_id = $2", ref.platform, ref.user_id
    )
    if row is None or row["display_name"] != ref.display_name:
        row = await conn.fetchrow(
            "INSERT INTO people (platform, user_id, display_name, created_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (platform, user_id)"
            " DO UPDATE SET display_name = excluded.display_name RETURNING *",
            ref.platform,
            ref.user_id,
            ref.display_name,
            at(now),
        )
    assert row is not None
    return _person(row)


async def find_person(conn: Conn, platform: str, user_id: str) -> Person | None:
    """The stored person, or None."""
    row = await conn.fetchrow(
        "SELECT * FROM people WHERE platform = $1 AND user_id = $2", platform, user_id
    )
    return _person(row) if row else None


async def person_by_id(conn: Conn, person_id: int) -> Person | None:
    """The stored person with this id, or None."""
    row = await conn.fetchrow("SELECT * FROM people WHERE id = $1", person_id)
    return _person(row) if row else None


async def people_by_id(conn: Conn, ids: Iterable[int]) -> dict[int, Person]:
    """The people with these ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = await conn.fetch("SELECT * FROM people WHERE id = ANY($1::bigint[])", wanted)
    return {row["id"]: _person(row) for row in found}


async def update_person(
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

    await conn.execute(
        "UPDATE people SET timezone = COALESCE($1, timezone),"
        " quiet_start = COALESCE($2, quiet_start), quiet_end = COALESCE($3, quiet_end),"
        " dm_reminders = COALESCE($4, dm_reminders), checkin_days = COALESCE($5, checkin_days),"
        " nudges = COALESCE($6, nudges), weekend_followups = COALESCE($7, weekend_followups)"
        " WHERE id = $8",
        timezone,
        quiet_start,
        quiet_end,
        flag(dm_reminders),
        None if checkin_days is None else ",".join(map(str, checkin_days)),
        flag(nudges),
        flag(weekend_followups),
        person_id,
    )


async def note_dm_failure(conn: Conn, person_id: int, reason: str, *, count: int = 1) -> None:
    """Remember that DMs to the person could not be delivered, to tell them next time."""
    await conn.execute(
        "UPDATE people SET dm_failed_count = dm_failed_count + $1, dm_failed_reason = $2"
        " WHERE id = $3",
        count,
        reason,
        person_id,
    )


async def clear_dm_failures(conn: Conn, person_id: int) -> None:
    """Forget failed DMs once the person has been told about them."""
    await conn.execute(
        "UPDATE people SET dm_failed_count = 0, dm_failed_reason = NULL WHERE id = $1", person_id
    )


async def ensure_membership(
    conn: Conn, person_id: int, community: CommunityRef, now: datetime
) -> int:
    """Record that the person is in the community; return the community's row id."""
    row = await conn.fetchrow(
        "SELECT id, name FROM communities WHERE platform = $1 AND community_id = $2",
        community.platform,
        community.community_id,
    )
    if row is None or (community.name and row["name"] != community.name):
        row = await conn.fetchrow(
            "INSERT INTO communities (platform, community_id, name, created_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (platform, community_id) DO UPDATE SET"
            " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE communities.name END"
            " RETURNING id",
            community.platform,
            community.community_id,
            community.name,
            at(now),
        )
    assert row is not None
    community_id = int(row["id"])
    await conn.execute(
        "INSERT INTO memberships (person_id, community_id, joined_at) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        person_id,
        community_id,
        at(now),
    )
    return community_id


async def _set_flag(conn: Conn, column: str, person_id: int, community_id: int, on: bool) -> None:
    # The column is one of two names written below, never input.
    await conn.execute(
        f"UPDATE memberships SET {column} = $1 WHERE person_id = $2 AND community_id = $3",
        int(on),
        person_id,
        community_id,
    )


async def _flag(conn: Conn, column: str, person_id: int, community_id: int) -> bool:
    value = await conn.fetchval(
        f"SELECT {column} FROM memberships WHERE person_id = $1 AND community_id = $2",
        person_id,
        community_id,
    )
    return bool(value)


async def set_leaderboard(conn: Conn, person_id: int, community_id: int, on: bool) -> None:
    """Opt the person in to (or out of) the community's leaderboard."""
    await _set_flag(conn, "leaderboard", person_id, community_id, on)


async def set_shoutouts(conn: Conn, person_id: int, community_id: int, on: bool) -> None:
    """Opt the person in to (or out of) milestone shout-outs in the community's channel."""
    await _set_flag(conn, "shoutouts", person_id, community_id, on)


async def on_leaderboard(conn: Conn, person_id: int, community_id: int) -> bool:
    """True when the person has opted in to the community's leaderboard."""
    return await _flag(conn, "leaderboard", person_id, community_id)


async def shoutouts_on(conn: Conn, person_id: int, community_id: int) -> bool:
    """True when the person has opted in to milestone shout-outs in the community."""
    return await _flag(conn, "shoutouts", person_id, community_id)


async def community_setting_for(conn: Conn, person_id: int, key: str) -> str | None:
    """A setting of the person's most recently joined community that set it."""
    value: str | None = await conn.fetchval(
        "SELECT s.value FROM memberships m JOIN community_settings s"
        " ON s.community_id = m.community_id AND s.key = $1"
        " WHERE m.person_id = $2 ORDER BY m.joined_at DESC, m.community_id DESC LIMIT 1",
        key,
        person_id,
    )
    return value


async def members_without_timezone(conn: Conn, community_id: int) -> list[int]:
    """The ids of the community's members who set no timezone of their own."""
    found = await conn.fetch(
        "SELECT p.id FROM memberships m JOIN people p ON p.id = m.person_id"
        " WHERE m.community_id = $1 AND p.timezone IS NULL ORDER BY p.id",
        community_id,
    )
    return [int(row["id"]) for row in found]


async def community_timezone_for(conn: Conn, person_id: int) -> str | None:
    """The timezone of the person's most recently joined community that set one."""
    return await community_setting_for(conn, person_id, "timezone")


async def community_timezones(conn: Conn, person_ids: Iterable[int]) -> dict[int, str]:
    """community_timezone_for many people at once (those with none are left out)."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    found = await conn.fetch(
        "SELECT DISTINCT ON (m.person_id) m.person_id, s.value FROM memberships m"
        " JOIN community_settings s ON s.community_id = m.community_id AND s.key = 'timezone'"
        " WHERE m.person_id = ANY($1::bigint[])"
        " ORDER BY m.person_id, m.joined_at DESC, m.community_id DESC",
        wanted,
    )
    return {int(row["person_id"]): row["value"] for row in found}


async def arrive(
    conn: Conn, ref: PersonRef, community: CommunityRef | None, now: datetime
) -> Arrival:
    """The person (created on first sight) and their membership where they are, as one call."""
    person = await ensure_person(conn, ref, now)
    if person.dm_failed_count:
        # The caller tells them in its reply (the count is in the Arrival); it starts over.
        await clear_dm_failures(conn, person.id)
    community_id, settings = None, {}
    if community is not None:
        community_id = await ensure_membership(conn, person.id, community, now)
        settings = await community_settings(conn, community_id)
    zone = None if person.timezone else await community_timezone_for(conn, person.id)
    return Arrival(person, community_id, settings, zone)


class PostgresPeople(Repository):
    """People and memberships on PostgreSQL (the People protocol)."""

    __slots__ = ()

    ensure = pooled(ensure_person)
    arrive = pooled(arrive)
    find = pooled(find_person)
    get = pooled(person_by_id)
    many = pooled(people_by_id)
    update = pooled(update_person)
    note_dm_failure = pooled(note_dm_failure)
    clear_dm_failures = pooled(clear_dm_failures)
    join = pooled(ensure_membership)
    set_leaderboard = pooled(set_leaderboard)
    set_shoutouts = pooled(set_shoutouts)
    on_leaderboard = pooled(on_leaderboard)
    shoutouts_on = pooled(shoutouts_on)
    community_timezone = pooled(community_timezone_for)
    community_timezones = pooled(community_timezones)
    without_timezone = pooled(members_without_timezone)
    community_setting = pooled(community_setting_for)
