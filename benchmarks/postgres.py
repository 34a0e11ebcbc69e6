"""`make bench`, PostgreSQL rows: the same figures on asyncpg beside a floor on the same pool.

Runs when REBOUND_BENCH_PG_URL (or REBOUND_TEST_PG_URL) names a server: each figure gets a
fresh schema in a random-named database, dropped afterwards. Dispatch runs in real processes
(`python -m benchmarks.postgres dispatch URL`), one and then two, on the same schedule size.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from benchmarks.run import COMMUNITY, NOW, ROOT, ROUNDS, Counter, Sizes, pct
from bot import streaks
from bot.content import load_content
from bot.core import ALL_TIME, Rebound, window_keys
from bot.models import Context, PersonRef, Reply, Text
from bot.ports import FixedClock
from bot.reminders import ReminderEngine
from bot.store import open_store
from bot.store.postgres import PostgresStore
from bot.store.postgres.boards import rankings_rebuilt


def server_url() -> str | None:
    """The server to measure on, or None (the PostgreSQL rows are then left out)."""
    return os.environ.get("REBOUND_BENCH_PG_URL") or os.environ.get("REBOUND_TEST_PG_URL")


def _at(url: str, database: str, **settings: str) -> str:
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in settings.items())
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, query, ""))


@asynccontextmanager
async def database(server: str) -> AsyncIterator[str]:
    """A random-named database for this run, dropped afterwards."""
    name = f"rebound_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')  # a name made here, never input
        yield _at(server, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def schema(db_url: str) -> AsyncIterator[str]:
    """A fresh schema (a fresh, empty Rebound once migrated): a URL whose sessions use it."""
    name = f"s_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute(f'CREATE SCHEMA "{name}"')
        url = _at(db_url, urlsplit(db_url).path[1:], search_path=name)
        async with open_store(url):
            pass
        yield url
    finally:
        await conn.execute(f'DROP SCHEMA "{name}" CASCADE')
        await conn.close()


async def seed(url: str, people: int, history: int, *, opted: bool = False) -> None:
    """People in one community and history rows over them, with COPY (as the SQLite seed)."""
    stamp = NOW - timedelta(days=30)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO communities (id, platform, community_id, name, created_at)"
            " VALUES (1, 'bench', 'g1', 'Bench', $1)",
            stamp,
        )
        ids = range(1, people + 1)
        await conn.copy_records_to_table(
            "people",
            records=[(n, "bench", f"u{n}", f"Person {n}", stamp) for n in ids],
            columns=["id", "platform", "user_id", "display_name", "created_at"],
        )
        await conn.copy_records_to_table(
            "memberships",
            records=[(n, 1, int(opted), stamp) for n in ids],
            columns=["person_id", "community_id", "leaderboard", "joined_at"],
        )
        rng = random.Random(7)
        rows = [
            (
                rng.randint(1, people),
                rng.choice(["checkin", "reflection", "followup_sent"]),
                rng.choice([1, 3, 5]),
                NOW - timedelta(minutes=rng.randint(0, 200_000)),
            )
            for _ in range(history)
        ]
        await conn.copy_records_to_table(
            "activity", records=rows, columns=["person_id", "kind", "points", "occurred_at"]
        )
        for table in ("people", "communities", "activity"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT MAX(id) FROM {table}))"
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _flat_out(callers: int, each: int, call: Any) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def caller(n: int) -> None:
        for k in range(each):
            started = time.perf_counter()
            await call(n, k)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller(n) for n in range(callers)))
    return callers * each / (time.perf_counter() - started), latencies


async def bench_commands(db_url: str, sizes: Sizes) -> dict[str, Any]:
    """/rejected flat out with 200 callers, and the floor: one insert+commit per call."""
    floors: list[float] = []
    throughputs: list[float] = []
    latencies: list[float] = []
    async with schema(db_url) as url:
        await seed(url, sizes.people, sizes.history)
        async with PostgresStore(url) as store:
            pool = store.engine.pool
            core = Rebound(store, load_content(), FixedClock(NOW), rng=random.Random(1))
            for run in range(ROUNDS if sizes.paced else 1):

                async def floor_call(n: int, k: int, run: int = run) -> None:
                    async with pool.acquire() as conn, conn.transaction():
                        await conn.execute(
                            "INSERT INTO bot_state (key, value) VALUES ($1, 'x')", f"{run}:{n}:{k}"
                        )

                async def rejected(n: int, k: int, run: int = run) -> None:
                    # Each run's callers are other people, each logging their first no here.
                    seat = 1 + (run * sizes.callers + n) * 37 % sizes.people
                    who = PersonRef("bench", f"u{seat}", f"Person {n}")
                    replies = await core.rejected(
                        Context(who, COMMUNITY, "c1"), company=f"Co {k}", stage="screen", feeling=3
                    )
                    assert replies[0].buttons, "an error reply would not be a fair figure"

                floor, _ = await _flat_out(sizes.callers, sizes.calls_each, floor_call)
                throughput, run_latencies = await _flat_out(
                    sizes.callers, sizes.calls_each, rejected
                )
                floors.append(floor)
                throughputs.append(throughput)
                latencies += run_latencies
    floor, throughput = statistics.median(floors), statistics.median(throughputs)
    return {
        "calls": sizes.callers * sizes.calls_each,
        "runs": len(floors),
        "throughput_per_s": round(throughput, 1),
        "throughput_runs_per_s": [round(t) for t in throughputs],
        "flat_out_p99_ms": round(pct(latencies, 99) * 1000, 2),
        "floor_insert_commit_per_s": round(floor, 1),
        "floor_runs_per_s": [round(f) for f in floors],
        "ratio_to_floor": round(throughput / floor, 3),
        "targets": {"throughput >= floor/2": throughput >= floor / 2},
    }


# Each dispatch run sends the whole schedule in a few seconds, so one run of each swings with
# the machine as the commands do: one process and two take turns this many times (medians).
DISPATCH_ROUNDS = 3


async def seed_reminders(url: str, count: int) -> None:
    """count due reminders over count/10 people without quiet hours, with COPY."""
    people = max(1, count // 10)
    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table(
            "people",
            records=[
                (n, "bench", f"r{n}", f"R{n}", "00:00", "00:00", NOW) for n in range(1, people + 1)
            ],
            columns=[
                "id",
                "platform",
                "user_id",
                "display_name",
                "quiet_start",
                "quiet_end",
                "created_at",
            ],
        )
        await conn.copy_records_to_table(
            "reminders",
            records=[
                (
                    1 + n % people,
                    "next_step",
                    f"bench:{n}",
                    NOW - timedelta(seconds=n % 3600),
                    NOW,
                    NOW,
                )
                for n in range(count)
            ],
            columns=["person_id", "kind", "idem_key", "due_at", "created_at", "updated_at"],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def dispatch(url: str) -> int:
    """One process's share of the schedule: claim and send until nothing is due (a worker)."""
    async with PostgresStore(url) as store:
        core = Rebound(store, load_content(), FixedClock(NOW), rng=random.Random(1))

        async def no_message(reminder: Any, person: Any, now: datetime) -> Reply:
            return Reply(text=Text.of("reminder"))

        core.reminder_message = no_message  # type: ignore[method-assign]
        engine = ReminderEngine(store, core, FixedClock(NOW), batch_size=500)
        counter = Counter()
        engine.register("bench", counter)
        # Started and connected: wait for the word, so every worker starts sending at once.
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        while (await engine.tick()).sent:
            pass
        print(counter.sent, flush=True)
    return counter.sent


def run_workers(url: str, processes: int) -> tuple[float, int]:
    """Start `processes` dispatching processes; seconds from their go to the last one done."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.postgres", "dispatch", url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    # Python's start-up and the pool's connections are not dispatch: timing starts once
    # every worker is ready, and ends when the last says it has sent everything it could.
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    sent = 0
    for proc in procs:
        assert proc.stdout is not None
        sent += int(proc.stdout.readline())
    seconds = time.perf_counter() - started
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0, "a dispatch worker failed"
    return seconds, sent


async def bench_dispatch(db_url: str, sizes: Sizes) -> dict[str, Any]:
    """The same schedule sent by one process, then by two sharing it, in turns (medians)."""
    figures: dict[str, Any] = {"reminders": sizes.reminders}
    runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(DISPATCH_ROUNDS if sizes.paced else 1):
        for processes in (1, 2):
            async with schema(db_url) as url:
                await seed_reminders(url, sizes.reminders)
                seconds, sent = await asyncio.to_thread(run_workers, url, processes)
            assert sent == sizes.reminders, f"{sent} of {sizes.reminders} sent"
            runs[processes].append(seconds)
    for processes, seconds_each in runs.items():
        figures[f"dispatch_s_{processes}_process"] = round(statistics.median(seconds_each), 2)
        figures[f"dispatch_runs_s_{processes}_process"] = [round(s, 2) for s in seconds_each]
    speedup = figures["dispatch_s_1_process"] / figures["dispatch_s_2_process"]
    figures["speedup_2_processes"] = round(speedup, 2)
    figures["targets"] = {"2 processes >= 1.6x one": speedup >= 1.6}
    return figures


async def seed_board_points(conn: asyncpg.Connection, sizes: Sizes, week: str, index: int) -> None:
    """Streaks and window points for every member, as the SQLite board benchmark writes them."""
    rng = random.Random(3)
    totals = [rng.randint(0, 500) for _ in range(sizes.board_members)]
    await conn.copy_records_to_table(
        "streaks",
        records=[
            (n, "week", c, c, 0, index, 0, totals[n - 1], NOW)
            for n in range(1, sizes.board_members + 1)
            for c in [rng.randint(0, 30)]
        ],
        columns=[
            "person_id",
            "period",
            "current",
            "best",
            "reserves",
            "last_period",
            "period_points",
            "total_points",
            "updated_at",
        ],
    )
    # The rankings are built once from these when the load ends (rankings_rebuilt).
    await conn.copy_records_to_table(
        "period_points",
        records=[
            row
            for n in range(1, sizes.board_members + 1)
            for row in ((n, week, rng.randint(1, 40)), (n, ALL_TIME, totals[n - 1] + 1))
        ],
        columns=["person_id", "period_key", "points"],
    )


async def bench_board(db_url: str, sizes: Sizes) -> dict[str, Any]:
    """Top 10 and neighbours among opted-in members, at the first history size."""
    history = sizes.board_history[0]
    week, _ = window_keys(NOW.date())
    index = streaks.period_index(NOW, _utc())
    async with schema(db_url) as url:
        await seed(url, sizes.board_members, history, opted=True)
        conn = await asyncpg.connect(url)
        try:
            async with conn.transaction(), rankings_rebuilt(conn):
                await seed_board_points(conn, sizes, week, index)
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
        async with PostgresStore(url) as store:
            times = []
            for q in range(sizes.board_queries):
                me = 1 + (q * 7919) % sizes.board_members
                started = time.perf_counter()
                board = await store.boards.view(
                    1,
                    window_key=week if q % 2 else ALL_TIME,
                    period="week",
                    index=index,
                    me=me,
                    top=10,
                    around=2,
                )
                times.append(time.perf_counter() - started)
                assert board.ranked == sizes.board_members and board.my_rank is not None
    p99 = pct(times, 99) * 1000
    return {
        "members": sizes.board_members,
        f"p99_ms_at_{history}_rows": round(p99, 2),
        f"p50_ms_at_{history}_rows": round(pct(times, 50) * 1000, 2),
        "targets": {f"p99 <= 10 ms at {history} rows": p99 <= 10},
    }


def _utc() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("UTC")


async def bench_postgres(sizes: Sizes, server: str) -> dict[str, dict[str, Any]]:
    """Every PostgreSQL figure, each on a fresh schema of one random-named database."""
    results: dict[str, dict[str, Any]] = {}
    async with database(server) as db_url:
        for name, step in (
            ("pg_commands", bench_commands),
            ("pg_reminders", bench_dispatch),
            ("pg_leaderboard", bench_board),
        ):
            started = time.perf_counter()
            results[name] = await step(db_url, sizes)
            results[name]["bench_seconds"] = round(time.perf_counter() - started, 1)
    return results


if __name__ == "__main__":
    # The dispatch worker: `python -m benchmarks.postgres dispatch URL` says "ready", waits for
    # a line on its input, then sends and prints how many it sent.
    if sys.argv[1:2] == ["dispatch"]:
        asyncio.run(dispatch(sys.argv[2]))
