"""Faults and bad input: a locked or full database, platforms misbehaving, and a backup taken
while the bot writes. Each ends with the person told kindly and nothing lost or corrupted."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import timedelta

from bot.content import load_content
from bot.core import Rebound
from bot.models import PersonRef
from bot.ports import FixedClock, RateLimited, TemporaryFailure, Undeliverable
from bot.reminders import MAX_ATTEMPTS, ReminderEngine
from bot.store import SqliteStore, open_store
from tests.conftest import START, count_held, in_channel, text_of


async def test_a_locked_database_gets_a_kind_message_and_the_bot_keeps_serving(tmp_path):
    path = tmp_path / "r.db"
    async with open_store(path, busy_timeout_ms=50) as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        await core.checkin(in_channel(), mood=3)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another writer holds the file
        try:
            replies = await core.rejected(in_channel(), company="Acme", stage="final")
            assert "couldn't save that just now" in text_of(replies)
            assert "Traceback" not in text_of(replies)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # The same process serves the next command, and nothing half-written stayed behind.
        replies = await core.rejected(in_channel(), company="Acme", stage="final")
        assert "Logged" in text_of(replies)
        me = await store.people.find("test", "alex")
        assert await count_held(store, me.id, "rejections") == 1
        assert await store.integrity() == "ok"


async def fill_disk(store: SqliteStore, spare_pages: int = 0) -> None:
    """The disk is full: the file may grow by spare_pages at most (SQLite's max_page_count)."""
    async with store.db.execute("PRAGMA page_count") as cur:
        pages = (await cur.fetchone())[0]
    await store.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


async def test_a_full_database_gets_a_kind_message_and_stays_sound(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        await core.checkin(in_channel(), mood=3)
        await fill_disk(store)
        failures = 0
        for n in range(200):
            replies = await core.checkin(in_channel(f"P{n}"), mood=3, note="x" * 1500)
            if "storage is full" in text_of(replies):
                failures += 1
        assert failures > 0
        assert "What Rebound can do" in text_of(await core.help(in_channel()))
        assert "Current streak: 1 week" in text_of(await core.streak(in_channel()))
        assert await store.integrity() == "ok"
        await store.db.execute("PRAGMA max_page_count = 1073741823")
        assert "Check-in saved" in text_of(await core.checkin(in_channel("After"), mood=4))


async def test_commands_written_together_on_a_full_disk_never_claim_what_was_not_kept(tmp_path):
    """Group commit on a full disk: whoever is told 'logged' has their row, nobody else does."""
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        await core.checkin(in_channel(), mood=3)
        await fill_disk(store, spare_pages=3)  # room for a little
        replies = await asyncio.gather(
            *(
                core.rejected(in_channel(f"P{n}"), company=f"Co {n}", note=f"{n} " + "x" * 1400)
                for n in range(60)
            )
        )
        told_logged = {n for n, r in enumerate(replies) if "Logged" in text_of(r)}
        told_full = {n for n, r in enumerate(replies) if "storage is full" in text_of(r)}
        assert told_full and told_logged | told_full == set(range(60))
        async with store.db.execute("SELECT company FROM rejections") as cur:
            kept = {int(row[0].split()[1]) for row in await cur.fetchall()}
        assert kept == told_logged
        assert await store.integrity() == "ok"
        await store.db.execute("PRAGMA max_page_count = 1073741823")
        assert "Logged" in text_of(await core.rejected(in_channel("After"), company="Acme"))


class Misbehaving:
    """A platform that answers 429 storms, 500s, timeouts and closed DMs, by person."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.calls = 0

    async def send_dm(self, person, reply, *, key=None) -> None:
        self.calls += 1
        kind = person.user_id.split("-")[0]
        if kind == "storm" and self.calls % 3:
            raise RateLimited("429 storm", retry_after=2)
        if kind == "broken":
            raise TemporaryFailure("500 internal server error")
        if kind == "slow":
            raise TimeoutError("read timed out")
        if kind == "closed":
            raise Undeliverable("403 code 50007")
        self.sent.append(person.user_id)

    async def post(self, community, channel_id, reply) -> None:
        raise TemporaryFailure("500")


async def test_a_misbehaving_platform_never_makes_a_reminder_vanish(tmp_path):
    clock = FixedClock(START)
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), clock, rng=random.Random(1))
        engine = ReminderEngine(store, core, clock)
        platform = Misbehaving()
        engine.register("test", platform)
        kinds = ["fine", "storm", "broken", "slow", "closed"]
        keys = []
        for n in range(50):
            who = f"{kinds[n % 5]}-{n}"
            person = await store.people.ensure(PersonRef("test", who, who), clock.now())
            await store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")
            keys.append(f"k{n}")
            await store.reminders.schedule(
                person.id,
                kind="checkin",
                ref_id=None,
                key=keys[-1],
                due=clock.now(),
                now=clock.now(),
            )
        for _ in range(400):  # far more rounds than any back-off needs
            await engine.tick()
            clock.advance(timedelta(minutes=10))
            states = [(await store.reminders.by_key(k)).status for k in keys]
            if all(s in ("sent", "failed", "undeliverable") for s in states):
                break
        by_kind: dict[str, set[str]] = {}
        for n, state in enumerate(states):
            by_kind.setdefault(kinds[n % 5], set()).add(state)
        assert by_kind == {
            "fine": {"sent"},
            "storm": {"sent"},  # waited out, then delivered
            "broken": {"failed"},
            "slow": {"failed"},
            "closed": {"undeliverable"},
        }
        for key in keys:
            reminder = await store.reminders.by_key(key)
            if reminder.status == "failed":
                assert reminder.attempts == MAX_ATTEMPTS - 1 and reminder.last_error
        assert await store.integrity() == "ok"


async def test_a_backup_taken_while_the_bot_writes_is_consistent(tmp_path):
    async with open_store(tmp_path / "live.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(2))

        async def writer() -> None:
            for n in range(60):
                await core.checkin(in_channel(f"W{n}"), mood=3)

        task = asyncio.create_task(writer())
        await asyncio.sleep(0)  # let the writer start; the backup runs between its statements
        await store.backup(tmp_path / "copy.db")
        await task
    async with open_store(tmp_path / "copy.db") as copy:
        assert await copy.integrity() == "ok"
        async with copy.db.execute(
            "SELECT COUNT(*) FROM people p WHERE NOT EXISTS"
            " (SELECT 1 FROM checkins c WHERE c.person_id = p.id)"
        ) as cur:
            assert (await cur.fetchone())[0] == 0  # no person without the check-in they made
