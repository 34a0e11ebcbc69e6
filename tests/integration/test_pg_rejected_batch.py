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


class OtherSession:
    """Another session with a transaction open on the same database, and one to watch it.

    What it holds, Rebound's statements wait on; the watcher sees them waiting, so the test
    moves on at that moment rather than after some time has passed.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    async def __aenter__(self) -> OtherSession:
        self.conn = await asyncpg.connect(self.url)
        self.watcher = await asyncpg.connect(self.url)
        self.transaction = self.conn.transaction()
        await self.transaction.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.conn.close()  # a transaction still open is rolled back
        await self.watcher.close()

    async def until_rebound_waits(self, what: str) -> None:
        """Return once a statement of Rebound's waits on a lock; fail if one never does."""
        for _ in range(10_000):
            waiting = await self.watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = 'rebound' AND wait_event_type = 'Lock'"
            )
            if waiting:
                return
        raise AssertionError(what)


async def test_someone_erased_between_read_and_write_costs_the_others_nothing(pg_url):
    async with open_store(pg_url) as store:
        for who in (ADA, SAM):
            await store.rejections.log(log_of(who, "First"), nothing, START)
        ada = await store.people.find("test", "ada")
        async with OtherSession(pg_url) as eraser:
            # Ada is erased, not yet committed: the batch still reads her, and its write
            # waits on her row until the erasure commits.
            await eraser.conn.execute("DELETE FROM people WHERE id = $1", ada.id)
            both = asyncio.gather(
                store.rejections.log(log_of(ADA, "Again"), nothing, START),
                store.rejections.log(log_of(SAM, "Again"), nothing, START),
            )
            await eraser.until_rebound_waits("the batch never reached its write")
            await eraser.transaction.commit()
            (ada_view, _), (sam_view, _) = await both
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
        async with OtherSession(pg_url) as holder:
            # Ada's row is held elsewhere: her first log (missed DMs to clear: the long way)
            # waits on it inside its transaction.
            await holder.conn.execute("SELECT 1 FROM people WHERE id = $1 FOR UPDATE", ada.id)
            first = asyncio.create_task(store.rejections.log(log_of(ADA, "Two"), nothing, START))
            second = asyncio.create_task(store.rejections.log(log_of(ADA, "Three"), nothing, START))
            await holder.until_rebound_waits("the first log never reached Ada's row")
            await holder.transaction.rollback()
            (one, _), (two, _) = await asyncio.gather(first, second)
        # The second read Ada only once the first was written: she is told of the missed
        # DMs once, and both logs are kept.
        assert (one.person.dm_failed_count, two.person.dm_failed_count) == (3, 0)
        assert await companies(store, ADA) == ["First", "Two", "Three"]
