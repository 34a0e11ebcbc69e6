"""Resilience streaks as pure functions: periods in the person's timezone, reserves, points."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.store.records import StreakRow

# Effort earns points; logging a rejection earns nothing, by design.
POINTS: dict[str, int] = {
    "reflection": 5,
    "followup_sent": 3,
    "next_step_done": 3,
    "checkin": 1,
    # A day of Write it out, once a day whatever its length (bot/usecases/writing_days.py).
    "writing": 5,
    # A practice-buddy meeting, for everyone in the group, once a round.
    "buddy_met": 3,
    # The growth ledger: an application, at most one point a day from them.
    "application": 1,
    # Marking a skill gap confident now.
    "skill_confident": 3,
}
RESERVE_EVERY = 4
MAX_RESERVES = 2
WEEK = "week"
DAY = "day"


def period_index(when: datetime, tz: ZoneInfo, period: str = WEEK) -> int:
    """The number of the day or Monday-to-Sunday week that `when` falls in, locally."""
    local_day = when.astimezone(tz).date()
    if period == DAY:
        return local_day.toordinal()
    # date.fromordinal(1) is a Monday, so whole weeks counted from it start on Mondays.
    return (local_day.toordinal() - 1) // 7


def period_start(index: int, period: str = WEEK) -> date:
    """The first local day of a period number."""
    if period == DAY:
        return date.fromordinal(index)
    return date.fromordinal(index * 7 + 1)


def settle(state: StreakRow, index: int) -> StreakRow:
    """The streak as it stands in period `index`: missed periods spend reserves or break it.

    The period `index` itself is still under way, so only the periods strictly between the last
    kept one and it count as missed.
    """
    if state.last_period is None or index <= state.last_period + 1:
        return state
    missed = index - state.last_period - 1
    if missed <= state.reserves:
        # The reserve stands in for the missed periods; they keep the streak but do not lengthen it.
        return replace(
            state, reserves=state.reserves - missed, last_period=index - 1, period_points=0
        )
    return replace(state, current=0, reserves=0, last_period=None, period_points=0)


def record(state: StreakRow, index: int, points: int) -> StreakRow:
    """The streak after one resilience action worth `points` in period `index`."""
    state = settle(state, index)
    if state.last_period == index:
        return replace(
            state,
            period_points=state.period_points + points,
            total_points=state.total_points + points,
        )
    current = state.current + 1
    reserves = state.reserves
    if current % RESERVE_EVERY == 0 and reserves < MAX_RESERVES:
        reserves += 1
    return StreakRow(
        current=current,
        best=max(state.best, current),
        reserves=reserves,
        last_period=index,
        period_points=points,
        total_points=state.total_points + points,
    )


def points_this_period(state: StreakRow, index: int) -> int:
    """Points earned in period `index` (zero if nothing happened in it yet)."""
    return state.period_points if state.last_period == index else 0


def at_risk(state: StreakRow, index: int) -> bool:
    """True when the streak is alive but this period has no action yet."""
    settled = settle(state, index)
    return settled.current > 0 and settled.last_period != index
