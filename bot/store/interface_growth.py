"""The store interface of the growth ledger: one Protocol per kind of record.

Written against by bot/usecases/timeline.py and the other growth use cases; implemented in
bot/store/sqlite/ and proven by tests/contract/. See bot/store/interface.py for the rules
every repository follows (plain records, UTC times, owned-row lookups).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.store.records import Rejection
from bot.store.records_growth import (
    Application,
    FollowupOutcome,
    Hire,
    LedgerCounts,
    NamedGap,
    RejectionEdit,
    SkillGap,
    SkillGapView,
    SkillStep,
    StageTally,
    TimelinePage,
)


class Timeline(Protocol):
    """A person's rejections as a timeline they can page through, correct and prune."""

    async def page(self, person_id: int, offset: int, limit: int) -> TimelinePage:
        """The person's rejections, newest first, from offset; with the total count."""
        ...

    async def edit(
        self, rejection_id: int, person_id: int, edit: RejectionEdit
    ) -> Rejection | None:
        """Apply edit to the person's rejection; the row as saved, or None when not theirs."""
        ...

    async def delete(self, rejection_id: int, person_id: int) -> bool:
        """Delete the person's rejection; False when there is none of theirs with this id.

        Its reflections, follow-ups and reminders stay (they no longer point at it), and so
        do the points its effort earned.
        """
        ...


class Applications(Protocol):
    """Applications a person logged: effort, and what the insights count against the no's."""

    async def add(
        self,
        person_id: int,
        *,
        company: str | None,
        role: str | None,
        source: str | None,
        now: datetime,
    ) -> int:
        """Store an application; return its id."""
        ...

    async def count_since(self, person_id: int, since: datetime) -> int:
        """How many applications the person logged from since on."""
        ...

    async def between(self, person_id: int, start: datetime, end: datetime) -> list[Application]:
        """The person's applications from start up to (not including) end, oldest first."""
        ...


class SkillGaps(Protocol):
    """Skill gaps a person named, linked to the no's that surfaced them, with dated steps."""

    async def name(
        self, person_id: int, name: str, key: str, rejection_id: int | None, now: datetime
    ) -> NamedGap:
        """The person's gap with this key (created with name if new), linked to rejection_id.

        A rejection_id that is not the person's is not linked.
        """
        ...

    async def all(self, person_id: int) -> list[SkillGapView]:
        """The person's gaps: those being worked on first, then newest first."""
        ...

    async def get(self, gap_id: int, person_id: int) -> SkillGap | None:
        """The person's gap with this id, or None (also when it is someone else's)."""
        ...

    async def set_status(self, gap_id: int, person_id: int, status: str, now: datetime) -> bool:
        """Mark the gap working or confident; False when it already was (or is not theirs)."""
        ...

    async def add_step(
        self, gap_id: int, person_id: int, text: str, due: datetime | None, now: datetime
    ) -> int:
        """Add a step to the person's gap; return its id."""
        ...

    async def step(self, step_id: int, person_id: int) -> SkillStep | None:
        """The person's step with this id, or None (also when it is someone else's)."""
        ...

    async def step_done(self, step_id: int, person_id: int, now: datetime) -> bool:
        """Mark the step done; False when it already was (or is not theirs)."""
        ...


class FollowupOutcomes(Protocol):
    """What sent follow-ups led to: replies, referrals, interviews, or no reply."""

    async def asked(self, followup_id: int, person_id: int, now: datetime) -> int:
        """Count one more time the person was asked about their follow-up; the count so far.

        0 when the follow-up is not theirs.
        """
        ...

    async def decide(self, followup_id: int, person_id: int, outcome: str, now: datetime) -> bool:
        """Record what the follow-up led to; False when already decided or not theirs."""
        ...

    async def get(self, followup_id: int, person_id: int) -> FollowupOutcome | None:
        """What the person's follow-up led to so far, or None when never asked."""
        ...

    async def decided_between(
        self, person_id: int, start: datetime, end: datetime
    ) -> list[FollowupOutcome]:
        """The person's outcomes decided from start up to (not including) end, oldest first."""
        ...


class Ledger(Protocol):
    """The monthly ledger's counts: everything a person did in a span, by kind."""

    async def counts(self, person_id: int, start: datetime, end: datetime) -> LedgerCounts:
        """What the person logged and did from start up to (not including) end."""
        ...


class Hires(Protocol):
    """The yes at the end of a search, and whether the person would help others after it."""

    async def add(
        self, person_id: int, *, company: str | None, role: str | None, now: datetime
    ) -> int:
        """Store a yes; return its id."""
        ...

    async def get(self, hire_id: int, person_id: int) -> Hire | None:
        """The person's yes with this id, or None (also when it is someone else's)."""
        ...

    async def set_helper(self, person_id: int, willing: bool, now: datetime) -> None:
        """Record whether the person would be willing to help others in their search."""
        ...

    async def helper(self, person_id: int) -> bool | None:
        """Whether the person said they would help others; None when never asked."""
        ...


class CommunityStages(Protocol):
    """Community-wide counts for the weekly digest: no names, only totals."""

    async def stages(self, community_id: int, start: datetime, end: datetime) -> StageTally:
        """The no's logged in the community in [start, end) by stage, and from how many people."""
        ...
