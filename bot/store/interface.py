"""The store interface: one Protocol per kind of record, a unit of work, and the whole store.

Use cases are written against these; `bot/store/sqlite/` implements them, and the contract
suite in tests/contract/ proves an implementation. Plain records (bot.store.records) go in
and out; errors are the store's own (bot.store.errors). Times are timezone-aware UTC.

    async with store.unit() as u:             # one transaction: all of it, or none of it
        person = await u.people.ensure(ref, now)
        followup = await u.followups.get(followup_id, person.id)

Outside a unit, each repository call on the store (`store.reminders.finish(...)`) is a
transaction of its own. A row's `get` by id takes the asking person's id too and returns
None for a row that is someone else's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from bot.models import CommunityRef, PersonRef
from bot.store.interface_buddies import BuddyBlocks, BuddyMembers, BuddyRounds
from bot.store.interface_growth import (
    Applications,
    CommunityStages,
    FollowupOutcomes,
    Hires,
    Ledger,
    SkillGaps,
    Timeline,
)
from bot.store.interface_shared import (
    Boards,
    BotState,
    Communities,
    Digests,
    Effort,
    Reminders,
)
from bot.store.interface_writing import Writing
from bot.store.records import (
    Answer,
    Arrival,
    Conversation,
    Export,
    Followup,
    FollowupPlan,
    Person,
    Reflection,
    Rejection,
    RejectionLog,
    RejectionPlan,
    RejectionView,
)

PlanT = TypeVar("PlanT", bound=RejectionPlan)


class People(Protocol):
    """People, their own settings, and their memberships of communities."""

    async def ensure(self, ref: PersonRef, now: datetime) -> Person:
        """The stored person for ref, created on first sight; keeps the display name fresh."""
        ...

    async def arrive(
        self, ref: PersonRef, community: CommunityRef | None, now: datetime
    ) -> Arrival:
        """Ensure the person and their membership (None in DMs); read what commands need.

        Also the community's settings and timezone. Missed DMs are reported and cleared.
        """
        ...

    async def find(self, platform: str, user_id: str) -> Person | None:
        """The stored person with this platform identity, or None."""
        ...

    async def get(self, person_id: int) -> Person | None:
        """The stored person with this id, or None."""
        ...

    async def many(self, ids: Iterable[int]) -> dict[int, Person]:
        """The stored people with these ids (missing ones are left out)."""
        ...

    async def update(
        self,
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
        ...

    async def note_dm_failure(self, person_id: int, reason: str, *, count: int = 1) -> None:
        """Remember that DMs to the person could not be delivered, to tell them next time."""
        ...

    async def clear_dm_failures(self, person_id: int) -> None:
        """Forget failed DMs once the person has been told about them."""
        ...

    async def join(self, person_id: int, community: CommunityRef, now: datetime) -> int:
        """Record that the person is in the community (kept once); return the community's id."""
        ...

    async def set_leaderboard(self, person_id: int, community_id: int, on: bool) -> None:
        """Opt the person in to (or out of) the community's leaderboard."""
        ...

    async def set_shoutouts(self, person_id: int, community_id: int, on: bool) -> None:
        """Opt the person in to (or out of) milestone shout-outs in the community's channel."""
        ...

    async def on_leaderboard(self, person_id: int, community_id: int) -> bool:
        """True when the person has opted in to the community's leaderboard."""
        ...

    async def shoutouts_on(self, person_id: int, community_id: int) -> bool:
        """True when the person has opted in to milestone shout-outs in the community."""
        ...

    async def community_timezone(self, person_id: int) -> str | None:
        """The timezone of the person's most recently joined community that set one."""
        ...

    async def community_timezones(self, person_ids: Iterable[int]) -> dict[int, str]:
        """community_timezone for many people at once (those with none are left out)."""
        ...

    async def without_timezone(self, community_id: int) -> list[int]:
        """The ids of the community's members who set no timezone of their own."""
        ...

    async def community_setting(self, person_id: int, key: str) -> str | None:
        """A setting (such as streak_period) of the person's latest community that set it."""
        ...


class Rejections(Protocol):
    """Logged rejections."""

    async def add(
        self,
        person_id: int,
        community_id: int | None,
        *,
        company: str | None,
        role: str | None,
        stage: str,
        feeling: int | None,
        note: str | None,
        now: datetime,
        outcome: str = "rejected",
    ) -> int:
        """Store a rejection (or, with outcome 'declined', an offer turned down); return its id."""
        ...

    async def log(
        self, request: RejectionLog, plan: Callable[[RejectionView], PlanT], now: datetime
    ) -> tuple[RejectionView, PlanT]:
        """Log a rejection in one transaction: /rejected's one call, read and written together.

        Arrive (see People.arrive), bump request.counter, store the rejection, read the seen
        keys of request.pools, call plan(view) once, mark its messages seen and schedule its
        reminders. plan must be pure (no I/O): it may run on the store's own thread. If it
        raises, nothing is written.
        """
        ...

    async def get(self, rejection_id: int, person_id: int) -> Rejection | None:
        """The person's rejection with this id, or None (also when it is someone else's)."""
        ...

    async def latest(self, person_id: int) -> Rejection | None:
        """The person's most recent rejection, or None."""
        ...

    async def logged_between(
        self, person_id: int, start: datetime, end: datetime
    ) -> list[Rejection]:
        """The person's rejections logged from start up to (not including) end, oldest first."""
        ...


class Reflections(Protocol):
    """Guided reflections, their answers, and the next step each ends with."""

    async def start(
        self,
        person_id: int,
        rejection_id: int | None,
        stage: str,
        prompt_keys: Sequence[str],
        now: datetime,
    ) -> int:
        """Begin a reflection; any other unfinished one is stopped. Return the new id."""
        ...

    async def get(self, reflection_id: int, person_id: int) -> Reflection | None:
        """The person's reflection with this id, or None (also when it is someone else's)."""
        ...

    async def current(self, person_id: int) -> Reflection | None:
        """The person's most recent unfinished reflection, or None."""
        ...

    async def record_answer(
        self, reflection_id: int, position: int, prompt_key: str, text: str | None, now: datetime
    ) -> None:
        """Save an answer (None for a skip) and move the reflection to the next prompt."""
        ...

    async def set_status(self, reflection_id: int, status: str, now: datetime) -> None:
        """Mark a reflection active, stopped or finished."""
        ...

    async def answers(self, reflection_id: int) -> list[Answer]:
        """The answers of a reflection, in order."""
        ...

    async def set_next_step(
        self, reflection_id: int, text: str | None, due: datetime | None, now: datetime
    ) -> None:
        """Set the next step a reflection ended with (None keeps the text) and when it is due."""
        ...

    async def mark_next_step_done(self, reflection_id: int, now: datetime) -> bool:
        """Mark the next step done; False when it already was."""
        ...

    async def recent(self, person_id: int, limit: int) -> list[Reflection]:
        """The person's most recent reflections that hold at least one answer."""
        ...

    async def started_for(self, rejection_id: int) -> bool:
        """True when a reflection about this rejection was ever started."""
        ...


class Conversations(Protocol):
    """What a person's next DM text answers."""

    async def get(self, person_id: int) -> Conversation | None:
        """What the person's next DM text answers, or None."""
        ...

    async def set(
        self,
        person_id: int,
        flow: str,
        ref_id: int | None,
        now: datetime,
        payload: str | None = None,
    ) -> None:
        """Set what the person's next DM text answers, replacing any earlier one."""
        ...

    async def clear(self, person_id: int) -> None:
        """Forget what the person's next DM text would have answered."""
        ...


class MessageHistory(Protocol):
    """Which messages of each pool a person has seen, so none repeats too soon."""

    async def seen(self, person_id: int, pool: str) -> list[str]:
        """Keys the person has seen from a pool since it last ran out, most recent first."""
        ...

    async def mark_seen(
        self, person_id: int, pool: str, key: str, now: datetime, *, restart: bool
    ) -> None:
        """Remember that the person saw key; restart forgets the pool's earlier keys first."""
        ...


class Checkins(Protocol):
    """Check-ins on how a person is doing."""

    async def add(self, person_id: int, mood: int, note: str | None, now: datetime) -> int:
        """Store a check-in; return its id."""
        ...

    async def set_note(self, checkin_id: int, person_id: int, note: str) -> None:
        """Add a note to the person's check-in (someone else's is left alone)."""
        ...

    async def count(self, person_id: int, mood: int, since: datetime) -> int:
        """How many check-ins with this mood the person logged since a time."""
        ...


class Followups(Protocol):
    """Follow-ups a person means to send to a recruiter or contact."""

    async def add(
        self, person_id: int, plan: FollowupPlan, *, draft_key: str, due: datetime, now: datetime
    ) -> int:
        """Store a follow-up the person means to send; return its id."""
        ...

    async def get(self, followup_id: int, person_id: int) -> Followup | None:
        """The person's follow-up with this id, or None (also when it is someone else's)."""
        ...

    async def pending(self, person_id: int, limit: int) -> list[Followup]:
        """The person's follow-ups still to send, soonest first."""
        ...

    async def update(
        self,
        followup_id: int,
        *,
        status: str | None = None,
        due: datetime | None = None,
        now: datetime,
    ) -> bool:
        """Change a pending follow-up's status or due time (a snooze); False when not pending."""
        ...


class Accounts(Protocol):
    """A person's whole account: everything held about them, out or gone."""

    async def export(self, person_id: int) -> Export:
        """Everything held about the person, by kind of record."""
        ...

    async def forget(self, person_id: int) -> None:
        """Erase the person and every row about them, leaving no trace once committed."""
        ...


class UnitOfWork(Protocol):
    """The repositories, all inside one transaction."""

    people: People
    rejections: Rejections
    reflections: Reflections
    conversations: Conversations
    messages: MessageHistory
    checkins: Checkins
    followups: Followups
    reminders: Reminders
    effort: Effort
    boards: Boards
    community: Communities
    digests: Digests
    state: BotState
    accounts: Accounts
    writing: Writing
    buddies: BuddyMembers
    buddy_rounds: BuddyRounds
    buddy_blocks: BuddyBlocks
    # The growth ledger (bot/store/interface_growth.py).
    timeline: Timeline
    applications: Applications
    skills: SkillGaps
    outcomes: FollowupOutcomes
    ledger: Ledger
    hires: Hires
    community_stages: CommunityStages


class Store(UnitOfWork, Protocol):
    """The whole store: units of work, and what is done to the database as a whole.

    Its repositories, used outside a unit, run each call as a transaction of its own.
    """

    async def open(self, *, migrate: bool = True) -> None:
        """Connect, and (unless told not to) bring the schema up to date."""
        ...

    async def close(self) -> None:
        """Finish what was handed over, then disconnect."""
        ...

    async def __aenter__(self) -> Store:
        """Open the store (and migrate it) for the block."""
        ...

    async def __aexit__(self, *exc: object) -> None:
        """Close the store."""
        ...

    def unit(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        ...

    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Hold the lock `name` for the block: True in the one process of the database that got it.

        For work that one process does for all (command sync, a periodic job): a process
        that gets False leaves it to the one that holds the lock.
        """
        ...

    async def schema_version(self) -> int:
        """The schema version of the database."""
        ...

    async def migrate(self, target: int | None = None) -> int:
        """Apply every migration not yet applied (up to target); the version reached."""
        ...

    async def backup(self, target: Path | str) -> None:
        """A consistent copy of the whole database into a new file, taken while in use."""
        ...

    async def integrity(self) -> str:
        """The database's own consistency check: 'ok' when sound."""
        ...

    async def checkpoint(self) -> None:
        """Make everything written durable in the main database file now."""
        ...
