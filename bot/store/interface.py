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
from bot.store.records import (
    AdminChange,
    Answer,
    Arrival,
    Board,
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
    Reminder,
    ReminderLine,
    ReminderPlan,
    StreakRow,
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
    ) -> int:
        """Store a rejection; return its id."""
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


class Reminders(Protocol):
    """Reminders as rows: scheduled under an idempotency key, claimed with a lease, finished."""

    async def schedule(
        self,
        person_id: int,
        *,
        kind: str,
        ref_id: int | None,
        key: str,
        due: datetime,
        now: datetime,
    ) -> int:
        """Schedule under key: the same time again is a no-op, a new time replaces the old."""
        ...

    async def schedule_many(self, plans: Sequence[ReminderPlan], now: datetime) -> None:
        """Schedule many reminders at once, each under its own key (as schedule does)."""
        ...

    async def close(self, key: str, status: str, now: datetime) -> None:
        """End a pending reminder (done, skipped, cancelled) so it is never sent."""
        ...

    async def for_person(self, person_id: int, statuses: Iterable[str]) -> list[Reminder]:
        """The person's reminders in the given states, soonest first."""
        ...

    async def get(self, reminder_id: int, person_id: int) -> Reminder | None:
        """The person's reminder with this id, or None (also when it is someone else's)."""
        ...

    async def by_key(self, key: str) -> Reminder | None:
        """The reminder with this idempotency key, or None."""
        ...

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Reminder]:
        """Claim up to limit due reminders, and any whose lease ran out, soonest first."""
        ...

    async def finish(
        self, reminder_id: int, status: str, now: datetime, error: str | None = None
    ) -> None:
        """Record how a claimed reminder ended: sent, undeliverable, failed, cancelled, muted."""
        ...

    async def retry(
        self, reminder_id: int, due: datetime, now: datetime, *, error: str | None, failed: bool
    ) -> None:
        """Put a claimed reminder back to pending at due; failed counts it as an attempt."""
        ...

    async def mark(self, reminder_id: int, status: str, now: datetime) -> None:
        """Record what the person did with a reminder already sent (skipped, cancelled, done)."""
        ...

    async def next_due(self) -> datetime | None:
        """When the soonest pending reminder is due, or None."""
        ...

    async def release_claims(self, now: datetime) -> int:
        """Return every claimed reminder to pending; how many there were."""
        ...

    async def cancel(self, person_id: int, kind: str, now: datetime) -> int:
        """Cancel the person's pending reminders of one kind; how many there were."""
        ...

    async def report(self, statuses: Iterable[str], limit: int) -> list[ReminderLine]:
        """Reminders in the given states with their person, for the operator."""
        ...

    async def counts(self, statuses: Iterable[str]) -> dict[str, int]:
        """How many reminders are in each of the given states (all of them, not a page)."""
        ...


class Effort(Protocol):
    """Resilience actions and their points, streaks per period, period totals, milestones."""

    async def add_activity(self, person_id: int, kind: str, points: int, now: datetime) -> None:
        """Record one resilience action."""
        ...

    async def streak(self, person_id: int, period: str = "week") -> StreakRow:
        """The person's stored streak (all zero before their first action)."""
        ...

    async def save_streak(
        self, person_id: int, streak: StreakRow, now: datetime, period: str = "week"
    ) -> None:
        """Store the person's streak for a period kind (week or day)."""
        ...

    async def timezones_in_use(self) -> list[str | None]:
        """The timezones of people with a streak under way (None: the default timezone)."""
        ...

    async def stale_streaks(
        self, timezone: str | None, before: int, period: str = "week"
    ) -> list[tuple[int, StreakRow]]:
        """Streaks of people in timezone whose last kept period is before `before`."""
        ...

    async def add_period_points(self, person_id: int, keys: Sequence[str], points: int) -> None:
        """Add points to the person's totals for the given windows (weeks, months, 'all')."""
        ...

    async def activity_since(self, person_id: int, since: datetime) -> list[tuple[datetime, int]]:
        """The person's actions since a time: when, and how many points."""
        ...

    async def record_milestone(self, person_id: int, weeks: int, now: datetime) -> None:
        """Remember that the person reached a streak milestone."""
        ...


class Boards(Protocol):
    """Community boards: opted-in members ranked by effort points in a window."""

    async def view(
        self,
        community_id: int,
        *,
        window_key: str,
        period: str,
        index: int,
        me: int | None,
        top: int,
        around: int,
    ) -> Board:
        """The top rows of a window's board, the rows around `me`, equal points sharing a rank."""
        ...


class Communities(Protocol):
    """A community's identity, the settings its admins made, and who changed what."""

    async def ref(self, community_id: int) -> CommunityRef | None:
        """The platform identity of a stored community, or None."""
        ...

    async def setting(self, community_id: int, key: str) -> str | None:
        """One setting of a community, or None when it has not been set."""
        ...

    async def settings(self, community_id: int) -> dict[str, str]:
        """Every setting a community's admins have made."""
        ...

    async def set_setting(
        self, community_id: int, key: str, value: str, by: int, now: datetime
    ) -> None:
        """Set one setting of a community, remembering who changed it and when."""
        ...

    async def clear_setting(self, community_id: int, key: str) -> None:
        """Remove a community setting, so its default applies again."""
        ...

    async def log_change(
        self,
        community_id: int,
        person_id: int,
        key: str,
        old: str | None,
        new: str | None,
        now: datetime,
    ) -> None:
        """Record who changed which community setting, from what to what, and when."""
        ...

    async def changes(self, community_id: int, limit: int = 50) -> list[AdminChange]:
        """The most recent setting changes in a community, newest first."""
        ...


class Digests(Protocol):
    """Weekly community digests: who gets one, claiming each week's once, what it says."""

    async def communities(self) -> list[tuple[int, dict[str, str]]]:
        """Communities that chose a digest channel, with all their settings."""
        ...

    async def claim(
        self, community_id: int, week_key: str, now: datetime, lease_until: datetime
    ) -> bool:
        """Claim a week's digest for posting; False when it was posted or is being posted."""
        ...

    async def finish(
        self,
        community_id: int,
        week_key: str,
        status: str,
        now: datetime,
        error: str | None = None,
    ) -> None:
        """Record how a claimed digest ended: posted, failed (retried later), undeliverable."""
        ...

    async def totals(self, community_id: int, since: datetime, until: datetime) -> dict[str, int]:
        """Effort of all members in a window by kind, as totals only: nobody is named."""
        ...

    async def people_on_streak(self, community_id: int, index: int) -> int:
        """How many members have a weekly streak alive in week `index`."""
        ...

    async def shoutouts(
        self, community_id: int, since: datetime, until: datetime
    ) -> list[tuple[str, int]]:
        """Milestones reached in a window by members who opted in to shout-outs."""
        ...


class BotState(Protocol):
    """Values the bot keeps for itself: a command hash, the terminal's clock, counters."""

    async def get(self, key: str) -> str | None:
        """A value the bot keeps for itself, or None."""
        ...

    async def set(self, key: str, value: str) -> None:
        """Keep a value for the bot itself."""
        ...

    async def bump(self, key: str) -> None:
        """Add one to a counter the bot keeps for itself."""
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
