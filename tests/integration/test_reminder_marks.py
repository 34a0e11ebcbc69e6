"""Reminders sent close together are marked sent together: never left unmarked to go again.

The engine marks what it sent in one statement once MARK_WINDOW_S has passed since the first
unmarked send, and at the end of each batch. These tests hold the window's clock still or
move it by hand (the engine's monotonic clock is injected), on a real SQLite file.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.models import PersonRef, Reply
from bot.ports import TemporaryFailure
from bot.reminders import LEASE, ReminderEngine
from bot.store import Store

KEYS = ("r-1", "r-2", "r-3")


class Window:
    """The engine's monotonic clock, moved only by the test."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class SlowSecond:
    """A Messenger double: the second DM times out after a second; the third looks at the store.

    While the third is being sent, it notes what the store says of the first.
    """

    def __init__(self, store: Store, window: Window) -> None:
        self.store = store
        self.window = window
        self.sent: list[str] = []
        self.first_when_third_went: str | None = None

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        self.sent.append(key or "")
        if len(self.sent) == 2:
            self.window.now += 1.0  # the platform took a second, then failed
            raise TemporaryFailure("timed out")
        if len(self.sent) == 3:
            first = await self.store.reminders.by_key("r-1")
            self.first_when_third_went = first.status if first else None

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")


async def due_now(store: Store, now) -> None:
    person = await store.people.ensure(PersonRef("test", "ada", "Ada"), now)
    # No quiet hours, so every reminder goes at once.
    await store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")
    for n, key in enumerate(KEYS):
        await store.reminders.schedule(
            person.id,
            kind="checkin",
            ref_id=None,
            key=key,
            due=now - timedelta(minutes=3 - n),
            now=now,
        )


async def statuses(store: Store) -> dict[str, str]:
    found = {}
    for key in KEYS:
        reminder = await store.reminders.by_key(key)
        assert reminder is not None
        found[key] = reminder.status
    return found


async def test_a_slow_send_does_not_keep_the_ones_before_it_unmarked(store, core, clock):
    await due_now(store, clock.now())
    window = Window()
    messenger = SlowSecond(store, window)
    engine = ReminderEngine(store, core, clock)
    engine.monotonic = window
    engine.register("test", messenger)
    await engine.tick()
    # The first went; the second failed slowly, closing the window: the first was marked
    # before the third was sent, not only when the batch ended.
    assert messenger.first_when_third_went == "sent"
    assert await statuses(store) == {"r-1": "sent", "r-2": "pending", "r-3": "sent"}


class Counting:
    """A Messenger double that only counts what it delivers."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        self.sent.append(key or "")

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")


def refuse_marks(db_path: Path, on: bool) -> None:
    """Make the database refuse to mark a reminder sent (a failing disk, a failover), or stop."""
    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        if on:
            db.execute(
                "CREATE TRIGGER refuse_marks BEFORE UPDATE OF status ON reminders"
                " WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
            )
        else:
            db.execute("DROP TRIGGER refuse_marks")
    finally:
        db.close()


async def test_marks_the_database_refused_are_written_at_the_next_tick_never_resent(
    store, core, clock, db_path
):
    await due_now(store, clock.now())
    messenger = Counting()
    engine = ReminderEngine(store, core, clock)
    engine.register("test", messenger)
    refuse_marks(db_path, on=True)
    with pytest.raises(Exception, match="disk I/O error"):
        await engine.tick()  # sent, but the marks failed: the scheduler logs it and goes on
    assert len(messenger.sent) == 3
    assert set((await statuses(store)).values()) == {"sending"}
    refuse_marks(db_path, on=False)
    await engine.tick()  # nothing new is due; the marks kept from before are written
    assert await statuses(store) == {"r-1": "sent", "r-2": "sent", "r-3": "sent"}
    clock.advance(LEASE + timedelta(minutes=1))
    await engine.tick()
    assert len(messenger.sent) == 3  # none went out a second time once the lease ran out
