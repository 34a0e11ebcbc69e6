"""Care and safety: which support a reply offers first, and counting how often, never what."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.models import Context, Reply
from bot.safety import Concern
from bot.store.interface import UnitOfWork
from bot.usecases.kit import Kit, Me, find_me
from bot.vocab import UserError

if TYPE_CHECKING:
    from bot.usecases.outcome import Outcome

# The care message for a sign of crisis, the gentler one for a worrying but negated mention,
# and the check after a second very low day in a week.
CRISIS_CARE = "safety.reply"
GENTLE_CHECK = "safety.check"
LOW_WEEK = "safety.low_week"
# Nothing about a match is kept with the person: only how often each kind of care is offered.
COUNTERS = {Concern.CRISIS: "safety.matches", Concern.CHECK: "safety.checks"}
LOW_WEEK_COUNTER = "safety.low_weeks"
# Past this many characters the net runs in a worker thread: a day of Write it out may come as
# one 20,000-character Slack message, about 120 ms of matching that must not hold the loop.
LONG_TEXT = 4_000


@dataclass(frozen=True, slots=True)
class Care:
    """Support to offer first in a reply: which message, with which resources."""

    key: str
    resources: str

    @property
    def alone(self) -> bool:
        """A sign of crisis: the support message is the whole reply, nothing of the usual flow."""
        return self.key == CRISIS_CARE


def resources(kit: Kit, me: Me) -> str:
    """The community's own support text, or the default one."""
    return me.community.get("support_text") or kit.content.safety.resources


def counter_for(concern: Concern) -> str | None:
    """The counter a concern bumps, if any."""
    return COUNTERS.get(concern)


def care_for(kit: Kit, me: Me, concern: Concern) -> Care | None:
    """The support a concern calls for, or None."""
    if concern is Concern.CRISIS:
        return Care(CRISIS_CARE, resources(kit, me))
    if concern is Concern.CHECK:
        return Care(GENTLE_CHECK, resources(kit, me))
    return None


async def assess(kit: Kit, *texts: str | None) -> Concern:
    """The crisis net's verdict on free text; a long text is checked off the event loop."""
    if sum(len(t) for t in texts if t) > LONG_TEXT:
        return await asyncio.to_thread(kit.content.safety.assess, *texts)
    return kit.content.safety.assess(*texts)


async def screen(kit: Kit, u: UnitOfWork, me: Me, *texts: str | None) -> Care | None:
    """Check free text for signs of crisis; the care it calls for, counted (not kept)."""
    return await counted(kit, u, me, await assess(kit, *texts))


async def counted(kit: Kit, u: UnitOfWork, me: Me, concern: Concern) -> Care | None:
    """The care a concern calls for, counted (not kept)."""
    counter = counter_for(concern)
    if counter is not None:
        await u.state.bump(counter)
    return care_for(kit, me, concern)


async def low_week(kit: Kit, u: UnitOfWork, me: Me, now: datetime) -> Care | None:
    """After a very low check-in: a gentle check when it is the second in a week."""
    lowest = await u.checkins.count(me.id, 1, now - timedelta(days=7))
    if lowest < 2:
        return None
    await u.state.bump(LOW_WEEK_COUNTER)
    return Care(LOW_WEEK, resources(kit, me))


def support_reply(kit: Kit, care: Care) -> Reply:
    """The support message itself: private, titled, with the resources."""
    return kit.private(kit.msg(care.key, resources=care.resources), title=kit.msg("support.title"))


async def despite(kit: Kit, ctx: Context, error: UserError, *texts: str | None) -> Outcome:
    """Support alone for a sign of crisis in text refused for its form; else the refusal."""
    # "Too long" must never stand between a person in crisis and the support message.
    if kit.content.safety.assess(*texts) is not Concern.CRISIS:
        raise error
    from bot.usecases.outcome import Outcome  # outcome.py imports this module

    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        await u.state.bump(COUNTERS[Concern.CRISIS])
    return Outcome.of(me, [], Care(CRISIS_CARE, resources(kit, me)))
