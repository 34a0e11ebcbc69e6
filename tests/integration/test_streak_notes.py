"""Issue 14 item 13: a short, kind DM when a reserve covers a missed week or a streak pauses."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import when
from bot.core import Rebound
from bot.ports import FixedClock
from bot.reminders import ReminderEngine
from bot.store import Store, StreakRow
from bot.streaks import period_index
from tests.conftest import in_channel
from tests.integration.test_reminders import RecordingMessenger


async def test_a_reserve_covering_a_week_and_a_pause_each_send_one_kind_dm(
    core: Rebound,
    engine: ReminderEngine,
    clock: FixedClock,
    store: Store,
    messenger: RecordingMessenger,
) -> None:
    await core.checkin(in_channel("Ann"), mood=3)
    ann = await store.people.find("test", "ann")
    assert ann is not None
    index = period_index(clock.now(), when.zone("UTC"))
    await store.effort.save_streak(ann.id, StreakRow(5, 5, 1, index, 3, 20), clock.now())
    clock.advance(timedelta(days=11))  # Monday 15:00 after a whole week with nothing logged
    await engine.close_streak_weeks()
    await engine.tick()
    [(_, covered, _)] = messenger.sent
    assert "reserve" in covered.text.plain() and "5 weeks" in covered.text.plain()
    await engine.close_streak_weeks()
    await engine.tick()
    assert len(messenger.sent) == 1  # told once
    clock.advance(timedelta(days=7))  # another empty week, and no reserve left
    await engine.close_streak_weeks()
    await engine.tick()
    paused = messenger.sent[-1][1].text.plain()
    assert len(messenger.sent) == 2 and "paused" in paused and "5 weeks" in paused
    assert "!" not in covered.text.plain() + paused


async def test_a_community_that_counts_days_hears_nothing_about_weeks(
    core: Rebound,
    engine: ReminderEngine,
    clock: FixedClock,
    store: Store,
    messenger: RecordingMessenger,
) -> None:
    await core.checkin(in_channel("Ann"), mood=3)
    ann = await store.people.find("test", "ann")
    assert ann is not None
    await core.admin(replace(in_channel("Ann"), is_admin=True), period="day")
    await core.checkin(in_channel("Ann"), mood=3)
    for _ in range(14):  # two quiet weeks, closed day by day as the scheduler does
        clock.advance(timedelta(days=1))
        await engine.close_streak_weeks()
        await engine.tick()
    await engine.tick()
    texts = [reply.text.plain() for _, reply, _ in messenger.sent]
    assert len(texts) == 1 and "paused" in texts[0] and "1 day" in texts[0]
    assert all("week" not in text for text in texts)
