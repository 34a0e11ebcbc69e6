"""Several Rebound processes on one PostgreSQL database: one schedule, nothing sent twice.

Each worker is a real process (tests/integration/crash_worker.py) with its own pool; the
platform is a file per process that every delivery is appended to.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.content import load_content
from bot.core import Rebound
from bot.models import CommunityRef, PersonRef, Reply
from bot.ports import FixedClock
from bot.reminders import LEASE, ReminderEngine
from bot.store import ReminderPlan, Store, open_store

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
BATCH = 50


def worker(url: str, log: Path, now: datetime, *, watched: bool = False) -> subprocess.Popen:
    """A dispatching process; its `sent N` lines go to a pipe the test reads when watched."""
    args = [url, str(log), now.isoformat(), str(BATCH)]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE if watched else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


async def seed(url: str, count: int, people: int = 200) -> set[str]:
    """count due reminders over `people` people without quiet hours; their keys."""
    async with open_store(url) as store:
        ids = []
        for i in range(people):
            person = await store.people.ensure(PersonRef("test", f"u{i}", f"P{i}"), NOW)
            await store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")
            ids.append(person.id)
        keys = [f"checkin:many:{n}" for n in range(count)]
        plans = [
            ReminderPlan(ids[n % people], "checkin", None, key, NOW - timedelta(minutes=n % 90))
            for n, key in enumerate(keys)
        ]
        await store.reminders.schedule_many(plans, NOW)
    return set(keys)


def deliveries(logs: list[Path]) -> list[str]:
    return [line for log in logs if log.exists() for line in log.read_text().splitlines()]


async def statuses(url: str) -> dict[str, int]:
    async with open_store(url) as store:
        found = await store.reminders.counts(["pending", "sending", "sent", "failed"])
    return {k: v for k, v in found.items() if v}


async def test_three_processes_send_ten_thousand_due_reminders_exactly_once(tmp_path, pg_url):
    keys = await seed(pg_url, 10_000)
    logs = [tmp_path / f"delivered-{n}.log" for n in range(3)]
    procs = [worker(pg_url, log, NOW) for log in logs]
    for proc in procs:
        _, err = await asyncio.to_thread(proc.communicate, timeout=300)
        assert proc.returncode == 0, err
    sent = Counter(line.split("@")[0] for line in deliveries(logs))
    assert set(sent) == keys
    assert max(sent.values()) == 1  # exactly once
    # All three took part: the claims were shared out, not taken by the first to start.
    assert all(log.exists() and log.read_text() for log in logs)
    assert await statuses(pg_url) == {"sent": 10_000}


async def test_a_process_killed_mid_dispatch_has_its_claims_taken_over_after_the_lease(
    tmp_path, pg_url
):
    keys = await seed(pg_url, 2000)
    killed_log, survivor_log, later_log = (tmp_path / f"{n}.log" for n in ("a", "b", "c"))
    victim = worker(pg_url, killed_log, NOW, watched=True)
    survivor = worker(pg_url, survivor_log, NOW)
    assert victim.stdout is not None
    for line in victim.stdout:
        if line.startswith("sent ") and int(line.split()[1]) >= 120:
            os.kill(victim.pid, signal.SIGKILL)
            break
    victim.communicate()
    assert victim.returncode == -signal.SIGKILL
    _, err = await asyncio.to_thread(survivor.communicate, timeout=300)
    assert survivor.returncode == 0, err
    # The survivor left the dead process's claims alone while their lease ran.
    left = await statuses(pg_url)
    assert 0 < left.get("sending", 0) <= BATCH and "pending" not in left

    # A process whose clock is past the lease takes them over.
    after_lease = NOW + LEASE + timedelta(seconds=1)
    _, err = await asyncio.to_thread(
        worker(pg_url, later_log, after_lease).communicate, timeout=300
    )
    lines = deliveries([killed_log, survivor_log, later_log])
    sent = Counter(line.split("@")[0] for line in lines)
    assert set(sent) == keys  # none lost
    resent = {key for key, n in sent.items() if n > 1}
    assert len(resent) <= BATCH and max(sent.values()) <= 2  # only within one lease
    # A resend carries the same delivery key, so a platform that honours it drops it.
    for key in resent:
        assert len({line for line in lines if line.startswith(key + "@")}) == 1
    assert await statuses(pg_url) == {"sent": 2000}


class Channel:
    """A platform's channel: every digest posted to it, by community."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        raise AssertionError("no DMs here")

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        await asyncio.sleep(0)  # give the other process's engine its turn mid-post
        self.posts[community.community_id] += 1


async def test_a_weekly_digest_is_claimed_and_posted_once_across_two_processes(pg_url):
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    clock, content, channel = FixedClock(friday_evening), load_content(), Channel()
    async with open_store(pg_url) as first, open_store(pg_url) as second:
        for n in range(20):
            admin = await first.people.ensure(PersonRef("test", f"admin{n}", "Admin"), NOW)
            community = await first.people.join(admin.id, CommunityRef("test", f"g{n}", "G"), NOW)
            await first.community.set_setting(community, "digest_channel", "c1", admin.id, NOW)

        def engine(store: Store) -> ReminderEngine:
            made = ReminderEngine(store, Rebound(store, content, clock), clock)
            made.register("test", channel)
            return made

        one, two = engine(first), engine(second)
        posted = await asyncio.gather(one.post_digests(), two.post_digests())
        assert sum(posted) == 20
        assert channel.posts == Counter({f"g{n}": 1 for n in range(20)})
        # The hour after, and after a restart, nothing is posted again.
        assert await asyncio.gather(one.post_digests(), two.post_digests()) == [0, 0]


async def test_only_one_process_holds_a_lock_such_as_command_sync(pg_url):
    async with open_store(pg_url) as first, open_store(pg_url) as second:
        async with (
            first.exclusive("discord.commands_hash") as mine,
            second.exclusive("discord.commands_hash") as theirs,
        ):
            assert (mine, theirs) == (True, False)
        async with second.exclusive("discord.commands_hash") as theirs:
            assert theirs  # given back when the block ended
