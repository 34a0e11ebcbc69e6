"""Earning points: an action's activity, streaks, period totals, milestones and their cheers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import streaks
from bot.models import Context, Reply, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import StreakRow
from bot.usecases import ledger
from bot.usecases.care import Care
from bot.usecases.kit import Kit, Me, pick_text

WEEK_MILESTONES = (4, 8, 12, 26, 52)
# The period key of the all-time board (weeks are "w:<monday>", months "m:<yyyy-mm>").
ALL_TIME = "all"


def window_keys(local_day: date) -> tuple[str, str]:
    """The keys of the week (by its Monday) and the month a local day belongs to."""
    monday = local_day - timedelta(days=local_day.weekday())
    return (f"w:{monday.isoformat()}", f"m:{local_day:%Y-%m}")


@dataclass(frozen=True, slots=True)
class Earned:
    """A person's streaks after an action, and the milestone it reached, if any."""

    week: StreakRow
    day: StreakRow
    milestone: int | None

    def current(self, period: str) -> int:
        """The current streak in the given period."""
        return self.day.current if period == streaks.DAY else self.week.current


async def earn(u: UnitOfWork, me: Me, kind: str, now: datetime) -> Earned:
    """Record one resilience action: activity, both streaks, period totals, milestones."""
    points = streaks.POINTS[kind]
    await u.effort.add_activity(me.id, kind, points, now)
    states = {}
    for period in (streaks.WEEK, streaks.DAY):
        index = streaks.period_index(now, me.tz, period)
        before = await u.effort.streak(me.id, period)
        states[period] = (streaks.settle(before, index), streaks.record(before, index, points))
        await u.effort.save_streak(me.id, states[period][1], now, period)
    local = now.astimezone(me.tz).date()
    await u.effort.add_period_points(me.id, (*window_keys(local), ALL_TIME), points)
    settled, week = states[streaks.WEEK]
    milestone = None
    if week.current in WEEK_MILESTONES and week.current > settled.current:
        milestone = week.current
        await u.effort.record_milestone(me.id, milestone, now)
    # Any month with effort in it has a review to come, not only one with a no logged.
    await ledger.plan_now(u, me, now)
    return Earned(week=week, day=states[streaks.DAY][1], milestone=milestone)


async def standing(u: UnitOfWork, me: Me, now: datetime) -> Earned:
    """The person's streaks as they stand now, for an action that earns nothing more."""
    states = {}
    for period in (streaks.WEEK, streaks.DAY):
        index = streaks.period_index(now, me.tz, period)
        states[period] = streaks.settle(await u.effort.streak(me.id, period), index)
    return Earned(week=states[streaks.WEEK], day=states[streaks.DAY], milestone=None)


async def celebrate(
    kit: Kit,
    u: UnitOfWork,
    ctx: Context,
    me: Me,
    earned: Earned,
    now: datetime,
    care: Care | None = None,
) -> list[Reply]:
    """A milestone DM, and a channel shout-out for people who opted in; none beside care."""
    weeks = earned.milestone
    if weeks is None or care is not None:
        return []
    name = ctx.person.display_name
    dm = await pick_text(
        kit, u, me.id, f"milestone.dm.{weeks}", kit.content.milestones_dm[weeks], now
    )
    replies = [
        Reply(
            text=dm.render(name=name, weeks=weeks),
            title=kit.msg("milestone.title", weeks=weeks),
            where=Where.DM,
        )
    ]
    if me.community_id is not None and await u.people.shoutouts_on(me.id, me.community_id):
        post = await pick_text(
            kit, u, me.id, f"milestone.channel.{weeks}", kit.content.milestones_channel[weeks], now
        )
        replies.append(Reply(text=post.render(name=name, weeks=weeks), where=Where.CHANNEL))
    return replies


def streak_line(
    kit: Kit, me: Me, earned: Earned, *, low: bool = False, care: Care | None = None
) -> Text:
    """The streak line after an action; none on a low day or while support is offered."""
    if low or care is not None:
        return Text()
    key = "reflect.streak_line_days" if me.period == streaks.DAY else "reflect.streak_line"
    return "\n\n" + kit.msg(key, current=earned.current(me.period))
