"""/rejected's batches on PostgreSQL: what happens between a batch's read and its write.

A returning member's log is read with the others waiting, planned, then written in one
statement. Someone erased (/forget) in between, or a caller that stops waiting, must cost no
one else their log and write nothing twice.
"""

from __future__ import annotations

import asyncio

import asyncpg

from bot.models import PersonRef
from bot.store import open_store
from bot.store.records import RejectionLog, RejectionPlan, RejectionView
from tests.conftest import COMMUNITY, START

ADA = PersonRef("test", "ada", "Ada")
SAM = PersonRef("test", "sam", "Sam")


def log_of(who: PersonRef, company: str) -> RejectionLog:
    return RejectionLog(who, COMMUNITY, company, None, "screen", 3, None)


def nothing(view: RejectionView) -> RejectionPlan:
    return RejectionPlan()


async def companies(store, who: PersonRef) -> list[str | None]:
    person = await store.people.find(who.platform, who.user_id)
    if person is None:
        return []
    found = await store.rejections.logged_between(person.id, START, START.replace(year=2027))
    return [r.company for r in found]


async def waiting_on_a_lock(conn: asyncpg.Connection) -> bool:
    found = await conn.fetchval(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE application_name = 'rebound' AND wait_event_type = 'Lock'"
    )
    return bool(found)


async def test_someone_erased_between_read_and_write_costs_the_others_nothing(pg_url):
    async with open_store(pg_url) as store:
        for who in (ADA, SAM):
            await store.rejections.log(log_of(who, "First"), nothing, START)
        ada = await store.people.find("test", "ada")
        eraser = await asyncpg.connect(pg_url)
        watcher = await asyncpg.connect(pg_url)
        try:
            erasing = eraser.transaction()
            await erasing.start()
            # Ada is erased, not yet committed: the batch still reads her, and its write
            # waits on her row until the erasure commits.
            await eraser.execute("DELETE FROM people WHERE id = $1", ada.id)
            both = asyncio.gather(
                store.rejections.log(log_of(ADA, "Again"), nothing, START),
                store.rejections.log(log_of(SAM, "Again"), nothing, START),
            )
            for _ in range(10_000):
                if await waiting_on_a_lock(watcher):
                    break
            else:
                raise AssertionError("the batch never reached its write")
            await erasing.commit()
            (ada_view, _), (sam_view, _) = await both
        finally:
            await eraser.close()
            await watcher.close()
        # Sam's log went the long way and landed once; Ada logs as someone new, as she is now.
        assert await companies(store, SAM) == ["First", "Again"]
        assert await companies(store, ADA) == ["Again"]
        assert ada_view.person.id != ada.id
        assert sam_view.rejection_id != ada_view.rejection_id


async def test_a_log_whose_caller_stopped_waiting_is_not_written(pg_url):
    async with open_store(pg_url) as store:
        await store.rejections.log(log_of(ADA, "First"), nothing, START)
        given_up = asyncio.create_task(store.rejections.log(log_of(ADA, "Gone"), nothing, START))
        await asyncio.sleep(0)  # one turn of the loop: the log now waits for its batch
        given_up.cancel()
        view, _ = await store.rejections.log(log_of(SAM, "Sam's"), nothing, START)
        assert given_up.cancelled()
        assert await companies(store, ADA) == ["First"]
        assert await companies(store, SAM) == ["Sam's"]
        again, _ = await store.rejections.log(log_of(ADA, "Later"), nothing, START)
        assert await companies(store, ADA) == ["First", "Later"]
        assert again.rejection_id != view.rejection_id


async def test_a_persons_next_log_waits_for_their_log_going_the_long_way(pg_url):
    async with open_store(pg_url) as store:
        await store.rejections.log(log_of(ADA, "First"), nothing, START)
        ada = await store.people.find("test", "ada")
        await store.people.note_dm_failure(ada.id, "403", count=3)
        blocker = await asyncpg.connect(pg_url)
        watcher = await asyncpg.connect(pg_url)
        try:
            holding = blocker.transaction()
            await holding.start()
            # Ada's row is held elsewhere: her first log (missed DMs to clear: the long way)
            # waits on it inside its transaction.
            await blocker.execute("SELECT 1 FROM people WHERE id = $1 FOR UPDATE", ada.id)
            first = asyncio.create_task(store.rejections.log(log_of(ADA, "Two"), nothing, START))
            second = asyncio.create_task(store.rejections.log(log_of(ADA, "Three"), nothing, START))
            for _ in range(10_000):
                if await waiting_on_a_lock(watcher):
                    break
            else:
                raise AssertionError("the first log never reached Ada's row")
            await holding.rollback()
            (one, _), (two, _) = await asyncio.gather(first, second)
        finally:
            await blocker.close()
            await watcher.close()
        # The second read Ada only once the first was written: she is told of the missed
        # DMs once, and both logs are kept.
        assert (one.person.dm_failed_count, two.person.dm_failed_count) == (3, 0)
        assert await companies(store, ADA) == ["First", "Two", "Three"]
