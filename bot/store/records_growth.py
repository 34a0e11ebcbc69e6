"""Plain records of the growth ledger: the editable timeline and what the insights count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.records import Rejection


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One rejection on a person's timeline, and whether they have reflected on it."""

    rejection: Rejection
    # True once a reflection about it holds at least one written answer.
    reflected: bool


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """A page of a person's rejections, newest first, and how many there are in all."""

    entries: tuple[TimelineEntry, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionEdit:
    """Changes to a logged rejection: None leaves a field alone, clear_* empties it."""

    company: str | None = None
    role: str | None = None
    stage: str | None = None
    note: str | None = None
    clear_company: bool = False
    clear_role: bool = False
    clear_note: bool = False

    @property
    def empty(self) -> bool:
        """True when nothing would change."""
        given = (self.company, self.role, self.stage, self.note)
        cleared = (self.clear_company, self.clear_role, self.clear_note)
        return all(v is None for v in given) and not any(cleared)


@dataclass(frozen=True, slots=True)
class Application:
    """One application a person logged with /applied."""

    id: int
    person_id: int
    company: str | None
    role: str | None
    source: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SkillStep:
    """A dated step toward closing a skill gap."""

    id: int
    gap_id: int
    text: str
    due_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class SkillGap:
    """A skill gap a person named: working on it, or confident now."""

    id: int
    person_id: int
    name: str
    status: str
    created_at: datetime
    confident_at: datetime | None


@dataclass(frozen=True, slots=True)
class SkillGapView:
    """A gap with the rejections that surfaced it (oldest first) and its steps."""

    gap: SkillGap
    rejections: tuple[Rejection, ...]
    steps: tuple[SkillStep, ...]


@dataclass(frozen=True, slots=True)
class NamedGap:
    """What naming a gap did: the gap, whether it is new, and how many no's it is linked to."""

    gap: SkillGap
    created: bool
    linked: int
    # False when the rejection named was already linked to this gap.
    newly_linked: bool


@dataclass(frozen=True, slots=True)
class FollowupOutcome:
    """What a sent follow-up led to (None while unknown), and how often Rebound asked."""

    followup_id: int
    outcome: str | None
    asks: int
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class LedgerCounts:
    """What a person did in a span of time, for the monthly ledger."""

    nos: int = 0
    applications: int = 0
    reflections: int = 0
    # Gaps named, linked to a no, or given a step in the span; and those marked confident.
    skills_worked: int = 0
    skills_closed: int = 0
    followups_sent: int = 0
    replied: int = 0
    referral: int = 0
    interview: int = 0
    no_reply: int = 0
    # Next steps from reflections and steps on skill gaps, marked done.
    steps_done: int = 0


@dataclass(frozen=True, slots=True)
class Hire:
    """A yes: the job a person got."""

    id: int
    person_id: int
    company: str | None
    role: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StageTally:
    """A community's no's by stage in a span, and how many people they came from."""

    people: int
    by_stage: tuple[tuple[str, int], ...]
