"""Practice buddies on a real SQLite file with the real reminder engine and a moved clock."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from bot.core import Rebound
from bot.models import Context, Reply
from bot.reminders import ReminderEngine
from bot.store import open_store
from bot.store.sqlite.buddies import SqliteBuddyRounds
from tests.conftest import COMMUNITY, in_channel, in_dm, person, text_of
from tests.integration.test_reminders import RecordingMessenger

# START is Thursday 26 November 2026; the first round is Monday 30 November, 09:00 UTC.
ROUND = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def admin() -> Context:
    return Context(person("Alex"), COMMUNITY, "channel-1", is_admin=True)


async def turn_on(core: Rebound, **more: str) -> list[Reply]:
    return await core.admin(admin(), buddies="weekly", buddy_day="monday", buddy_hour="9", **more)


async def join(core: Rebound, name: str, **options: str) -> str:
    return text_of(await core.buddy(in_channel(name), "join", **options))


def dms_to(messenger: RecordingMessenger, name: str) -> list[Reply]:
    return [reply for who, reply, _ in messenger.sent if who.display_name == name]


def intro_of(messenger: RecordingMessenger, name: str) -> Reply:
    (intro,) = [r for r in dms_to(messenger, name) if r.title and "buddy" in r.title.plain()]
    return intro


async def round_at(engine: ReminderEngine, clock, moment: datetime) -> int:
    clock.set(moment)
    ran = await engine.run_buddy_rounds()
    await engine.tick()
    return ran


async def first_round(core: Rebound, clock, engine: ReminderEngine, *names: str) -> None:
    """Buddies on, these people in (on UTC), and the first round run and its intros sent."""
    await turn_on(core)
    for name in names:
        await join(core, name, timezone="UTC")
    await round_at(engine, clock, ROUND)


def press_id(reply: Reply, prefix: str) -> str:
    return next(b.action_id for b in reply.buttons if b.action_id.startswith(prefix))


async def test_buddies_stay_off_until_an_admin_turns_them_on(core, clock):
    assert "aren't switched on" in text_of(await core.buddy(in_channel("Ada"), "join"))
    saved = text_of(await turn_on(core))
    assert "Practice buddies: every week, Mondays at 09:00" in saved
    refused = text_of(await core.admin(admin(), buddies="daily"))
    assert "daily" in refused and "weekly, fortnightly, off" in refused
    assert "Practice buddies: off" in text_of(await core.admin(admin(), buddies="off"))


async def test_four_people_are_paired_at_the_round_and_each_dm_names_their_partner(
    core, clock, engine, messenger
):
    await turn_on(core)
    zones = {"Ada": "Europe/Berlin", "Bo": "Asia/Kolkata", "Cy": "Europe/Paris", "Di": "Asia/Dubai"}
    for name, zone in zones.items():
        await join(core, name, focus="mock", timezone=zone)
    assert await round_at(engine, clock, ROUND - timedelta(minutes=1)) == 0
    assert await round_at(engine, clock, ROUND) == 1
    pairs = {}
    local = {"Ada": "10:00", "Bo": "14:30", "Cy": "10:00", "Di": "13:00"}
    for name in zones:
        intro = intro_of(messenger, name)
        text = text_of([intro])
        (partner,) = [other for other in zones if other != name and other in text]
        pairs[name] = partner
        assert "25 minutes" in text and "one thing the other did well" in text
        labels = [b.label for b in intro.buttons]
        assert labels[:3] == ["We met", "Couldn't make it", "Pair me with someone else next time"]
        assert f"Block {partner}" in labels
        # Their local times side by side, each in their own timezone.
        times = dict((k.plain(), v.plain()) for k, v in intro.fields)
        assert times["Your time now"] == f"Monday 30 November, {local[name]}"
        assert times[f"{partner}'s time now"] == f"Monday 30 November, {local[partner]}"
    assert all(pairs[pairs[name]] == name for name in zones)
    # Close clocks are paired: Berlin with Paris, Kolkata with Dubai.
    assert pairs["Ada"] == "Cy" and pairs["Bo"] == "Di"
    # A restart at the same minute runs nothing twice.
    restarted = ReminderEngine(engine.store, core, clock)
    restarted.register("test", messenger)
    assert await restarted.run_buddy_rounds() == 0
    assert len(messenger.sent) == 4


async def test_a_round_is_claimed_once_across_two_schedulers_on_one_database(
    core, store, db_path, clock, content, messenger
):
    await turn_on(core)
    for name in ("Ada", "Bo", "Cy"):
        await join(core, name, timezone="Europe/Berlin")
    clock.set(ROUND)
    async with open_store(db_path) as other_store:
        other_core = Rebound(other_store, content, clock, rng=random.Random(1))
        one = ReminderEngine(store, core, clock)
        two = ReminderEngine(other_store, other_core, clock)
        for engine in (one, two):
            engine.register("test", messenger)
        ran = await asyncio.gather(one.run_buddy_rounds(), two.run_buddy_rounds())
        assert sorted(ran) == [0, 1]
        await asyncio.gather(one.tick(), two.tick())
    # Three people: one trio, and each of the three hears of the other two, once.
    assert len(messenger.sent) == 3
    for name, others in (("Ada", ("Bo", "Cy")), ("Bo", ("Ada", "Cy")), ("Cy", ("Ada", "Bo"))):
        text = text_of([intro_of(messenger, name)])
        assert all(o in text for o in others) and "three of you" in text


async def test_a_community_of_one_hears_that_nobody_else_has_joined(core, clock, engine, messenger):
    await turn_on(core)
    await join(core, "Ada", timezone="Europe/Berlin")
    await round_at(engine, clock, ROUND)
    (note,) = dms_to(messenger, "Ada")
    assert "nobody else here has joined" in note.text.plain()


async def test_we_met_is_effort_for_both_once_a_round(core, clock, engine, messenger):
    await first_round(core, clock, engine, *("Ada", "Bo"))
    intro = intro_of(messenger, "Ada")
    met = press_id(intro, "buddy:met:")
    first = text_of(await core.press(in_dm("Ada"), met))
    assert "Bo" in first and "streak" in first
    again = text_of(
        await core.press(in_dm("Bo"), press_id(intro_of(messenger, "Bo"), "buddy:met:"))
    )
    assert "already counted" in again
    for name in ("Ada", "Bo"):
        streak = text_of(await core.streak(in_channel(name)))
        assert "3" in streak, streak


async def test_follow_through_asks_only_those_who_have_not_answered(core, clock, engine, messenger):
    await first_round(core, clock, engine, *("Ada", "Bo"))
    await core.press(in_dm("Ada"), press_id(intro_of(messenger, "Ada"), "buddy:missed:"))
    clock.set(ROUND + WEEK - timedelta(days=3))
    await engine.tick()
    asked = [r for r in dms_to(messenger, "Bo") if r.title and "go?" in r.title.plain()]
    assert len(asked) == 1 and "Ada" in asked[0].text.plain()
    assert [b.label for b in asked[0].buttons][:1] == ["We met"]
    assert not [r for r in dms_to(messenger, "Ada") if r.title and "go?" in r.title.plain()]


async def test_three_silent_rounds_pause_a_person_who_is_told_and_can_stay_in(
    core, clock, engine, messenger
):
    await turn_on(core)
    for name in ("Ada", "Bo", "Cy", "Di"):
        await join(core, name, timezone="UTC")
    for number in range(3):
        await round_at(engine, clock, ROUND + number * WEEK)
        for name in ("Ada", "Bo", "Cy"):  # Di never answers
            reply = [r for r in dms_to(messenger, name) if r.buttons][-1]
            await core.press(in_dm(name), press_id(reply, "buddy:met:"))
    await round_at(engine, clock, ROUND + 3 * WEEK)
    paused = [r for r in dms_to(messenger, "Di") if "paused" in r.text.plain()]
    assert len(paused) == 1
    assert "paused" in text_of(await core.buddy(in_channel("Di"), "status"))
    # Di sat this round out: three people, one trio, none of them Di.
    last = [r for r in dms_to(messenger, "Ada") if r.title and "this round" in r.title.plain()][-1]
    assert "Di" not in last.text.plain()
    stayed = text_of(await core.press(in_dm("Di"), paused[0].buttons[0].action_id))
    assert "next round" in stayed
    assert "You're in" in text_of(await core.buddy(in_channel("Di"), "status"))


async def test_a_blocked_partner_is_never_paired_again(core, clock, engine, messenger):
    await first_round(core, clock, engine, *("Ada", "Bo"))
    block = press_id(intro_of(messenger, "Ada"), "buddy:block:")
    assert "won't be paired with Bo again" in text_of(await core.press(in_dm("Ada"), block))
    for number in range(1, 4):
        await round_at(engine, clock, ROUND + number * WEEK)
    for name in ("Ada", "Bo"):
        intros = [r for r in dms_to(messenger, name) if r.title and "this round" in r.title.plain()]
        assert len(intros) == 1  # only the first round paired them
        assert any(
            "wasn't anyone I could pair you with" in r.text.plain() for r in dms_to(messenger, name)
        )
    # /buddy block offers the same buttons; someone never paired has nobody to block.
    assert "Block Bo" in [
        b.label for r in await core.buddy(in_channel("Ada"), "block") for b in r.buttons
    ]
    await join(core, "Cy")
    assert "nobody to block" in text_of(await core.buddy(in_channel("Cy"), "block"))


async def test_status_tells_only_about_you_and_forget_takes_you_out_of_every_round(
    core, store, clock, engine, messenger
):
    await turn_on(core)
    for name in ("Ada", "Bo", "Cy", "Di"):
        await join(core, name, timezone="UTC")
    status = text_of(await core.buddy(in_channel("Ada"), "status"))
    assert not any(other in status for other in ("Bo", "Cy", "Di"))
    assert "Monday 30 November, 09:00" in status
    await round_at(engine, clock, ROUND)
    partner = next(n for n in ("Bo", "Cy", "Di") if n in text_of([intro_of(messenger, "Ada")]))
    await core.press(in_dm(partner), "forget:confirm")
    assert partner not in text_of(await core.buddy(in_channel("Ada"), "status"))
    await round_at(engine, clock, ROUND + WEEK)
    gone = await store.people.find("test", partner.lower())
    assert gone is None
    # The next round pairs the three who are left, in one trio.
    latest = [r for r in dms_to(messenger, "Ada") if r.title and "this round" in r.title.plain()][
        -1
    ]
    assert partner not in latest.text.plain() and "three of you" in latest.text.plain()


async def test_bad_input_gets_a_kind_answer_and_changes_nothing(core, clock):
    await turn_on(core)
    refused = text_of(await core.buddy(in_channel("Ada"), "join", focus="banana"))
    assert "banana" in refused and "mock, accountability, either" in refused
    assert "not in practice buddies" in text_of(await core.buddy(in_channel("Ada"), "status"))
    await join(core, "Ada", focus="accountability", timezone="Europe/Berlin")
    for until in ("yesterday", "someday soon", "x" * 500):
        answer = text_of(await core.buddy(in_channel("Ada"), "pause", until=until))
        assert "couldn't read" in answer or "characters" in answer
    assert "You're in" in text_of(await core.buddy(in_channel("Ada"), "status"))
    assert "in DMs" in text_of(await core.buddy(in_dm("Ada"), "status"))
    paused = text_of(await core.buddy(in_channel("Ada"), "pause", until="friday"))
    assert "Paused until Friday 27 November" in paused


async def test_a_round_cut_short_and_claimed_again_counts_silence_once(
    core, store, clock, engine, messenger, monkeypatch
):
    await turn_on(core)
    for name in ("Ada", "Bo"):
        await join(core, name, timezone="UTC")
    await round_at(engine, clock, ROUND)  # nobody answers this round
    clock.set(ROUND + WEEK)
    # The next round fails while storing its groups (a full disk, a crash)...
    stored = SqliteBuddyRounds.record

    async def fails(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(SqliteBuddyRounds, "record", fails)
    assert await engine.run_buddy_rounds() == 0
    monkeypatch.setattr(SqliteBuddyRounds, "record", stored)
    # ...and is claimed again once its lease ran out: the silence is counted once, not twice.
    clock.advance(timedelta(minutes=10))
    assert await engine.run_buddy_rounds() == 1
    community_id = (await store.buddies.communities())[0][0]
    ada = await store.people.find("test", "ada")
    assert (await store.buddies.get(ada.id, community_id)).silent_rounds == 1


async def test_leaving_works_after_buddies_were_turned_off(core, clock):
    await turn_on(core)
    await join(core, "Ada")
    await core.admin(admin(), buddies="off")
    assert "You've left practice buddies" in text_of(await core.buddy(in_channel("Ada"), "leave"))


async def test_someone_else_next_time_keeps_that_pair_apart_in_the_next_round(
    core, clock, engine, messenger
):
    await first_round(core, clock, engine, *("Ada", "Bo"))
    another = press_id(intro_of(messenger, "Ada"), "buddy:another:")
    assert "someone new" in text_of(await core.press(in_dm("Ada"), another))
    await round_at(engine, clock, ROUND + WEEK)
    # The only other person is the one Ada asked not to meet: told, not silently skipped.
    for name in ("Ada", "Bo"):
        assert "wasn't anyone I could pair you with" in dms_to(messenger, name)[-1].text.plain()
    await round_at(engine, clock, ROUND + 2 * WEEK)  # the round after, they may meet again
    assert "paired with Bo" in dms_to(messenger, "Ada")[-1].text.plain()
