"""The core's face: each call an adapter makes, routed to its use case in bot/usecases/."""

from __future__ import annotations

import functools
import inspect
import random
import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Concatenate, ParamSpec
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.models import PersonRef, Reply
from bot.ports import Clock
from bot.store.interface import Store
from bot.store.records import Person, Reminder
from bot.usecases import (
    account,
    applications,
    boards,
    buddies,
    buddy_round,
    buttons,
    checkins,
    community,
    conversation,
    followups,
    reflection,
    rejections,
    reminders,
    skills,
    timeline,
    writing,
)
from bot.usecases.checks import parse_days, parse_on_off, parse_stage
from bot.usecases.community import ADMIN_OPTIONS, DIGEST_DAY, DIGEST_HOUR
from bot.usecases.effort import ALL_TIME, window_keys
from bot.usecases.hired import hired
from bot.usecases.insights import insights_view
from bot.usecases.kit import Kit, Zones, zone_of, zones_of
from bot.usecases.ledger import ledger_view
from bot.usecases.outcome import Outcome, run
from bot.vocab import UserError

# Names callers import from here, where they lived before the use cases moved out.
__all__ = [
    "ADMIN_OPTIONS",
    "ALL_TIME",
    "DIGEST_DAY",
    "DIGEST_HOUR",
    "Rebound",
    "UserError",
    "parse_days",
    "parse_on_off",
    "parse_stage",
    "window_keys",
]
P = ParamSpec("P")


# Half of a UTF-16 pair on its own (JSON can carry one): no database can store it as text.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: object) -> object:
    """What a person typed, as text any database stores: NULs dropped, lone surrogates marked.

    Neither means anything to a reader. SQLite would keep a NUL and PostgreSQL refuses text
    holding one; a lone surrogate cannot be encoded at all. Without this, one stray character
    turned a note into "something went wrong", on one database and not the other.
    """
    if not isinstance(value, str) or (value.isascii() and "\x00" not in value):
        return value
    return _LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def _routed(
    handler: Callable[Concatenate[Kit, P], Awaitable[Outcome]],
) -> Callable[Concatenate[Rebound, P], Awaitable[list[Reply]]]:
    """A method of the core that runs handler with the core's kit and delivers its Outcome."""

    @functools.wraps(handler, assigned=("__module__", "__name__", "__doc__"))
    async def method(self: Rebound, *args: P.args, **kwargs: P.kwargs) -> list[Reply]:
        typed = tuple(_storable(a) for a in args)
        named = {k: _storable(v) for k, v in kwargs.items()}
        return await run(self._kit, handler, *typed, **named)  # type: ignore[arg-type]

    # What callers see (help(), inspect, the command checks): the handler's own parameters.
    signature = inspect.signature(handler)
    own = list(signature.parameters.values())[1:]
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *own],
        return_annotation="list[Reply]",
    )
    return method


class Rebound:
    """Rebound's use cases behind one face. Adapters call these and deliver the Replies.

    Each method only routes: the work is a handler in bot/usecases/, run by outcome.run,
    which puts care and missed-DM notices in order and turns failures into kind replies.
    """

    def __init__(
        self,
        store: Store,
        content: Content,
        clock: Clock,
        *,
        default_timezone: str = "UTC",
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.content = content
        self.clock = clock
        self.default_timezone = default_timezone
        self._kit = Kit(store, content, clock, default_timezone, rng or random.Random())

    # Each of these runs its handler in bot/usecases/ with this core's kit, and takes the
    # handler's own parameters after ctx (see _routed).
    rejected = _routed(rejections.rejected)
    declined = _routed(rejections.declined)
    reflect = _routed(reflection.reflect)
    dm_text = _routed(conversation.dm_text)
    checkin = _routed(checkins.checkin)
    followup_add = _routed(followups.followup_add)
    followup_list = _routed(followups.followup_list)
    followup_mark = _routed(followups.followup_mark)
    streak = _routed(boards.streak)
    leaderboard = _routed(boards.leaderboard)
    admin = _routed(community.admin)
    settings = _routed(account.settings)
    journal = _routed(account.journal)
    export = _routed(account.export)
    forget = _routed(account.forget)
    support = _routed(account.support)
    help = _routed(account.help_text)
    home = _routed(account.home)
    upcoming = _routed(reminders.upcoming)
    press = _routed(buttons.press)
    writeitout = _routed(writing.writeitout)
    buddy = _routed(buddies.buddy)

    async def buddy_rounds(self, now: datetime, lease: timedelta) -> int:
        """Run every community's practice-buddy round that is due and not yet run."""
        return await buddy_round.run_due(self._kit, now, lease)

    async def next_buddy_round(self, now: datetime) -> datetime | None:
        """When the next practice-buddy round of any community is due."""
        return await buddy_round.next_round_at(self._kit, now)

    # The growth ledger.
    rejections_list = _routed(timeline.rejections_list)
    rejections_edit = _routed(timeline.rejections_edit)
    rejections_delete = _routed(timeline.rejections_delete)
    applied = _routed(applications.applied)
    insights = _routed(insights_view)
    skills_list = _routed(skills.skills_list)
    skills_add = _routed(skills.skills_add)
    skills_step = _routed(skills.skills_step)
    skills_mark = _routed(skills.skills_mark)
    ledger = _routed(ledger_view)
    hired = _routed(hired)

    async def digest(self, community_id: int, moment: datetime) -> Reply:
        """The weekly digest of a community: totals of effort, and opted-in milestones only."""
        return await community.digest(self._kit, community_id, moment)

    async def learn_timezone(self, ref: PersonRef, timezone: str, now: datetime) -> None:
        """Adopt the timezone a platform reports for a person who has not set one."""
        await account.learn_timezone(self._kit, ref, timezone, now)

    async def zone_of(self, person: Person) -> ZoneInfo:
        """The timezone a person's days are counted in, the same everywhere they meet Rebound."""
        return await zone_of(self._kit, self.store, person)

    async def zones_of(self, people: Iterable[Person]) -> Zones:
        """zone_of for many people in one look-up (a batch of reminders)."""
        return await zones_of(self._kit, self.store, people)

    async def reminder_message(
        self, reminder: Reminder, person: Person, now: datetime
    ) -> Reply | None:
        """The DM a due reminder becomes, or None when it no longer applies."""
        return await reminders.message(self._kit, reminder, person, now)

    async def reminder_delivered(self, reminder: Reminder, person: Person, now: datetime) -> None:
        """What follows once a reminder reached the person (a check-in's reply is its note)."""
        await reminders.delivered(self._kit, reminder, person, now)
