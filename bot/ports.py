"""What the core needs from the outside: a way to send, and the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.models import CommunityRef, PersonRef, Reply


class DeliveryError(Exception):
    """A message could not be delivered; subclasses say whether trying again can help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Undeliverable(DeliveryError):
    """The platform will never deliver this (DMs closed, person gone): do not retry."""


class RateLimited(DeliveryError):
    """The platform asked us to wait retry_after seconds."""

    def __init__(self, reason: str, retry_after: float) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class TemporaryFailure(DeliveryError):
    """A server error or timeout: worth retrying later."""


class Messenger(Protocol):
    """Outbound messages that no command triggered: reminders, check-ins, digests."""

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        """Send reply to person's DMs; key makes a resend of the same message a no-op."""
        ...

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        """Post reply in a channel of community."""
        ...


class Clock(Protocol):
    """The current time, injected so tests and the terminal can move it."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current time in UTC, to the second."""
        return datetime.now(UTC).replace(microsecond=0)


class SimulatedClock:
    """The real time shifted by an offset that only moves forward."""

    def __init__(self, offset: timedelta = timedelta(0), base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self.offset = offset

    def now(self) -> datetime:
        """The shifted time."""
        return self._base.now() + self.offset

    def advance(self, by: timedelta) -> datetime:
        """Move the clock forward by `by` and return the new time."""
        if by < timedelta(0):
            raise ValueError("the clock only moves forward")
        self.offset += by
        return self.now()

    def advance_to(self, moment: datetime) -> datetime:
        """Move the clock forward to moment (never back) and return the new time."""
        now = self.now()
        return self.advance(moment - now) if moment > now else now


class FixedClock:
    """A clock that stands still until moved: for tests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The clock's time."""
        return self._now

    def advance(self, by: timedelta) -> datetime:
        """Move the clock forward by `by` and return the new time."""
        self._now += by
        return self._now

    def set(self, when: datetime) -> None:
        """Set the clock to `when` (timezone-aware)."""
        self._now = when.astimezone(UTC)
