"""The store interface, part three: the five-day writing program, its days and their words.

What a person writes here is theirs alone: no community view, digest or log reads it; only
their own export shows it and their own forget erases it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class WritingProgram:
    """One person's run of the five-day program.

    status is active, paused, stopped or finished; day is the day being written or next to
    open (1 to 5); asked says a missed day was asked about since the last day written;
    paused_for says why a paused program paused (care, missed, or person: they chose to).
    """

    id: int
    person_id: int
    hour: int
    status: str
    day: int
    asked: bool
    paused_for: str | None
    next_step: str | None
    started_at: datetime


@dataclass(frozen=True, slots=True)
class WritingEntry:
    """One day's writing: its parts joined in order, and its word count once closed."""

    program_id: int
    day: int
    text: str
    parts: int
    words: int | None
    opened_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        """True while the day still takes writing."""
        return self.closed_at is None


class Writing(Protocol):
    """Writing programs and their daily entries."""

    async def start(self, person_id: int, hour: int, now: datetime) -> int:
        """Start a program at a daily hour (day 1, active); return its id."""
        ...

    async def current(self, person_id: int) -> WritingProgram | None:
        """The person's active or paused program, newest first, or None."""
        ...

    async def get(self, program_id: int, person_id: int) -> WritingProgram | None:
        """The person's program with this id, or None (also when it is someone else's)."""
        ...

    async def set_status(
        self, program_id: int, status: str, paused_for: str | None, now: datetime
    ) -> None:
        """Set a program's status, and why it paused (None unless paused)."""
        ...

    async def advance(self, program_id: int, day: int, now: datetime) -> None:
        """Move a program to a day, clearing the missed-day question."""
        ...

    async def set_hour(self, program_id: int, hour: int, now: datetime) -> None:
        """Change the hour each day opens at."""
        ...

    async def set_asked(self, program_id: int, now: datetime) -> None:
        """Remember that a missed day (or a pause) was asked about."""
        ...

    async def set_next_step(self, program_id: int, step: str, now: datetime) -> None:
        """Keep the sentence the person chose to turn into a next step."""
        ...

    async def open_entry(self, program_id: int, person_id: int, day: int, now: datetime) -> None:
        """Open a day's entry; an entry already there keeps what it holds."""
        ...

    async def add_part(self, program_id: int, day: int, text: str, now: datetime) -> None:
        """Add a message to an open day's entry, after what it holds."""
        ...

    async def close_entry(self, program_id: int, day: int, words: int, now: datetime) -> None:
        """Close a day's entry with its word count."""
        ...

    async def discard_entry(self, program_id: int, day: int) -> None:
        """Remove an open day's entry that holds nothing (a missed day)."""
        ...

    async def entries(self, program_id: int) -> list[WritingEntry]:
        """A program's entries, by day."""
        ...
