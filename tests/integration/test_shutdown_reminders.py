"""Shutting the app down mid-batch: no reminder is left claimed ('sending') in the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build
from bot.config import Settings, load_settings
from bot.models import PersonRef, Reply
from bot.ports import FixedClock
from bot.store import open_store

KEYS = ("r-1", "r-2", "r-3")


class GatedMessenger:
    """A Messenger double whose DMs wait at a gate, so a test can catch a batch mid-send."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.gate = asyncio.Event()
        self.sent: list[str] = []

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        self.started.set()
        await self.gate.wait()
        self.sent.append(key or "")

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")


def settings_for(tmp_path: Path) -> Settings:
    return load_settings({"REBOUND_DB_PATH": str(tmp_path / "rebound.db")}, env_file=None)


async def states(path: Path) -> dict[str, tuple[str, int]]:
    async with open_store(path) as store:
        found = {}
        for key in KEYS:
            reminder = await store.reminders.by_key(key)
            assert reminder is not None, key
            found[key] = (reminder.status, reminder.attempts)
        return found


async def start_a_batch(app, clock: FixedClock, messenger: GatedMessenger) -> None:
    """Three reminders due now for one person; the scheduler's tick claims them and starts."""
    app.reminders.register("test", messenger)
    person = await app.store.people.ensure(PersonRef("test", "ada", "Ada"), clock.now())
    for key in KEYS:
        await app.store.reminders.schedule(
            person.id, kind="checkin", ref_id=None, key=key, due=clock.now(), now=clock.now()
        )
    app.scheduler.run_now()
    await asyncio.wait_for(messenger.started.wait(), 10)


async def test_the_reminder_being_sent_finishes_and_the_rest_go_back_to_pending(tmp_path, clock):
    messenger = GatedMessenger()
    async with build(settings_for(tmp_path), clock=clock) as app:
        await start_a_batch(app, clock, messenger)
        # The send under way ends only after shutdown has begun (callbacks run on the next
        # turn of the loop, and leaving this block starts the shutdown before yielding).
        asyncio.get_running_loop().call_soon(messenger.gate.set)
    assert messenger.sent == ["r-1@2026-11-26T15:00:00Z"]
    assert await states(tmp_path / "rebound.db") == {
        "r-1": ("sent", 0),
        "r-2": ("pending", 0),
        "r-3": ("pending", 0),
    }


async def test_a_send_that_outlasts_shutdown_is_handed_back_not_left_sending(tmp_path, clock):
    messenger = GatedMessenger()  # its gate never opens: the platform does not answer
    async with build(settings_for(tmp_path), clock=clock) as app:
        await start_a_batch(app, clock, messenger)
        app.reminders.drain_seconds = 0  # shutdown's patience has run out
    assert messenger.sent == []
    assert await states(tmp_path / "rebound.db") == {
        "r-1": ("pending", 0),
        "r-2": ("pending", 0),
        "r-3": ("pending", 0),
    }


class ThirdWaits(GatedMessenger):
    """DMs go through at once, but the third waits at the gate (the platform stops answering)."""

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        if len(self.sent) < 2:
            self.sent.append(key or "")
            return
        await super().send_dm(person, reply, key=key)


async def test_reminders_sent_before_shutdown_stay_sent_though_not_yet_marked(tmp_path, clock):
    messenger = ThirdWaits()
    async with build(settings_for(tmp_path), clock=clock) as app:
        # Sends this quick are marked together; the window never closes here on its own.
        app.reminders.mark_window_s = 3600
        await start_a_batch(app, clock, messenger)
        app.reminders.drain_seconds = 0
    assert messenger.sent == ["r-1@2026-11-26T15:00:00Z", "r-2@2026-11-26T15:00:00Z"]
    # The two that went out are never handed back to be sent again; the third waits its turn.
    assert await states(tmp_path / "rebound.db") == {
        "r-1": ("sent", 0),
        "r-2": ("sent", 0),
        "r-3": ("pending", 0),
    }
