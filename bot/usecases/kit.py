"""What every use case shares: its dependencies, the person it serves, message variety, time."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot import streaks, when
from bot.actions import Action
from bot.content import Content, Template
from bot.models import Button, Context, PersonRef, Reply, Style, Text, Where
from bot.ports import Clock
from bot.store.interface import Store, UnitOfWork
from bot.store.records import Arrival, Person

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Kit:
    """What every use case is given: the store, the wording, the clock, and chance."""

    store: Store
    content: Content
    clock: Clock
    default_timezone: str
    rng: random.Random

    def msg(self, key: str, **values: Any) -> Text:
        """A message of prompts/messages.toml, filled in."""
        return self.content.msg(key, **values)

    def private(self, text: Text, **kw: Any) -> Reply:
        """A reply only the person sees, where they asked."""
        return Reply(text=text, where=Where.PRIVATE, **kw)

    def button(
        self, key: str, action: Action, style: Style = Style.SECONDARY, **values: Any
    ) -> Button:
        """A button labelled from prompts/, acting on what its action id names."""
        return Button(self.content.label(key, **values), action.format(), style)

    def stage_label(self, stage: str) -> Text:
        """How a stage of the hiring process reads."""
        return self.msg(f"stage.{stage}")


@dataclass(frozen=True, slots=True)
class Missed:
    """DMs that did not reach a person, found (and cleared) while serving them: tell them now."""

    person_id: int
    count: int


@dataclass(frozen=True, slots=True)
class Me:
    """The stored person behind a context, with their community and timezone.

    The community is None in DMs; the timezone is the one their days and weeks are counted in.
    """

    person: Person
    community_id: int | None
    tz: ZoneInfo
    community: Mapping[str, str] = field(default_factory=dict)
    missed: Missed | None = None

    @property
    def id(self) -> int:
        """The person's row id."""
        return self.person.id

    @property
    def period(self) -> str:
        """The streak period the community counts in: week (the default) or day."""
        return streaks.DAY if self.community.get("streak_period") == "day" else streaks.WEEK

    @property
    def ref(self) -> PersonRef:
        """The platform identity of the stored person."""
        return PersonRef(self.person.platform, self.person.user_id, self.person.display_name)


def zone_for(own: str | None, community: str | None, default: str) -> ZoneInfo:
    """The zone a person's days are counted in: their own, else their community's, else ours."""
    return when.zone(own or community or default)


def me_of(kit: Kit, arrival: Arrival) -> Me:
    """The Me of a person as the store found them (see People.arrive)."""
    person = arrival.person
    tz = zone_for(person.timezone, arrival.community_timezone, kit.default_timezone)
    found = Missed(person.id, person.dm_failed_count) if person.dm_failed_count else None
    return Me(person, arrival.community_id, tz, arrival.settings, found)


async def find_me(kit: Kit, u: UnitOfWork, ctx: Context, now: datetime) -> Me:
    """The stored person behind ctx (created on first sight), their community and timezone.

    One store call. DMs they missed come back in Me.missed, and are cleared in the same unit:
    the reply tells them (see outcome.deliver).
    """
    return me_of(kit, await u.people.arrive(ctx.person, ctx.community, now))


async def zone_of(kit: Kit, u: UnitOfWork, person: Person) -> ZoneInfo:
    """The timezone a person's days are counted in, the same everywhere they meet Rebound.

    Their own, else that of their most recently joined community that set one, else the
    deployment's default.
    """
    if person.timezone:
        return when.zone(person.timezone)
    community = await u.people.community_timezone(person.id)
    return zone_for(None, community, kit.default_timezone)


@dataclass(frozen=True, slots=True)
class Zones:
    """Where many people's days are counted, read in one look-up (see zones_of)."""

    community: Mapping[int, str]
    default: str

    def of(self, person: Person) -> ZoneInfo:
        """The person's zone, as zone_of finds it; only a bad zone of their own raises."""
        return zone_for(person.timezone, self.community.get(person.id), self.default)


async def zones_of(kit: Kit, u: UnitOfWork, people: Iterable[Person]) -> Zones:
    """zone_of for many people, with one look-up for all those who set no timezone."""
    found = await u.people.community_timezones(p.id for p in people if not p.timezone)
    return Zones(found, kit.default_timezone)


def choose(
    items: Sequence[T], key: Callable[[T], str], seen: Sequence[str], draw: float
) -> tuple[T, bool]:
    """The item to show so nothing repeats until all were seen; True when the pool starts over.

    draw (0 <= draw < 1) is chance drawn by the caller, so this stays a pure function.
    """
    keys = {key(item) for item in items}
    used = [k for k in seen if k in keys]
    fresh = [item for item in items if key(item) not in used]
    restart = not fresh
    if restart:
        # The pool is used up: start over, but never with the message seen last.
        fresh = [item for item in items if key(item) != used[0]]
    return fresh[min(int(draw * len(fresh)), len(fresh) - 1)], restart


async def pick(
    kit: Kit,
    u: UnitOfWork,
    person_id: int,
    pool: str,
    items: Sequence[T],
    key: Callable[[T], str],
    now: datetime,
) -> T:
    """Choose from a pool so that nothing repeats until the pool is used up."""
    if len(items) == 1:
        return items[0]
    seen = await u.messages.seen(person_id, pool)
    item, restart = choose(items, key, seen, kit.rng.random())
    await u.messages.mark_seen(person_id, pool, key(item), now, restart=restart)
    return item


def template_key(template: Template) -> str:
    """The key a template is remembered by in a person's message history."""
    return template.key


async def pick_text(
    kit: Kit, u: UnitOfWork, person_id: int, pool: str, templates: Sequence[Template], now: datetime
) -> Template:
    """Choose a template from a pool without repeats (see pick)."""
    return await pick(kit, u, person_id, pool, templates, template_key, now)


def today(tz: ZoneInfo, now: datetime) -> date:
    """The local date in tz at now."""
    return now.astimezone(tz).date()


def at_10(day: date, tz: ZoneInfo) -> datetime:
    """10:00 on a local day, in UTC: when reminders about that day come."""
    return when.local_to_utc(day, when.DEFAULT_HOUR, tz)


def fit(person: Person, tz: ZoneInfo, due: datetime, *, followup: bool = False) -> datetime:
    """Move a due time out of quiet hours, and off the weekend for follow-ups."""
    if followup and not person.weekend_followups:
        due = when.skip_weekend(due, tz)
    return when.after_quiet_hours(due, tz, person.quiet_start, person.quiet_end)


async def schedule(
    u: UnitOfWork,
    me: Me,
    kind: str,
    ref_id: int | None,
    key: str,
    due: datetime,
    now: datetime,
    *,
    followup: bool = False,
) -> datetime:
    """Schedule a reminder at due, fitted to the person's hours; return when it will come."""
    fitted = fit(me.person, me.tz, due, followup=followup)
    await u.reminders.schedule(me.id, kind=kind, ref_id=ref_id, key=key, due=fitted, now=now)
    return fitted
