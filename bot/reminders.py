"""The reminder engine: claim due rows, send them through a Messenger, record how each ended.

The database is the schedule. APScheduler only pulls the trigger: one interval job claims due
rows in batches, and an hourly cron job closes streak weeks. Nothing lives in APScheduler's own
job store, so a restart or a refactor loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic_time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot import streaks, when
from bot.models import PersonRef
from bot.ports import Clock, Messenger, RateLimited, Undeliverable
from bot.store import Person, Reminder, ts
from bot.store.interface import Store, UnitOfWork
from bot.store.records import StreakRow
from bot.usecases.community import DIGEST_DAY, DIGEST_HOUR
from bot.usecases.kit import Zones

if TYPE_CHECKING:
    from bot.core import Rebound

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
BATCH_SIZE = 50
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
NO_ADAPTER_RETRY = timedelta(hours=1)
# At shutdown, how long the reminder being sent may take to finish before it is handed back.
DRAIN_SECONDS = 10.0
# Sent reminders are marked together once this long has passed since the first unmarked one
# (checked after each send and before the next; and at the end of every batch). A DM that
# takes longer than this to send, as a real platform's does, is marked on its own as before;
# only sends faster than this share one statement. A crash can resend what was sent in that
# window and the one send after it, after the lease and under the same delivery key.
MARK_WINDOW_S = 0.05


@dataclass
class Tally:
    """How the reminders handled in one tick ended."""

    sent: int = 0
    undeliverable: int = 0
    failed: int = 0
    retrying: int = 0
    deferred: int = 0
    cancelled: int = 0
    muted: int = 0
    paused: bool = False

    def add(self, other: Tally) -> None:
        """Fold another tally into this one."""
        for name in ("sent", "undeliverable", "failed", "retrying", "deferred", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.muted += other.muted
        self.paused = self.paused or other.paused


def backoff(attempt: int) -> timedelta:
    """How long to wait before retry number `attempt` (1, 2, ...): doubling, capped."""
    return min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempt - 1)))


class ReminderEngine:
    """Sends due reminders exactly when promised, and never loses one."""

    def __init__(
        self,
        store: Store,
        core: Rebound,
        clock: Clock,
        *,
        batch_size: int = BATCH_SIZE,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.store = store
        self.core = core
        self.clock = clock
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.messengers: dict[str, Messenger] = {}
        self._paused_until: datetime | None = None
        self._lock = asyncio.Lock()
        self._stopping = False
        self.drain_seconds = DRAIN_SECONDS
        # Claimed by this engine and not yet settled: what shutdown hands back if a tick is cut.
        self._claimed: dict[int, Reminder] = {}
        # Sent and not yet marked sent (see MARK_WINDOW_S), when the first of them was sent,
        # and the clock that measures the window (not the schedule's clock: it is no time of
        # day, only how long the store has gone without hearing).
        self._unmarked: list[int] = []
        self._unmarked_since = 0.0
        self.monotonic: Callable[[], float] = monotonic_time.monotonic
        self.mark_window_s = MARK_WINDOW_S

    def register(self, platform: str, messenger: Messenger) -> None:
        """Send reminders for people of `platform` through messenger."""
        self.messengers[platform] = messenger

    async def idle(self) -> None:
        """Wait until no tick is under way (before closing the store)."""
        async with self._lock:
            return

    async def drain(self) -> None:
        """Stop claiming; the tick under way finishes its reminder and hands back the rest."""
        self._stopping = True
        try:
            await asyncio.wait_for(self.idle(), self.drain_seconds)
        except TimeoutError:
            logger.warning(
                "a reminder was still being sent after %s s of shutdown", self.drain_seconds
            )

    async def release(self) -> int:
        """Hand every reminder this engine still holds back to pending (a tick cut short)."""
        now = self.clock.now()
        # What was sent is marked first; if the store refuses, what was not is still handed
        # back (the sent ones are not among it: they wait out their lease, then go again).
        await self._mark_sent(now)
        left = list(self._claimed.values())
        self._claimed.clear()
        for reminder in left:
            await self.store.reminders.retry(
                reminder.id, reminder.due_at, now, error=None, failed=False
            )
        if left:
            logger.warning("handed %s claimed reminders back at shutdown", len(left))
        return len(left)

    async def recover(self) -> int:
        """At start-up, hand back the claims this store left behind.

        On one SQLite file a row still 'sending' belongs to a dead process; on a database
        shared by several processes, another process's claims wait out their lease instead.
        """
        released = await self.store.reminders.release_claims(self.clock.now())
        if released:
            logger.warning("released %s reminders claimed by a process that stopped", released)
        return released

    async def tick(self) -> Tally:
        """Send everything that is due now, batch by batch, in due order."""
        total = Tally()
        async with self._lock:
            while not self._stopping:
                now = self.clock.now()
                # Marks a failed write left over go first, paused or not: left unmarked they
                # would be claimed and sent again once their lease ran out.
                await self._mark_sent(now)
                if self._paused_until is not None and now < self._paused_until:
                    total.paused = True
                    return total
                claimed = await self.store.reminders.claim_due(
                    now, now + self.lease, self.batch_size
                )
                if not claimed:
                    return total
                self._claimed.update((r.id, r) for r in claimed)
                try:
                    people = await self.store.people.many(r.person_id for r in claimed)
                    batch = await self._send_batch(claimed, people, now)
                finally:
                    await self._mark_sent(now)
                total.add(batch)
                if batch.paused:
                    return total
            return total

    async def _send_batch(
        self, claimed: list[Reminder], people: dict[int, Person], now: datetime
    ) -> Tally:
        tally = Tally()
        try:
            # One look-up for the whole batch, not one per person.
            zones: Zones | None = await self.core.zones_of(people.values())
        except Exception as exc:
            # Each reminder looks its person's zone up itself, and fails on its own.
            logger.warning("timezones of a batch not read (%s): one by one", type(exc).__name__)
            zones = None
        people = dict(people)
        for index, reminder in enumerate(claimed):
            if self._stopping:
                # Shutting down: what has not started goes back untouched, to send next time.
                await self._hand_back(claimed[index:], now)
                break
            # Before each send, not only after one: a slow send must not keep the ones before
            # it unmarked (a send that times out can take longer than the whole window).
            if self._unmarked and self._window_closed():
                await self._mark_sent(now)
            await self._settle(reminder, people, zones, now, tally)
            # Only now: a tick cut short mid-send leaves the reminder for release() to hand back.
            self._claimed.pop(reminder.id, None)
            if tally.paused:
                # The platform asked us to wait: hand the rest back untouched, in order.
                await self._hand_back(claimed[index + 1 :], now)
                break
        return tally

    async def _settle(
        self,
        reminder: Reminder,
        people: dict[int, Person],
        zones: Zones | None,
        now: datetime,
        tally: Tally,
    ) -> None:
        person = people.get(reminder.person_id)
        if person is None:  # erased between claim and send
            return
        try:
            tz = zones.of(person) if zones is not None else await self.core.zone_of(person)
            await self._send_one(reminder, person, tz, now, tally)
        except Exception as exc:
            # One reminder's trouble must not strand the rest of the batch in 'sending'.
            if await self.store.people.get(person.id) is None:
                # Erased (/forget) while the batch ran: their reminders went with them.
                del people[person.id]
                logger.info("reminder %s dropped: its person was erased", reminder.id)
                return
            await self._attempt_failed(reminder, now, f"{type(exc).__name__}: {exc}", tally)

    async def _hand_back(self, reminders: list[Reminder], now: datetime) -> None:
        for reminder in reminders:
            await self.store.reminders.retry(
                reminder.id, reminder.due_at, now, error=None, failed=False
            )
            self._claimed.pop(reminder.id, None)

    async def _send_one(
        self, reminder: Reminder, person: Person, tz: ZoneInfo, now: datetime, tally: Tally
    ) -> None:
        messenger = self.messengers.get(person.platform)
        if messenger is None:
            await self.store.reminders.retry(
                reminder.id,
                now + NO_ADAPTER_RETRY,
                now,
                error=f"no adapter running for {person.platform}",
                failed=False,
            )
            tally.deferred += 1
            return
        if not person.dm_reminders:
            await self.store.reminders.finish(reminder.id, "muted", now)
            tally.muted += 1
            return
        later = when.after_quiet_hours(now, tz, person.quiet_start, person.quiet_end)
        if later != now:
            await self.store.reminders.retry(reminder.id, later, now, error=None, failed=False)
            tally.deferred += 1
            return
        message = await self.core.reminder_message(reminder, person, now)
        if message is None:
            await self.store.reminders.finish(reminder.id, "cancelled", now)
            tally.cancelled += 1
            return
        ref = PersonRef(person.platform, person.user_id, person.display_name)
        try:
            # The key names this delivery: a resend after a crash carries the same one, so a
            # platform that honours it (Discord's nonce) drops the duplicate itself.
            await messenger.send_dm(ref, message, key=f"{reminder.key}@{ts(reminder.due_at)}")
        except Undeliverable as exc:
            await self.store.reminders.finish(reminder.id, "undeliverable", now, exc.reason)
            await self.store.people.note_dm_failure(person.id, exc.reason)
            tally.undeliverable += 1
            logger.info("reminder %s undeliverable: %s", reminder.id, exc.reason)
        except RateLimited as exc:
            await self.store.reminders.retry(
                reminder.id, reminder.due_at, now, error=exc.reason, failed=False
            )
            self._paused_until = now + timedelta(seconds=max(exc.retry_after, 0.0))
            tally.paused = True
            logger.warning("rate limited for %.1fs: %s", exc.retry_after, exc.reason)
        except Exception as exc:  # a server error, a timeout, or a bug: retry, then give up
            await self._attempt_failed(reminder, now, f"{type(exc).__name__}: {exc}", tally)
        else:
            await self._sent(reminder, now)
            tally.sent += 1
            try:
                await self.core.reminder_delivered(reminder, person, now)
            except Exception as exc:
                # It was sent: what follows a delivery must not count as a failed attempt.
                logger.error("after sending reminder %s: %s", reminder.id, type(exc).__name__)

    async def _sent(self, reminder: Reminder, now: datetime) -> None:
        """Note a reminder sent; mark what was sent so far once the window has passed."""
        if not self._unmarked:
            self._unmarked_since = self.monotonic()
        self._unmarked.append(reminder.id)
        if self._window_closed():
            await self._mark_sent(now)

    def _window_closed(self) -> bool:
        """Whether the first unmarked send is MARK_WINDOW_S old."""
        return self.monotonic() - self._unmarked_since >= self.mark_window_s

    async def _mark_sent(self, now: datetime) -> None:
        """Mark what was sent; a store that refuses is logged, and the marks wait for later.

        Never raised to a send: the DM went out, and counting it a failed attempt would put
        it back to be sent again. The marks are kept, tried before the next send, at the end
        of the batch, at the next tick and at shutdown.
        """
        if not self._unmarked:
            return
        ids, self._unmarked = self._unmarked, []
        try:
            await self.store.reminders.finish_many(ids, "sent", now)
        except BaseException as exc:
            # Kept to mark next time; until then they stay claimed, never handed back.
            self._unmarked = ids + self._unmarked
            if not isinstance(exc, Exception):
                raise  # cancelled: the shutdown's release() tries them once more
            logger.warning("%s sent reminders not marked yet (%s): trying again", len(ids), exc)

    async def _attempt_failed(
        self, reminder: Reminder, now: datetime, reason: str, tally: Tally
    ) -> None:
        """Count a failed attempt: retry later with back-off, or give up after the last one."""
        reason = reason[:300]
        attempt = reminder.attempts + 1
        if attempt >= self.max_attempts:
            await self.store.reminders.finish(reminder.id, "failed", now, reason)
            tally.failed += 1
            logger.error("reminder %s failed after %s attempts: %s", reminder.id, attempt, reason)
        else:
            await self.store.reminders.retry(
                reminder.id, now + backoff(attempt), now, error=reason, failed=True
            )
            tally.retrying += 1
            logger.warning("reminder %s attempt %s failed: %s", reminder.id, attempt, reason)

    def digest_moment(self, settings: dict[str, str], now: datetime) -> tuple[datetime, str]:
        """When a community's digest is due this week (UTC), and the key of the week."""
        tz = when.zone(settings.get("timezone") or self.core.default_timezone)
        local = now.astimezone(tz).date()
        monday = local - timedelta(days=local.weekday())
        day = when.parse_weekday(settings.get("digest_day", DIGEST_DAY)) or 0
        hour = int(settings.get("digest_hour", DIGEST_HOUR))
        moment = when.local_to_utc(monday + timedelta(days=day), time(hour), tz)
        return moment, monday.isoformat()

    async def next_digest_at(self) -> datetime | None:
        """When the next weekly digest of any community is due."""
        now = self.clock.now()
        upcoming = []
        for _, settings in await self.store.digests.communities():
            moment, _ = self.digest_moment(settings, now)
            if moment <= now:
                moment, _ = self.digest_moment(settings, now + timedelta(days=7))
            upcoming.append(moment)
        return min(upcoming, default=None)

    async def post_digests(self) -> int:
        """Post each weekly digest once, at or after its moment, even across restarts."""
        now = self.clock.now()
        posted = 0
        for community_id, settings in await self.store.digests.communities():
            moment, week = self.digest_moment(settings, now)
            if now < moment:
                continue
            ref = await self.store.community.ref(community_id)
            messenger = self.messengers.get(ref.platform) if ref else None
            if ref is None or messenger is None:
                continue
            # The claim is a row per community and week: a second process, or the same one
            # after a restart, finds it and does not post again.
            if not await self.store.digests.claim(community_id, week, now, now + self.lease):
                continue
            reply = await self.core.digest(community_id, moment)
            try:
                await messenger.post(ref, settings["digest_channel"], reply)
            except Undeliverable as exc:
                await self.store.digests.finish(
                    community_id, week, "undeliverable", now, exc.reason
                )
                logger.warning("digest for %s undeliverable: %s", community_id, exc.reason)
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"[:300]
                await self.store.digests.finish(community_id, week, "failed", now, reason)
                logger.warning("digest for %s failed, retrying next hour: %s", community_id, reason)
            else:
                await self.store.digests.finish(community_id, week, "posted", now)
                posted += 1
        return posted

    async def next_round_at(self) -> datetime | None:
        """When the next practice-buddy round of any community is due."""
        return await self.core.next_buddy_round(self.clock.now())

    async def run_buddy_rounds(self) -> int:
        """Run each community's due buddy round once (a claim row per round, as for digests)."""
        return await self.core.buddy_rounds(self.clock.now(), self.lease)

    async def close_streak_weeks(self) -> int:
        """Settle every streak whose period ended without an action: spend a reserve or break it."""
        async with self.store.exclusive("rebound.streak-periods") as mine:
            # Settling is idempotent; the lock only spares the other processes doing it again.
            return await self._close_streak_periods() if mine else 0

    async def _close_streak_periods(self) -> int:
        now = self.clock.now()
        changed = 0
        for tz_name in await self.store.effort.timezones_in_use():
            tz = when.zone(tz_name or self.core.default_timezone)
            for period in (streaks.WEEK, streaks.DAY):
                index = streaks.period_index(now, tz, period)
                async with self.store.unit() as u:
                    stale = await u.effort.stale_streaks(tz_name, index - 1, period)
                    for person_id, state in stale:
                        settled = streaks.settle(state, index)
                        if settled != state:
                            await u.effort.save_streak(person_id, settled, now, period)
                            changed += 1
                            note = streak_note(state, settled)
                            if note is not None:
                                await self._tell(u, person_id, note, state, period, index, tz)
        return changed

    async def _tell(
        self,
        u: UnitOfWork,
        person_id: int,
        kind: str,
        before: StreakRow,
        period: str,
        index: int,
        tz: ZoneInfo,
    ) -> None:
        """Plan a short DM about the streak the person's community counts, at 10:00 local."""
        counted = await u.people.community_setting(person_id, "streak_period")
        if (counted or streaks.WEEK) != period:
            return  # both periods are kept; only the one people see is worth a message
        now = self.clock.now()
        ten = when.local_to_utc(now.astimezone(tz).date(), when.DEFAULT_HOUR, tz)
        # The key names the period closed, so closing it again plans nothing new.
        key = f"streak:{person_id}:{period}:{index}"
        await u.reminders.schedule(
            person_id, kind=kind, ref_id=before.current, key=key, due=max(now, ten), now=now
        )


def streak_note(before: StreakRow, settled: StreakRow) -> str | None:
    """The reminder kind that tells a person what settling did: a reserve spent, or a pause."""
    if before.current > 0 and settled.current == 0:
        return "streak_paused"
    if settled.reserves < before.reserves:
        return "streak_reserve"
    return None


class Scheduler:
    """APScheduler as the trigger: the interval job and the cron job, nothing stored in it."""

    def __init__(self, engine: ReminderEngine, *, tick_seconds: float = TICK_SECONDS) -> None:
        self.engine = engine
        self.aps = AsyncIOScheduler(timezone="UTC")
        self.aps.add_job(
            self._tick,
            IntervalTrigger(seconds=tick_seconds),
            id="reminders",
            max_instances=1,
            coalesce=True,
        )
        # Hourly, so every timezone's Monday midnight is closed within the hour it happens.
        self.aps.add_job(
            self._close_weeks, CronTrigger(minute=1), id="streak-weeks", max_instances=1
        )
        # Digests are chosen to the hour, so checking on the hour posts them on their minute.
        self.aps.add_job(self._digests, CronTrigger(minute=0), id="digests", max_instances=1)
        # Buddy rounds are chosen to the hour too; the intros they plan go out with the next tick.
        self.aps.add_job(self._buddies, CronTrigger(minute=0), id="buddies", max_instances=1)

    async def _tick(self) -> None:
        try:
            await self.engine.tick()
        except asyncio.CancelledError:
            # Only shutdown cancels a tick, after draining: release() hands back its claims.
            logger.warning("a reminder tick was cut short by shutdown")
        except Exception:
            logger.exception("reminder tick failed; the next tick retries")

    async def _close_weeks(self) -> None:
        try:
            await self.engine.close_streak_weeks()
        except Exception:
            logger.exception("closing streak weeks failed; the next hour retries")

    async def _digests(self) -> None:
        try:
            await self.engine.post_digests()
        except Exception:
            logger.exception("posting digests failed; the next hour retries")

    async def _buddies(self) -> None:
        try:
            await self.engine.run_buddy_rounds()
        except Exception:
            logger.exception("running buddy rounds failed; the next hour retries")

    async def start(self) -> None:
        """Recover claims left by a dead process, then start triggering."""
        await self.engine.recover()
        self.aps.start()

    def run_now(self, job_id: str = "reminders") -> None:
        """Fire a job at once, through APScheduler itself (operators and tests)."""
        self.aps.modify_job(job_id, next_run_time=datetime.now(self.aps.timezone))

    def shutdown(self) -> None:
        """Stop triggering (drain the engine first: APScheduler cancels a job still running)."""
        if self.aps.running:
            self.aps.shutdown(wait=True)
