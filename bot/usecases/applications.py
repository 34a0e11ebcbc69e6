"""/applied: log an application in one line; effort (a point a day) that feeds the insights."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.models import Context, Text
from bot.usecases import ledger
from bot.usecases.checks import clean
from bot.usecases.effort import celebrate, earn, standing, streak_line
from bot.usecases.kit import Kit, find_me, today
from bot.usecases.outcome import Outcome
from bot.vocab import NAME_MAX


def _what(kit: Kit, company: str | None, role: str | None) -> Text:
    """The application as the person named it."""
    if company and role:
        return kit.msg("applied.at_as", company=company, role=role)
    if company or role:
        return Text.typed(company or role or "")
    return kit.msg("applied.unnamed")


async def applied(
    kit: Kit,
    ctx: Context,
    *,
    company: str | None = None,
    role: str | None = None,
    source: str | None = None,
) -> Outcome:
    """Log an application privately; the first of the day earns a point."""
    company = clean(company, "company", NAME_MAX)
    role = clean(role, "role", NAME_MAX)
    source = clean(source, "source", NAME_MAX)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        midnight = datetime.combine(today(me.tz, now), time(0), tzinfo=me.tz)
        # Applications earn one point a day: sending many is welcome, but not a points tap.
        again = await u.applications.count_since(me.id, midnight) > 0
        await u.applications.add(me.id, company=company, role=role, source=source, now=now)
        earned = await standing(u, me, now) if again else await earn(u, me, "application", now)
        monday = midnight - timedelta(days=midnight.weekday())
        this_week = await u.applications.count_since(me.id, monday)
        celebrations = await celebrate(kit, u, ctx, me, earned, now)
        await ledger.plan_now(u, me, now)
    what = _what(kit, company, role)
    text = kit.msg("applied.logged", what=what, source=source, count=this_week)
    text += "\n" + kit.msg("applied.again" if again else "applied.point")
    text += streak_line(kit, me, earned)
    reply = kit.private(text, title=kit.msg("applied.title"))
    return Outcome.of(me, [reply, *celebrations])
