"""The store interface, part two: what runs on a schedule and what a community shares.

Reminders, effort and boards, community settings and digests, and the bot's own state; the
people-and-journal half, the unit of work and the whole store are in interface.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from bot.models import CommunityRef
from bot.store.records import (
    AdminChange,
    Board,
    Reminder,
    ReminderLine,
    ReminderPlan,
    StreakRow,
)


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

    async def finish_many(self, reminder_ids: Sequence[int], status: str, now: datetime) -> None:
        """Record that several claimed reminders ended alike (a batch sent), in one statement."""
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
        """Return every reminder this store claimed to pending; how many there were.

        On a database shared by several processes, another process's claims stay its own
        until their lease runs out.
        """
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

    async def claim(self, key: str, value: str) -> bool:
        """Keep value under key unless one is kept already: True for the one caller that did.

        Every process sharing the database agrees on who claimed a key (a retried event).
        """
        ...

    async def forget_older(self, prefix: str, value: str) -> int:
        """Forget the keys starting with prefix whose value sorts before value; how many."""
        ...
