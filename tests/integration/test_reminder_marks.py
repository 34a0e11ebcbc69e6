"""Reminders sent close together are marked sent together: never left unmarked to go again.

The engine marks what it sent in one statement once MARK_WINDOW_S has passed since the first
unmarked send, and at the end of each batch. These tests hold the window's clock still or
move it by hand (the engine's monotonic clock is injected), on a real SQLite file.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.models import PersonRef, Reply
from bot.ports import RateLimited, TemporaryFailure
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
    """A Messenger double that counts what it delivers; the window closes after each DM.

    From the third DM on, the platform asks to wait (429) when told to.
    """

    def __init__(self, window: Window, limit_third: bool = False) -> None:
        self.window = window
        self.limit_third = limit_third
        self.sent: list[str] = []

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        if self.limit_third and len(self.sent) == 2:
            raise RateLimited("429", retry_after=600)
        self.sent.append(key or "")
        self.window.now += 1.0  # each DM takes a second: marks are due after every one

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


def engine_for(store, core, clock, messenger, window: Window) -> ReminderEngine:
    engine = ReminderEngine(store, core, clock)
    engine.monotonic = window
    engine.register("test", messenger)
    return engine


async def test_marks_the_database_refused_are_written_later_and_nothing_goes_twice(
    store, core, clock, db_path
):
    await due_now(store, clock.now())
    window = Window()
    messenger = Counting(window)
    engine = engine_for(store, core, clock, messenger, window)
    refuse_marks(db_path, on=True)
    # Every DM goes out; every mark after one is refused, and none of that is a failed send.
    tally = await engine.tick()
    assert (tally.sent, tally.retrying, len(messenger.sent)) == (3, 0, 3)
    assert set((await statuses(store)).values()) == {"sending"}
    refuse_marks(db_path, on=False)
    await engine.tick()  # nothing new is due; the marks kept from before are written
    assert await statuses(store) == {"r-1": "sent", "r-2": "sent", "r-3": "sent"}
    assert {(await store.reminders.by_key(k)).attempts for k in KEYS} == {0}
    clock.advance(LEASE + timedelta(minutes=1))
    await engine.tick()
    assert len(messenger.sent) == 3  # none went out a second time once the lease ran out


async def test_marks_refused_before_a_pause_are_written_during_it(store, core, clock, db_path):
    await due_now(store, clock.now())
    window = Window()
    messenger = Counting(window, limit_third=True)
    engine = engine_for(store, core, clock, messenger, window)
    refuse_marks(db_path, on=True)
    assert (await engine.tick()).paused  # two went out, then the platform asked to wait
    refuse_marks(db_path, on=False)
    clock.advance(timedelta(minutes=1))
    assert (await engine.tick()).paused  # still waiting: nothing is sent, the marks are
    assert await statuses(store) == {"r-1": "sent", "r-2": "sent", "r-3": "pending"}
