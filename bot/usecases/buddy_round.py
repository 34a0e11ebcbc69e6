"""Practice-buddy rounds: when each community's round is due, and running it once.

A round is claimed with a row per community and round (as the digest claims its week), so a
restart or a second process never runs one twice. Running it matches the pool with bot.buddies
off the event loop, then in one transaction settles the last round's answers (three silent
rounds in a row pause a person, who is told), stores the groups and plans every DM as a
reminder row: the intro now, the follow-through three days before the next round.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Mapping
from datetime import datetime, time, timedelta

from bot import buddies, when
from bot.store.records import BuddyMember, PastRound, ReminderPlan
from bot.usecases.community import BUDDY_DAY, BUDDY_HOUR
from bot.usecases.kit import Kit

logger = logging.getLogger(__name__)

CADENCES = {"weekly": 1, "fortnightly": 2}
# A round missed by more than this (the process was down) waits for the next one, so turning
# buddies on midweek does not start last Monday's round at once.
CATCH_UP = timedelta(days=1)
FOLLOW_THROUGH_BEFORE = timedelta(days=3)
SILENT_ROUNDS_PAUSE = 3


def moments(settings: Mapping[str, str], around: datetime, default_tz: str) -> list[datetime]:
    """The community's round moments (UTC) in the weeks around a time, in order."""
    tz = when.zone(settings.get("timezone") or default_tz)
    every = CADENCES.get(settings.get("buddies", ""), 0)
    if not every:
        return []
    day = when.parse_weekday(settings.get("buddy_day", BUDDY_DAY)) or 0
    hour = int(settings.get("buddy_hour", BUDDY_HOUR))
    local = around.astimezone(tz).date()
    monday = local - timedelta(days=local.weekday())
    found = []
    for weeks in range(-3, 4):
        start = monday + timedelta(weeks=weeks)
        # Fortnightly rounds fall on even-numbered weeks, counted from a fixed Monday.
        if ((start.toordinal() - 1) // 7) % every == 0:
            found.append(when.local_to_utc(start + timedelta(days=day), time(hour), tz))
    return found


def due_round(settings: Mapping[str, str], now: datetime, default_tz: str) -> datetime | None:
    """The round moment to run now: the latest at or before now, if not more than a day ago."""
    past = [m for m in moments(settings, now, default_tz) if m <= now]
    return past[-1] if past and now - past[-1] < CATCH_UP else None


def next_round(settings: Mapping[str, str], after: datetime, default_tz: str) -> datetime | None:
    """The first round moment after a time, or None when buddies are off."""
    later = [m for m in moments(settings, after, default_tz) if m > after]
    return later[0] if later else None


def round_key(moment: datetime, settings: Mapping[str, str], default_tz: str) -> str:
    """A round's key: its local date in the community's timezone."""
    tz = when.zone(settings.get("timezone") or default_tz)
    return moment.astimezone(tz).date().isoformat()


def seed_of(community_id: int, key: str) -> int:
    """The round's chance, fixed by community and round so a rerun matches the same way."""
    return zlib.crc32(f"{community_id}:{key}".encode())


async def next_round_at(kit: Kit, now: datetime) -> datetime | None:
    """When the next round of any community is due (the terminal's clock stops there)."""
    upcoming = [
        moment
        for _, settings in await kit.store.buddies.communities()
        if (moment := next_round(settings, now, kit.default_timezone)) is not None
    ]
    return min(upcoming, default=None)


async def run_due(kit: Kit, now: datetime, lease: timedelta) -> int:
    """Run every community's round that is due and not yet run; how many ran."""
    ran = 0
    for community_id, settings in await kit.store.buddies.communities():
        moment = due_round(settings, now, kit.default_timezone)
        if moment is None:
            continue
        key = round_key(moment, settings, kit.default_timezone)
        round_id = await kit.store.buddy_rounds.claim(community_id, key, now, now + lease)
        if round_id is None:
            continue
        try:
            await run_round(kit, community_id, settings, round_id, key, moment, now)
        except Exception:
            # One community's trouble must not cost the others their round; this one is
            # claimed again when its lease runs out.
            logger.exception("buddy round of community %s failed", community_id)
            continue
        ran += 1
    return ran


async def run_round(
    kit: Kit,
    community_id: int,
    settings: Mapping[str, str],
    round_id: int,
    key: str,
    moment: datetime,
    now: datetime,
) -> None:
    """Settle the last round, match the pool, store the groups and plan every DM."""
    store = kit.store
    past = await store.buddy_rounds.recent(community_id, buddies.RECENT)
    last = past[0] if past else PastRound(0, "", ())
    silent = [p for group in last.groups for p in group if p not in last.answered]
    everyone = await store.buddies.pool(community_id, now)
    pausing = _pausing(everyone, silent)
    pool = [m for m in everyone if m.person_id not in pausing]
    plans = [
        ReminderPlan(p, "buddy_paused", community_id, f"buddy_paused:{community_id}:{p}:{key}", now)
        for p in sorted(pausing)
    ]
    blocked = set(await store.buddy_blocks.among(community_id))
    history = _history(past, blocked)
    community_tz = settings.get("timezone") or kit.default_timezone
    offsets: dict[str | None, int] = {}
    candidates = [_candidate(m, community_tz, moment, offsets) for m in pool]
    # Matching thousands is CPU work: off the event loop, so replies keep flowing meanwhile.
    found = await asyncio.to_thread(buddies.match, candidates, history, seed_of(community_id, key))
    focus = {m.person_id: m.focus for m in pool}
    groups = [[(p, focus[p]) for p in group] for group in found.groups]
    after = next_round(settings, moment, kit.default_timezone) or moment + timedelta(days=7)
    check_at = max(now, after - FOLLOW_THROUGH_BEFORE)
    for group in found.groups:
        for person in group:
            plans.append(_plan(person, "buddy_intro", round_id, now))
            plans.append(_plan(person, "buddy_check", round_id, check_at))
    alone = "buddy_alone" if len(pool) == 1 else "buddy_unplaced"
    plans += [_plan(p, alone, round_id, now) for p in found.unplaced]
    # One transaction: a round cut short and claimed again counts nobody's silence twice.
    async with store.unit() as u:
        await u.buddies.note_rounds(community_id, last.answered, silent)
        for person in pausing:
            await u.buddies.pause(person, community_id, None)
        await u.buddy_rounds.record(round_id, groups, now)
        await u.reminders.schedule_many(plans, now)
    logger.info(
        "buddy round %s: %s groups, %s unplaced", round_id, len(found.groups), len(found.unplaced)
    )


def _plan(person_id: int, kind: str, round_id: int, due: datetime) -> ReminderPlan:
    return ReminderPlan(person_id, kind, round_id, f"{kind}:{round_id}:{person_id}", due)


def _candidate(
    member: BuddyMember, community_tz: str, moment: datetime, offsets: dict[str | None, int]
) -> buddies.Candidate:
    """A pool member as the matcher sees them: focus, and their clock's offset at the round."""
    # Thousands of members share a few dozen zones: each zone's offset is computed once.
    minutes = offsets.get(member.timezone)
    if minutes is None:
        offset = moment.astimezone(when.zone(member.timezone or community_tz)).utcoffset()
        minutes = offsets[member.timezone] = int(offset.total_seconds() // 60) if offset else 0
    return buddies.Candidate(member.person_id, member.focus, minutes)


def _history(past: list[PastRound], blocked: set[frozenset[int]]) -> buddies.History:
    """Who met how many rounds ago, and who must not meet (blocks, and asks for someone new)."""
    last_met: dict[frozenset[int], int] = {}
    for ago, past_round in enumerate(past, start=1):
        for group in past_round.groups:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    last_met.setdefault(frozenset((a, b)), ago)
    if past:
        # "Pair me with someone else next time": the round after, those two do not meet.
        for group in past[0].groups:
            for person in past[0].another & set(group):
                blocked |= {frozenset((person, other)) for other in group if other != person}
    return buddies.History(last_met, frozenset(blocked))


def _pausing(pool: list[BuddyMember], silent: list[int]) -> set[int]:
    """Who in the pool stays silent a third round running: paused now, and told so."""
    quiet = set(silent)
    return {
        m.person_id
        for m in pool
        if m.person_id in quiet and m.silent_rounds + 1 >= SILENT_ROUNDS_PAUSE
    }
