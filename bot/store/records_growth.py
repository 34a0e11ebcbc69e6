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
