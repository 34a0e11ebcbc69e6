"""The plain records that go in and out of the store, and how their times are written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.models import CommunityRef, PersonRef

# Everything Rebound holds about one person: sections by kind of record, each a list of rows.
Export = dict[str, list[dict[str, Any]]]


def ts(when: datetime) -> str:
    """A UTC timestamp as stored: sortable text to the second."""
    # Formatting by hand: strftime was a noticeable share of a command's time.
    u = when.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def parse_ts(text: str | datetime) -> datetime:
    """The datetime of a stored timestamp (text on SQLite; PostgreSQL's is one already)."""
    if isinstance(text, datetime):
        return text
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def opt_ts(text: str | datetime | None) -> datetime | None:
    """The datetime of a stored timestamp that may be missing."""
    return parse_ts(text) if text else None


@dataclass(frozen=True, slots=True)
class Person:
    """A person as stored, with their own settings."""

    id: int
    platform: str
    user_id: str
    display_name: str
    timezone: str | None
    quiet_start: str
    quiet_end: str
    dm_reminders: bool
    checkin_days: tuple[int, ...] = (2, 7)
    nudges: bool = True
    weekend_followups: bool = False
    dm_failed_count: int = 0
    dm_failed_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """One logged rejection."""

    id: int
    person_id: int
    company: str | None
    role: str | None
    stage: str
    feeling: int | None
    note: str | None
    created_at: datetime
    # 'rejected' (a no) or 'declined' (an offer the person turned down).
    outcome: str = "rejected"

    @property
    def declined(self) -> bool:
        """Whether this is an offer the person turned down, not a no."""
        return self.outcome == "declined"


@dataclass(frozen=True, slots=True)
class Reflection:
    """One guided reflection and where the person is in it."""

    id: int
    person_id: int
    rejection_id: int | None
    stage: str
    prompt_keys: tuple[str, ...]
    position: int
    status: str
    next_step: str | None
    next_step_due: datetime | None
    next_step_done_at: datetime | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer (or skip, when text is None) in a reflection."""

    position: int
    prompt_key: str
    text: str | None


@dataclass(frozen=True, slots=True)
class FollowupPlan:
    """Who a follow-up is to, about what, how it is sent, and which kind of draft it uses."""

    rejection_id: int | None
    contact: str | None
    company: str | None
    role: str | None
    channel: str
    kind: str


@dataclass(frozen=True, slots=True)
class Followup:
    """A note to a recruiter or contact that the person means to send."""

    id: int
    person_id: int
    rejection_id: int | None
    contact: str | None
    company: str | None
    role: str | None
    channel: str
    kind: str
    draft_key: str | None
    status: str
    due_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class StreakRow:
    """A person's streak as stored (settled lazily against the current period)."""

    current: int = 0
    best: int = 0
    reserves: int = 0
    last_period: int | None = None
    period_points: int = 0
    total_points: int = 0


@dataclass(frozen=True, slots=True)
class Conversation:
    """What a person's next DM text answers: a flow, the row it is about, and any held text."""

    flow: str
    ref_id: int | None
    payload: str | None = None


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """A reminder to schedule: whose, what kind, about which row, under which key, when."""

    person_id: int
    kind: str
    ref_id: int | None
    key: str
    due: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder row."""

    id: int
    person_id: int
    kind: str
    ref_id: int | None
    key: str
    due_at: datetime
    status: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class ReminderLine:
    """A reminder and whose it is, as the operator's report lists it."""

    id: int
    kind: str
    due_at: datetime
    status: str
    attempts: int
    last_error: str | None
    platform: str
    user_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class AdminChange:
    """One change of a community setting: who made it, from what to what, and when."""

    id: int
    community_id: int
    person_id: int | None
    key: str
    old_value: str | None
    new_value: str | None
    changed_at: datetime
    display_name: str | None


@dataclass(frozen=True, slots=True)
class RankedRow:
    """One opted-in member's place on a community board.

    Equal points share a rank (1, 2, 2, 4); after_gap says rows were skipped before this one.
    """

    rank: int
    person_id: int
    display_name: str
    streak: int
    points: int
    after_gap: bool = False


@dataclass(frozen=True, slots=True)
class Board:
    """The rows of a board to show, how many are ranked on it, and the caller's rank if any."""

    rows: list[RankedRow]
    ranked: int
    my_rank: int | None


@dataclass(frozen=True, slots=True)
class RejectionLog:
    """A rejection to log, who logs it and where, and what its reply needs read with it."""

    person: PersonRef
    community: CommunityRef | None
    company: str | None
    role: str | None
    stage: str
    feeling: int | None
    note: str | None
    outcome: str = "rejected"
    # Message pools whose seen keys the plan chooses from (see Rejections.log).
    pools: tuple[str, ...] = ()
    # A counter the bot keeps for itself to bump with the rejection (a sign of crisis), or None.
    counter: str | None = None


@dataclass(frozen=True, slots=True)
class Arrival:
    """A person as a command finds them: stored, a member where they are, with its settings."""

    # As found, before the call: dm_failed_count is what they missed (now cleared).
    person: Person
    community_id: int | None
    # The community's settings ({} in DMs).
    settings: Mapping[str, str]
    # When the person set no timezone: that of their latest community that did, else None.
    community_timezone: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionView(Arrival):
    """What logging a rejection read: the person's arrival, the row, the message keys seen."""

    rejection_id: int
    # Per pool asked for: the keys seen since the pool last ran out, most recent first.
    seen: Mapping[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Shown:
    """A message the reply shows, to remember as seen (restart: its pool starts over first)."""

    pool: str
    key: str
    restart: bool = False


@dataclass(frozen=True, slots=True)
class RejectionPlan:
    """What the use case decided from a RejectionView: reminders to schedule, messages shown."""

    reminders: tuple[ReminderPlan, ...] = ()
    shown: tuple[Shown, ...] = ()


# -- practice buddies -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuddyMember:
    """A person in a community's buddy pool."""

    person_id: int
    community_id: int
    focus: str
    timezone: str | None
    paused: bool
    paused_until: datetime | None
    silent_rounds: int
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class BuddySeat:
    """One person's seat in a round's group, and what they said about it."""

    round_id: int
    group_no: int
    person_id: int
    display_name: str
    user_id: str
    platform: str
    timezone: str | None
    focus: str
    answer: str | None
    credited: bool


@dataclass(frozen=True, slots=True)
class PastRound:
    """A closed round: its groups, who answered, and who asked for someone else next time."""

    round_id: int
    round_key: str
    groups: tuple[tuple[int, ...], ...]
    another: frozenset[int] = frozenset()
    answered: frozenset[int] = frozenset()
