"""SIGKILL a process mid-dispatch, restart it: nothing is lost, duplicates stay within a batch."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.models import PersonRef
from bot.store import open_store

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 3000
PEOPLE = 300
BATCH = 50
KILL_AFTER = 1200
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def worker(db: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.crash_worker",
            str(db),
            str(log),
            NOW.isoformat(),
            str(BATCH),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_sigkill_mid_dispatch_loses_nothing(tmp_path):
    db, log = tmp_path / "crash.db", tmp_path / "delivered.log"
    async with open_store(db) as store:
        people = [
            await store.people.ensure(PersonRef("test", f"u{i}", f"P{i}"), NOW)
            for i in range(PEOPLE)
        ]
        async with store.unit() as u:
            for n in range(REMINDERS):
                await u.reminders.schedule(
                    people[n % PEOPLE].id,
                    kind="checkin",
                    ref_id=None,
                    key=f"checkin:crash:{n}",
                    due=NOW - timedelta(minutes=n % 90),
                    now=NOW,
                )
        for person in people:
            await store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")

    with worker(db, log) as first:
        assert first.stdout is not None
        for line in first.stdout:
            if line.startswith("sent ") and int(line.split()[1]) >= KILL_AFTER:
                os.kill(first.pid, signal.SIGKILL)
                break
        first.wait()
    assert first.returncode == -signal.SIGKILL
    before_restart = len(log.read_text().splitlines())
    assert KILL_AFTER <= before_restart < REMINDERS  # it really died mid-run

    with worker(db, log) as second:
        out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert out.strip().endswith("done")

    delivered = Counter(line.split("@")[0] for line in log.read_text().splitlines())
    expected = {f"checkin:crash:{n}" for n in range(REMINDERS)}
    assert set(delivered) == expected  # none lost
    duplicates = sum(count - 1 for count in delivered.values())
    assert duplicates <= BATCH
    with sqlite3.connect(db) as check:
        statuses = dict(check.execute("SELECT status, COUNT(*) FROM reminders GROUP BY status"))
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
    assert statuses == {"sent": REMINDERS}
    assert integrity == "ok"
    print(
        f"\ncrash test: {REMINDERS} reminders, killed after {before_restart} deliveries, "
        f"{sum(delivered.values())} deliveries in all, {len(delivered)} distinct, "
        f"{duplicates} duplicate(s) (bound: one batch of {BATCH})"
    )
