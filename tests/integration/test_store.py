"""The store on a real SQLite file: pragmas, migrations, transactions, concurrency, erasure."""

import asyncio
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.content import load_content
from bot.core import Rebound
from bot.models import Context, PersonRef
from bot.ports import FixedClock
from bot.store import (
    MIGRATIONS,
    PERSONAL_TABLES,
    SCHEMA_VERSION,
    SqliteStore,
    StoreError,
    open_store,
)
from tests.conftest import COMMUNITY, START, count_held, in_channel, in_dm, tables_naming

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


async def test_pragmas_are_set_on_the_file(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        values = {}
        for pragma in (
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "user_version",
        ):
            async with store.db.execute(f"PRAGMA {pragma}") as cur:
                values[pragma] = (await cur.fetchone())[0]
    assert values == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "user_version": SCHEMA_VERSION,
    }


@pytest.mark.parametrize("start_version", range(SCHEMA_VERSION + 1))
async def test_migrates_from_every_earlier_version_and_keeps_data(tmp_path, start_version):
    path = tmp_path / "old.db"
    store = open_store(path)
    await store.open(migrate=False)
    await store.migrate(target=start_version)
    assert await store.schema_version() == start_version
    if start_version >= 1:
        await store.people.ensure(PersonRef("test", "u1", "Old Timer"), NOW)
    await store.close()

    async with open_store(path) as reopened:
        assert await reopened.schema_version() == SCHEMA_VERSION
        if start_version >= 1:
            assert (await reopened.people.find("test", "u1")).display_name == "Old Timer"
        # Every table of the current schema is usable after the upgrade.
        await reopened.people.ensure(PersonRef("test", "u2", "New"), NOW)


async def test_rejections_from_version_2_are_nos_after_the_upgrade(tmp_path):
    path = tmp_path / "v2.db"
    store = open_store(path)
    await store.open(migrate=False)
    await store.migrate(target=2)
    await store.db.executescript(
        """
        INSERT INTO people (id, platform, user_id, display_name, created_at)
            VALUES (1, 'test', 'a', 'Ada', '2026-11-01T10:00:00Z');
        INSERT INTO rejections (person_id, company, stage, created_at)
            VALUES (1, 'Acme', 'offer', '2026-11-01T10:00:00Z');
        """
    )
    await store.db.commit()
    await store.close()
    async with open_store(path) as reopened:
        old = await reopened.rejections.latest(1)
        assert (old.company, old.stage, old.outcome) == ("Acme", "offer", "rejected")


async def test_boards_are_built_from_version_1_data_on_upgrade(tmp_path):
    path = tmp_path / "v1.db"
    store = open_store(path)
    await store.open(migrate=False)
    await store.migrate(target=1)
    stamp = "2026-11-01T10:00:00Z"
    await store.db.executescript(
        f"""
        INSERT INTO communities (id, platform, community_id, name, created_at)
            VALUES (1, 'test', 'g', 'G', '{stamp}');
        INSERT INTO people (id, platform, user_id, display_name, created_at) VALUES
            (1, 'test', 'a', 'Ada', '{stamp}'), (2, 'test', 'b', 'Bea', '{stamp}'),
            (3, 'test', 'c', 'Cy', '{stamp}');
        INSERT INTO memberships (person_id, community_id, leaderboard, joined_at) VALUES
            (1, 1, 1, '{stamp}'), (2, 1, 1, '{stamp}'), (3, 1, 0, '{stamp}');
        INSERT INTO streaks (person_id, period, current, total_points, updated_at) VALUES
            (1, 'week', 2, 9, '{stamp}'), (2, 'week', 1, 4, '{stamp}'),
            (3, 'week', 5, 50, '{stamp}');
        INSERT INTO period_points (person_id, period_key, points) VALUES
            (1, 'w:2026-11-23', 3), (2, 'w:2026-11-23', 3), (3, 'w:2026-11-23', 8);
        """
    )
    await store.close()

    async with open_store(path) as upgraded:
        everyone = await upgraded.boards.view(
            1, window_key="all", period="week", index=0, me=2, top=10, around=2
        )
        week = await upgraded.boards.view(
            1, window_key="w:2026-11-23", period="week", index=0, me=2, top=10, around=2
        )
    # Cy never opted in: on no board, however many points.
    assert [(r.rank, r.display_name, r.points) for r in everyone.rows] == [
        (1, "Ada", 9),
        (2, "Bea", 4),
    ]
    assert (everyone.my_rank, everyone.ranked) == (2, 2)
    assert [(r.rank, r.display_name) for r in week.rows] == [(1, "Ada"), (1, "Bea")]


async def test_board_counts_stay_true_through_joins_leaves_renames_and_forgetting(tmp_path):
    """Whatever happens, each board's counts match its rows and its rows match the points."""
    rng = random.Random(3)
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        names = [f"P{i}" for i in range(12)]
        for step in range(150):
            name = rng.choice(names)
            shown = name if rng.random() < 0.8 else f"{name} (renamed)"
            ctx = Context(PersonRef("test", name.lower(), shown), COMMUNITY, "c")
            action = rng.random()
            if action < 0.45:
                await core.checkin(ctx, mood=3)
            elif action < 0.65:
                await core.leaderboard(ctx, "join")
            elif action < 0.8:
                await core.leaderboard(ctx, "leave")
            elif action < 0.85:
                replies = await core.forget(ctx)
                await core.press(ctx, replies[0].buttons[0].action_id)
            else:
                await core.settings(ctx, leaderboard=rng.choice(["on", "off"]))
            if step % 10 == 0:
                await _assert_boards_consistent(store)
        await _assert_boards_consistent(store)


async def _assert_boards_consistent(store: SqliteStore) -> None:
    async def rows(sql: str) -> list[tuple]:
        async with store.db.execute(sql) as cur:
            return [tuple(r) for r in await cur.fetchall()]

    assert await rows(
        "SELECT community_id, period_key, points, COUNT(*) FROM board_rows"
        " GROUP BY community_id, period_key, points ORDER BY 1, 2, 3"
    ) == await rows(
        "SELECT community_id, period_key, points, members FROM board_counts ORDER BY 1, 2, 3"
    )
    assert await rows(
        "SELECT community_id, period_key, person_id, points, name FROM board_rows ORDER BY 1, 2, 3"
    ) == await rows(
        "SELECT m.community_id, pp.period_key, pp.person_id, pp.points, p.display_name"
        " FROM memberships m JOIN period_points pp ON pp.person_id = m.person_id"
        " JOIN people p ON p.id = m.person_id WHERE m.leaderboard = 1 ORDER BY 1, 2, 3"
    )


async def test_a_database_from_a_newer_rebound_is_refused(tmp_path):
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this Rebound"):
        async with open_store(path):
            pass


async def test_migrations_are_append_only_sql():
    assert len(MIGRATIONS) == SCHEMA_VERSION
    assert all("CREATE" in m or "ALTER" in m for m in MIGRATIONS)


async def test_atomic_rolls_back_everything_on_error(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        person = await store.people.ensure(PersonRef("test", "u1", "A"), NOW)
        with pytest.raises(RuntimeError):
            async with store.unit() as u:
                await u.checkins.add(person.id, 3, "kept?", NOW)
                raise RuntimeError("boom")
        assert await count_held(store, person.id, "checkins") == 0


async def test_data_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "r.db"
    async with open_store(path) as store:
        person = await store.people.ensure(PersonRef("test", "u1", "A"), NOW)
        await store.checkins.add(person.id, 4, None, NOW)
    async with open_store(path) as store:
        again = await store.people.find("test", "u1")
        assert await count_held(store, again.id, "checkins") == 1


async def test_scheduling_the_same_key_twice_replaces_instead_of_doubling(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        person = await store.people.ensure(PersonRef("test", "u1", "A"), NOW)
        for days in (1, 2, 2):
            await store.reminders.schedule(
                person.id,
                kind="checkin",
                ref_id=None,
                key="checkin:1:2d",
                due=NOW + timedelta(days=days),
                now=NOW,
            )
        rows = await store.reminders.for_person(person.id, ["pending"])
        assert len(rows) == 1
        assert rows[0].due_at == NOW + timedelta(days=2)
        # Once sent, scheduling the very same thing again must not send it again.
        await store.reminders.claim_due(NOW + timedelta(days=3), NOW + timedelta(days=4), 10)
        await store.reminders.finish(rows[0].id, "sent", NOW + timedelta(days=3))
        again = await store.reminders.schedule(
            person.id,
            kind="checkin",
            ref_id=None,
            key="checkin:1:2d",
            due=NOW + timedelta(days=2),
            now=NOW + timedelta(days=3),
        )
        assert again == rows[0].id
        assert (await store.reminders.by_key("checkin:1:2d")).status == "sent"


async def test_many_concurrent_commands_all_land_and_none_interleave(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        names = [f"P{i}" for i in range(40)]
        results = await asyncio.gather(
            *(core.rejected(in_channel(n), company="Acme", stage="screen") for n in names),
            *(core.checkin(in_channel(n), mood=3) for n in names),
        )
        assert all("Sorry, something went wrong" not in r[0].text.plain() for r in results)
        async with store.db.execute("SELECT COUNT(*) FROM rejections") as cur:
            assert (await cur.fetchone())[0] == 40
        async with store.db.execute(
            "SELECT COUNT(*), SUM(total_points) FROM streaks WHERE period = 'week'"
        ) as cur:
            assert tuple(await cur.fetchone()) == (40, 40)


async def test_a_failing_command_in_a_group_commit_loses_only_its_own_rows(tmp_path):
    """Commands that arrive together are written under one commit; one failing costs no other."""
    async with open_store(tmp_path / "r.db") as store:
        # A real fault inside the database: it refuses this one command's rejection row.
        await store.db.execute(
            "CREATE TRIGGER broken BEFORE INSERT ON rejections WHEN NEW.company = 'Broken'"
            " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        companies = ["Acme", "Globex", "Broken", "Initech", "Umbrella"]
        results = await asyncio.gather(
            *(core.rejected(in_channel(f"P{i}"), company=c) for i, c in enumerate(companies))
        )
        texts = [r[0].text.plain() for r in results]
        assert "reference" in texts[2] and "disk on fire" not in texts[2]
        assert all("reference" not in t for i, t in enumerate(texts) if i != 2)
        async with store.db.execute("SELECT company FROM rejections ORDER BY id") as cur:
            assert [r[0] for r in await cur.fetchall()] == ["Acme", "Globex", "Initech", "Umbrella"]
        async with store.db.execute("SELECT COUNT(*) FROM reminders") as cur:
            # Two check-ins, a nudge and the month's ledger each.
            assert (await cur.fetchone())[0] == 4 * 4
        assert await store.integrity() == "ok"


async def test_a_caller_that_gives_up_does_not_stall_or_break_the_others(tmp_path):
    async with open_store(tmp_path / "r.db") as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        quitter = asyncio.create_task(core.rejected(in_channel("Quinn"), company="Gone"))
        others = [
            asyncio.create_task(core.rejected(in_channel(f"P{n}"), stage="screen"))
            for n in range(5)
        ]
        await asyncio.sleep(0)  # let every caller hand its transaction over
        quitter.cancel()
        replies = await asyncio.gather(*others)
        assert all(r[0].title.plain().startswith("Logged") for r in replies)
        # What was handed over is written whole; only the answer to the quitter is lost.
        async with store.db.execute("SELECT COUNT(*) FROM rejections") as cur:
            assert (await cur.fetchone())[0] == 6
        again = await core.rejected(in_channel("Quinn"), stage="final")
        assert again[0].title.plain().startswith("Logged")


async def test_the_log_is_folded_into_the_file_in_the_background(tmp_path):
    """Commands never pay for a checkpoint; a second connection keeps the file itself current."""
    path = tmp_path / "r.db"
    async with open_store(path) as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        for n in range(250):
            await core.rejected(in_channel(f"P{n}"), company="Acme")
        if store.engine._checkpoint_task is not None:
            await store.engine._checkpoint_task
        # The database file alone, without its write-ahead log, as a file copy would see it.
        shutil.copy(path, tmp_path / "copy.db")
        copy = sqlite3.connect(tmp_path / "copy.db")
        try:
            folded = copy.execute("SELECT COUNT(*) FROM rejections").fetchone()[0]
        finally:
            copy.close()
        # 250 commands write far fewer pages than the writer's own checkpoint threshold.
        assert folded >= 150
        assert await store.integrity() == "ok"


async def test_forget_leaves_no_row_about_the_person_in_any_table(tmp_path):
    path = tmp_path / "r.db"
    async with open_store(path) as store:
        core = Rebound(store, load_content(), FixedClock(START), rng=random.Random(1))
        ctx = in_channel("Alex")
        logged = await core.rejected(ctx, company="Acme", stage="final", note="n")
        reflect = next(b.action_id for b in logged[0].buttons if b.action_id.startswith("reflect"))
        await core.press(ctx, reflect)
        await core.dm_text(in_dm("Alex"), "answer")
        await core.checkin(ctx, mood=1, note="low")
        await core.followup_add(ctx, contact="Dana")
        await core.leaderboard(ctx, "join")
        me = await store.people.find("test", "alex")
        await core.press(ctx, "forget:confirm")
        tables, left = tables_naming(path, me.id)
        assert left == []
        async with store.db.execute("SELECT COUNT(*) FROM reflection_answers") as cur:
            assert (await cur.fetchone())[0] == 0
        assert {t for t, _ in PERSONAL_TABLES} <= set(tables)
        async with store.db.execute("PRAGMA integrity_check") as cur:
            assert (await cur.fetchone())[0] == "ok"


async def test_open_store_takes_a_path_or_a_sqlite_url_and_names_what_it_cannot_use(tmp_path):
    async with open_store(f"sqlite:///{tmp_path / 'url.db'}") as store:
        assert await store.schema_version() == SCHEMA_VERSION
    assert (tmp_path / "url.db").exists()
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        open_store("mysql://localhost/rebound")
    # A PostgreSQL URL is the other store, not yet connected (that happens on open).
    assert type(open_store("postgresql://localhost/rebound")).__name__ == "PostgresStore"
