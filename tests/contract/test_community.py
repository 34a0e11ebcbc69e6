"""Effort and streaks, community settings and their log, digests, and the bot's own state."""

from __future__ import annotations

from bot.store import StreakRow
from tests.contract.conftest import NOW, later, member, someone


async def test_streaks_are_kept_per_period_and_stale_ones_are_found_by_timezone(store):
    person = await someone(store)
    await store.people.update(person.id, timezone="Asia/Tokyo")
    week = StreakRow(current=2, best=4, reserves=1, last_period=10, period_points=3, total_points=9)
    await store.effort.save_streak(person.id, week, NOW)
    await store.effort.save_streak(person.id, StreakRow(current=1, last_period=70), NOW, "day")
    assert await store.effort.streak(person.id) == week
    assert (await store.effort.streak(person.id, "day")).current == 1
    assert await store.effort.timezones_in_use() == ["Asia/Tokyo"]
    assert await store.effort.stale_streaks("Asia/Tokyo", 11) == [(person.id, week)]
    assert await store.effort.stale_streaks("Asia/Tokyo", 10) == []
    assert await store.effort.stale_streaks(None, 11) == []


async def test_activity_is_listed_since_a_time_and_totalled_for_a_community(store):
    ada, community_id = await member(store, "Ada")
    await store.effort.add_activity(ada.id, "checkin", 1, later(days=-10))
    await store.effort.add_activity(ada.id, "reflection", 3, NOW)
    await store.effort.add_activity(ada.id, "reflection", 3, later(minutes=1))
    assert await store.effort.activity_since(ada.id, later(days=-1)) == [
        (NOW, 3),
        (later(minutes=1), 3),
    ]
    totals = await store.digests.totals(community_id, later(days=-7), later(days=1))
    assert totals == {"reflection": 2}


async def test_shoutouts_name_only_members_who_opted_in(store):
    ada, community_id = await member(store, "Ada")
    bo, _ = await member(store, "Bo")
    await store.people.set_shoutouts(ada.id, community_id, True)
    assert await store.people.shoutouts_on(ada.id, community_id)
    for person in (ada, bo):
        await store.effort.record_milestone(person.id, 4, NOW)
    await store.effort.record_milestone(ada.id, 8, NOW)
    assert await store.digests.shoutouts(community_id, later(days=-1), later(days=1)) == [
        ("Ada", 8)
    ]


async def test_people_on_streak_count_live_weekly_streaks_of_members(store):
    ada, community_id = await member(store, "Ada")
    bo, _ = await member(store, "Bo")
    await store.effort.save_streak(ada.id, StreakRow(current=3, last_period=20), NOW)
    await store.effort.save_streak(bo.id, StreakRow(current=3, last_period=10), NOW)
    assert await store.digests.people_on_streak(community_id, 21) == 1


async def test_community_settings_are_set_cleared_and_every_change_is_logged(store):
    ada, community_id = await member(store, "Ada")
    await store.community.set_setting(community_id, "sharing", "off", ada.id, NOW)
    await store.community.log_change(community_id, ada.id, "sharing", None, "off", NOW)
    await store.community.set_setting(community_id, "sharing", "on", ada.id, later(minutes=1))
    await store.community.log_change(community_id, ada.id, "sharing", "off", "on", later(minutes=1))
    assert await store.community.setting(community_id, "sharing") == "on"
    assert await store.community.settings(community_id) == {"sharing": "on"}
    await store.community.clear_setting(community_id, "sharing")
    assert await store.community.setting(community_id, "sharing") is None
    changes = await store.community.changes(community_id)
    assert [(c.old_value, c.new_value, c.display_name) for c in changes] == [
        ("off", "on", "Ada"),
        (None, "off", "Ada"),
    ]
    assert changes[0].changed_at == later(minutes=1)


async def test_a_weekly_digest_is_claimed_once_until_its_lease_ends(store):
    ada, community_id = await member(store, "Ada")
    await store.community.set_setting(community_id, "digest_channel", "C1", ada.id, NOW)
    await store.community.set_setting(community_id, "digest_day", "fri", ada.id, NOW)
    assert await store.digests.communities() == [
        (community_id, {"digest_channel": "C1", "digest_day": "fri"})
    ]
    week = "2026-11-23"
    assert await store.digests.claim(community_id, week, NOW, later(minutes=5))
    assert not await store.digests.claim(community_id, week, later(minutes=1), later(minutes=6))
    assert await store.digests.claim(community_id, week, later(minutes=5), later(minutes=10))
    await store.digests.finish(community_id, week, "failed", later(minutes=6), "500")
    assert await store.digests.claim(community_id, week, later(hours=1), later(hours=1, minutes=5))
    await store.digests.finish(community_id, week, "posted", later(hours=1))
    assert not await store.digests.claim(community_id, week, later(days=1), later(days=2))
    assert await store.digests.claim(community_id, "2026-11-30", later(days=7), later(days=8))


async def test_the_bot_keeps_values_and_counters_of_its_own(store):
    assert await store.state.get("hash") is None
    await store.state.set("hash", "abc")
    await store.state.set("hash", "def")
    await store.state.bump("safety.checks")
    await store.state.bump("safety.checks")
    assert await store.state.get("hash") == "def"
    assert await store.state.get("safety.checks") == "2"
