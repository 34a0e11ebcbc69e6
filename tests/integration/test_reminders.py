"""The reminder engine on a real SQLite file, the real APScheduler, and a clock moved by hand."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot import when
from bot.core import Rebound
from bot.models import PersonRef, Reply
from bot.ports import FixedClock, RateLimited, TemporaryFailure, Undeliverable
from bot.reminders import MAX_ATTEMPTS, ReminderEngine, Scheduler, backoff
from bot.store import Store, StreakRow, open_store
from tests.conftest import action, count_held, in_channel, in_dm, text_of

NEW_YORK = ZoneInfo("America/New_York")


class RecordingMessenger:
    """A Messenger double: records each DM; raises the queued failures first."""

    def __init__(self) -> None:
        self.sent: list[tuple[PersonRef, Reply, str | None]] = []
        self.failures: dict[str, list[Exception]] = {}
        self.forever: dict[str, Exception] = {}
        self.delivered = asyncio.Event()

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        if person.user_id in self.forever:
            raise self.forever[person.user_id]
        queued = self.failures.get(person.user_id)
        if queued:
            raise queued.pop(0)
        self.sent.append((person, reply, key))
        self.delivered.set()

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")

    def titles(self) -> list[str]:
        return [reply.title.plain() if reply.title else "" for _, reply, _ in self.sent]


async def status_of(store: Store, key: str) -> str:
    reminder = await store.reminders.by_key(key)
    assert reminder is not None, key
    return reminder.status


def local(moment: datetime, tz: ZoneInfo = NEW_YORK) -> datetime:
    return moment.astimezone(tz)


# -- what gets scheduled, and when it arrives ------------------------------------------------


async def test_after_rejected_a_nudge_next_day_and_check_ins_at_two_and_seven_days(
    core, engine, clock, messenger
):
    await core.settings(in_channel(), timezone="America/New_York")
    await core.rejected(in_channel(), company="Acme", stage="final")  # Thu 10:00 in New York
    clock.set(datetime(2026, 11, 27, 14, 59, tzinfo=UTC))  # Fri 09:59 local
    await engine.tick()
    assert messenger.sent == []
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Fri 10:00 local
    await engine.tick()
    assert messenger.titles() == ["A gentle nudge"]
    assert "Acme" in messenger.sent[0][1].text.plain()
    clock.set(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    await engine.tick()
    assert messenger.titles()[-1] == "Checking in"
    clock.set(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    await engine.tick()
    assert messenger.titles().count("Checking in") == 2


async def test_no_nudge_once_a_reflection_has_started(core, engine, clock, messenger, store):
    logged = await core.rejected(in_channel(), stage="screen")
    await core.press(in_channel(), action(logged, "reflect:start"))
    clock.advance(timedelta(days=1))
    await engine.tick()
    assert "A gentle nudge" not in messenger.titles()
    rejection = (await store.rejections.latest((await store.people.find("test", "alex")).id)).id
    assert await status_of(store, f"nudge:{rejection}") == "cancelled"


async def test_a_followup_reminder_carries_its_draft_and_buttons(core, engine, clock, messenger):
    await core.followup_add(in_channel(), contact="Dana", company="Acme")
    clock.advance(timedelta(days=1))
    await engine.tick()
    [(_, reply, key)] = messenger.sent
    assert reply.title.plain() == "Time for your note to Dana"
    assert "Hi Dana" in reply.text.plain() or "Hello Dana" in reply.text.plain()
    assert [b.label for b in reply.buttons] == [
        "I sent it",
        "In 1 hour",
        "Tomorrow",
        "Next week",
        "Skip",
        "Stop these reminders",
    ]
    assert key.startswith("followup:") and "@" in key


async def test_a_sent_note_is_asked_about_a_week_on_and_a_reply_plans_the_hello(
    core, engine, clock, messenger
):
    replies = await core.followup_add(in_channel(), contact="Dana")
    await core.press(in_channel(), action(replies, "followup:sent"))
    clock.advance(timedelta(days=7))
    await engine.tick()
    assert messenger.titles() == ["Did Dana reply?"]
    [asked] = [reply for _, reply, _ in messenger.sent]
    answered = await core.press(in_dm(), action([asked], "outcome:replied"))
    assert "That's a connection now" in text_of(answered)
    # Only after the reply: a stay-in-touch hello about six weeks on.
    clock.advance(timedelta(days=43))
    await engine.tick()
    # The month's ledger review comes on its Monday too (effort was made): not this test's topic.
    notes = [(t, r) for t, (_, r, _) in zip(messenger.titles(), messenger.sent, strict=True)]
    notes = [(t, r) for t, r in notes if not t.startswith("Your ledger for")]
    assert [t for t, _ in notes] == ["Did Dana reply?", "A good moment to say hello to Dana"]
    assert "say hello" in notes[1][1].text.plain()


async def test_buttons_on_an_old_reminder_work_after_a_restart(
    store, db_path, content, clock, messenger
):
    core = Rebound(store, content, clock, rng=random.Random(3))
    engine = ReminderEngine(store, core, clock)
    engine.register("test", messenger)
    await core.followup_add(in_channel(), contact="Dana")
    clock.advance(timedelta(days=1))
    await engine.tick()
    snooze_week = messenger.sent[0][1].buttons[3].action_id
    await store.close()

    async with open_store(db_path) as reopened:
        fresh = Rebound(reopened, content, clock, rng=random.Random(4))
        replies = await fresh.press(in_dm(), snooze_week)
        assert "I'll bring it back on Friday 4 December, 10:00" in text_of(replies)
        listing = text_of(await fresh.followup_list(in_channel()))
        assert "Friday 4 December" in listing
    await store.open()  # the fixture closes it again


# -- local time, DST, quiet hours ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "logged_on"),
    [
        ("America/New_York", date(2026, 3, 5)),  # spring forward on Sunday 8 March
        ("America/New_York", date(2026, 10, 29)),  # fall back on Sunday 1 November
        ("Europe/Berlin", date(2026, 3, 26)),  # spring forward on Sunday 29 March
        ("Europe/Berlin", date(2026, 10, 22)),  # fall back on Sunday 25 October
        ("Australia/Lord_Howe", date(2026, 10, 1)),  # +30 minutes on Sunday 4 October
        ("Australia/Lord_Howe", date(2026, 4, 2)),  # -30 minutes on Sunday 5 April
        ("Asia/Kolkata", date(2026, 3, 27)),  # no DST at all
    ],
)
# Logged on the Thursday before the change: the 2-day check-in falls before it, the 7-day after.
async def test_ten_oclock_stays_ten_oclock_across_daylight_saving(
    core, engine, clock, messenger, store, zone, logged_on
):
    tz = ZoneInfo(zone)
    clock.set(datetime.combine(logged_on, time(12), tz))
    await core.settings(in_channel(), timezone=zone, quiet="off")
    await core.rejected(in_channel(), stage="screen")
    me = await store.people.find("test", "alex")
    checkins = [
        r for r in await store.reminders.for_person(me.id, ["pending"]) if r.kind == "checkin"
    ]
    offsets = set()
    for reminder in checkins:
        assert local(reminder.due_at, tz).time() == time(10, 0), (zone, reminder.key)
        offsets.add(local(reminder.due_at, tz).utcoffset())
    if zone != "Asia/Kolkata":
        assert len(offsets) == 2  # the two check-ins really straddle the change
    clock.set(checkins[-1].due_at)
    await engine.tick()
    assert messenger.titles().count("Checking in") == 2


async def test_a_quiet_hours_end_inside_the_spring_gap_moves_forward():
    # Quiet until 02:30 on the night New York skips from 02:00 to 03:00: 03:30 EDT, deliberately.
    moment = datetime(2026, 3, 8, 6, 45, tzinfo=UTC)  # 01:45 EST, inside quiet hours
    moved = when.after_quiet_hours(moment, NEW_YORK, "22:00", "02:30")
    assert moved == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert local(moved).strftime("%H:%M %Z") == "03:30 EDT"


async def test_quiet_hours_across_midnight_hold_a_reminder_until_morning(
    core, engine, clock, messenger, store
):
    await core.settings(in_channel(), timezone="America/New_York", quiet="21:00-08:00")
    clock.set(datetime(2026, 11, 27, 3, 30, tzinfo=UTC))  # 22:30 local on Thursday
    me = await store.people.find("test", "alex")
    await store.reminders.schedule(
        me.id, kind="checkin", ref_id=None, key="k", due=clock.now(), now=clock.now()
    )
    tally = await engine.tick()
    assert tally.deferred == 1 and messenger.sent == []
    reminder = await store.reminders.by_key("k")
    assert local(reminder.due_at).strftime("%a %H:%M") == "Fri 08:00"
    clock.set(reminder.due_at)
    await engine.tick()
    assert messenger.titles() == ["Checking in"]


async def test_snoozing_into_quiet_hours_lands_at_their_end(core, engine, clock, messenger, store):
    await core.settings(in_channel(), timezone="America/New_York")  # quiet 21:00-08:00 by default
    clock.set(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    await core.followup_add(in_channel(), contact="Dana", when_text="today")
    clock.set(datetime(2026, 11, 27, 1, 30, tzinfo=UTC))  # 20:30 local
    due = await store.reminders.next_due()
    assert due is not None and due < clock.now()
    await engine.tick()
    snooze_hour = messenger.sent[0][1].buttons[1].action_id
    replies = await core.press(in_dm(), snooze_hour)
    assert "Friday 27 November, 08:00" in text_of(replies)


async def test_a_check_in_due_on_leap_day(core, engine, clock, store):
    clock.set(datetime(2028, 2, 27, 12, tzinfo=UTC))
    await core.rejected(in_channel(), stage="other")
    me = await store.people.find("test", "alex")
    dues = sorted(r.due_at for r in await store.reminders.for_person(me.id, ["pending"]))
    assert datetime(2028, 2, 29, 10, tzinfo=UTC) in dues


async def test_followups_skip_weekends_unless_the_person_allows_them(core, clock, store):
    clock.set(datetime(2026, 11, 27, 12, tzinfo=UTC))  # Friday
    # Due today, so "tomorrow" moves it later (a snooze never moves a note forward).
    replies = await core.followup_add(in_channel(), contact="Dana", when_text="today")
    assert "Remind me tomorrow" in text_of(replies)
    monday = await core.press(in_channel(), action(replies, "followup:snooze"))
    assert "Monday 30 November" in text_of(monday)  # weekends off: Saturday becomes Monday
    replies = await core.followup_add(in_channel(), contact="Lee", when_text="today")
    await core.settings(in_channel(), weekends="on")
    snoozed = await core.press(in_channel(), action(replies, "followup:snooze"))
    assert "Saturday 28 November" in text_of(snoozed)


# -- settings, stop, forget --------------------------------------------------------------


async def test_stop_these_reminders_turns_check_ins_off(core, engine, clock, messenger, store):
    await core.rejected(in_channel(), stage="final")
    clock.advance(timedelta(days=2))
    await engine.tick()
    checkin = next(r for _, r, _ in messenger.sent if r.title.plain() == "Checking in")
    stopped = await core.press(in_dm(), checkin.buttons[-1].action_id)
    assert "stop the check-ins" in text_of(stopped)
    clock.advance(timedelta(days=10))
    await engine.tick()
    assert messenger.titles().count("Checking in") == 1
    assert "Check-ins after a rejection: off" in text_of(await core.settings(in_channel()))


async def test_reminders_off_mutes_instead_of_sending(core, engine, clock, messenger, store):
    await core.rejected(in_channel(), stage="final")
    await core.settings(in_channel(), reminders="off")
    clock.advance(timedelta(days=8))
    tally = await engine.tick()
    assert messenger.sent == [] and tally.muted == 3


async def test_forget_removes_pending_reminders(core, store):
    await core.rejected(in_channel(), stage="final")
    await core.followup_add(in_channel(), contact="Dana")
    me = await store.people.find("test", "alex")
    # Two check-ins, a nudge, the month's ledger and the note.
    assert await count_held(store, me.id, "reminders") == 5
    await core.press(in_channel(), "forget:confirm")
    assert await count_held(store, me.id, "reminders") == 0


async def test_a_typed_reply_to_a_check_in_is_kept_as_its_note(
    core, engine, clock, messenger, store
):
    await core.rejected(in_channel(), stage="final")
    clock.advance(timedelta(days=2))
    await engine.tick()
    held = await core.dm_text(in_dm(), "tired, but I went for a run")
    assert "give today a number" in text_of(held)
    await core.press(in_dm(), action(held, "checkin:mood:3"))
    me = await store.people.find("test", "alex")
    data = await store.accounts.export(me.id)
    assert data["checkins"][0]["note"] == "tired, but I went for a run"
    assert data["checkins"][0]["mood"] == 3


# -- delivery failures -------------------------------------------------------------------


async def schedule_one(store: Store, clock: FixedClock, name: str = "alex") -> str:
    person = await store.people.ensure(PersonRef("test", name, name.title()), clock.now())
    key = f"checkin:{name}"
    await store.reminders.schedule(
        person.id, kind="checkin", ref_id=None, key=key, due=clock.now(), now=clock.now()
    )
    return key


async def test_closed_dms_are_recorded_and_mentioned_once_on_the_next_command(
    core, engine, clock, messenger, store
):
    key = await schedule_one(store, clock)
    messenger.forever["alex"] = Undeliverable("discord 403 code 50007: cannot send to this user")
    tally = await engine.tick()
    assert tally.undeliverable == 1
    reminder = await store.reminders.by_key(key)
    assert reminder.status == "undeliverable" and "50007" in reminder.last_error
    first = await core.streak(in_channel())
    assert "couldn't reach you" in first[0].text.plain() and first[0].private
    second = await core.streak(in_channel())
    assert "couldn't reach you" not in text_of(second)
    assert (await engine.tick()).sent == 0  # recorded, not retried forever


async def test_a_rate_limit_waits_as_long_as_asked_then_sends(engine, clock, messenger, store):
    keys = [await schedule_one(store, clock, name) for name in ("ann", "bob", "cat")]
    messenger.failures["ann"] = [RateLimited("429 too many requests", retry_after=30)]
    tally = await engine.tick()
    assert tally.paused and messenger.sent == []
    assert [await status_of(store, k) for k in keys] == ["pending"] * 3
    clock.advance(timedelta(seconds=29))
    assert (await engine.tick()).paused
    clock.advance(timedelta(seconds=1))
    tally = await engine.tick()
    assert tally.sent == 3
    assert [p.user_id for p, _, _ in messenger.sent] == ["ann", "bob", "cat"]  # due order kept


async def test_server_errors_back_off_then_end_as_failed_with_the_reason(
    engine, clock, messenger, store
):
    key = await schedule_one(store, clock)
    messenger.forever["alex"] = TemporaryFailure("500 internal server error")
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tally = await engine.tick()
        reminder = await store.reminders.by_key(key)
        if attempt < MAX_ATTEMPTS:
            assert tally.retrying == 1 and reminder.status == "pending"
            waits.append(reminder.due_at - clock.now())
            clock.advance(waits[-1])
        else:
            assert tally.failed == 1
    assert waits == [backoff(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits[1] == 2 * waits[0]
    reminder = await store.reminders.by_key(key)
    assert reminder.status == "failed" and "500 internal server error" in reminder.last_error


async def test_a_claim_whose_lease_ran_out_is_claimed_again(engine, clock, messenger, store):
    key = await schedule_one(store, clock)
    claimed = await store.reminders.claim_due(clock.now(), clock.now() + engine.lease, 10)
    assert [r.key for r in claimed] == [key]
    assert (await engine.tick()).sent == 0  # still leased by the first claim: not sent twice
    clock.advance(engine.lease)
    tally = await engine.tick()
    assert tally.sent == 1 and await status_of(store, key) == "sent"


async def test_recover_hands_back_claims_of_a_dead_process(engine, clock, messenger, store):
    key = await schedule_one(store, clock)
    await store.reminders.claim_due(clock.now(), clock.now() + engine.lease, 10)
    assert await engine.recover() == 1
    assert (await engine.tick()).sent == 1
    assert await status_of(store, key) == "sent"


async def test_a_platform_without_a_running_adapter_is_deferred_not_dropped(core, clock, store):
    engine = ReminderEngine(store, core, clock)  # nothing registered
    key = await schedule_one(store, clock)
    tally = await engine.tick()
    assert tally.deferred == 1
    reminder = await store.reminders.by_key(key)
    assert reminder.status == "pending" and "no adapter" in reminder.last_error


# -- the scheduler -------------------------------------------------------------------------


async def test_the_real_apscheduler_triggers_the_engine(engine, clock, messenger, store):
    await schedule_one(store, clock)
    scheduler = Scheduler(engine, tick_seconds=3600)
    await scheduler.start()
    try:
        assert isinstance(scheduler.aps.get_job("streak-weeks").trigger, CronTrigger)
        scheduler.run_now()
        await asyncio.wait_for(messenger.delivered.wait(), timeout=10)
        assert len(messenger.sent) == 1
    finally:
        scheduler.shutdown()
        await engine.idle()


async def test_closing_weeks_spends_reserves_and_breaks_streaks(core, engine, clock, store):
    await core.settings(in_channel("Ann"), timezone="Europe/Berlin")
    ann = await store.people.find("test", "ann")
    bob = await store.people.ensure(PersonRef("test", "bob", "Bob"), clock.now())
    from bot import streaks

    index = streaks.period_index(clock.now(), ZoneInfo("Europe/Berlin"))
    await store.effort.save_streak(ann.id, StreakRow(5, 5, 1, index, 3, 20), clock.now())
    await store.effort.save_streak(bob.id, StreakRow(3, 3, 0, index, 1, 9), clock.now())
    clock.advance(timedelta(days=14))  # one whole week with no action
    assert await engine.close_streak_weeks() == 2
    assert (await store.effort.streak(ann.id)).current == 5  # a reserve covered the missed week
    assert (await store.effort.streak(ann.id)).reserves == 0
    assert (await store.effort.streak(bob.id)).current == 0
    assert (await store.effort.streak(bob.id)).best == 3
    assert await engine.close_streak_weeks() == 0  # idempotent
