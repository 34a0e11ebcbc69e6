"""A person's account: the export holds everything written for them, and forget leaves nothing."""

from __future__ import annotations

import json

import pytest

from bot.models import PersonRef
from bot.store import FollowupPlan, StreakRow
from tests.contract.conftest import NOW, later, member

ALL_STATUSES = ["pending", "sending", "sent", "failed", "undeliverable", "cancelled", "done"]


ZONES = {"Ada": "Pacific/Chatham", "Bob": "Europe/Oslo"}


async def write_everything(store, name: str) -> dict:
    """Write every kind of record for a person; return their ids and the words they typed."""
    words = {w: f"{name}-{w}" for w in ("company", "role", "note", "answer", "step", "payload")}
    words |= {w: f"{name}-{w}" for w in ("mood_note", "contact", "key", "message", "setting")}
    words |= {w: f"{name}-{w}" for w in ("writing", "writing_step")}
    person, community_id = await member(store, name)
    await store.people.update(person.id, timezone=ZONES[name], checkin_days=(3,))
    await store.people.note_dm_failure(person.id, "403 code 50007")
    await store.people.set_leaderboard(person.id, community_id, True)
    await store.people.set_shoutouts(person.id, community_id, True)
    rejection_id = await store.rejections.add(
        person.id,
        community_id,
        company=words["company"],
        role=words["role"],
        stage="final",
        feeling=2,
        note=words["note"],
        now=NOW,
    )
    reflection_id = await store.reflections.start(person.id, rejection_id, "final", ["fit"], NOW)
    await store.reflections.record_answer(reflection_id, 0, "fit", words["answer"], NOW)
    await store.reflections.set_next_step(reflection_id, words["step"], later(days=3), NOW)
    await store.conversations.set(person.id, "note", reflection_id, NOW, words["payload"])
    await store.messages.mark_seen(person.id, "enc.final.low", words["message"], NOW, restart=False)
    await store.checkins.add(person.id, 1, words["mood_note"], NOW)
    plan = FollowupPlan(rejection_id, words["contact"], words["company"], None, "email", "thanks")
    followup_id = await store.followups.add(
        person.id, plan, draft_key="thanks#1", due=later(days=1), now=NOW
    )
    reminder_id = await store.reminders.schedule(
        person.id, kind="checkin", ref_id=rejection_id, key=words["key"], due=NOW, now=NOW
    )
    await store.effort.add_activity(person.id, "reflection", 3, NOW)
    await store.effort.save_streak(person.id, StreakRow(current=6, best=6, last_period=1), NOW)
    await store.effort.add_period_points(person.id, ["2026-W48", "all"], 3)
    await store.effort.record_milestone(person.id, 6, NOW)
    await store.community.set_setting(
        community_id, "support_text", words["setting"], person.id, NOW
    )
    await store.community.log_change(
        community_id, person.id, "support_text", None, words["setting"], NOW
    )
    program_id = await store.writing.start(person.id, 19, NOW)
    await store.writing.open_entry(program_id, person.id, 1, NOW)
    await store.writing.add_part(program_id, 1, words["writing"], NOW)
    await store.writing.set_next_step(program_id, words["writing_step"], NOW)
    await store.buddies.join(person.id, community_id, "mock", NOW)
    round_id = await store.buddy_rounds.claim(community_id, f"{name}-round", NOW, later(minutes=5))
    await store.buddy_rounds.record(round_id, [[(person.id, "mock")]], NOW)
    await store.buddy_rounds.answer(round_id, person.id, "met", NOW)
    blocked = await store.people.ensure(PersonRef("test", f"blocked-{name}", "Blocked"), NOW)
    await store.buddy_blocks.block(person.id, blocked.id, NOW)
    return {
        "person": person,
        "community_id": community_id,
        "program_id": program_id,
        "round_id": round_id,
        "rejection_id": rejection_id,
        "reflection_id": reflection_id,
        "followup_id": followup_id,
        "reminder_id": reminder_id,
        "words": words,
    }


def as_text(export) -> str:
    return json.dumps(export, default=str, ensure_ascii=False)


async def test_the_export_holds_everything_written_for_the_person_and_nobody_elses(store):
    ada = await write_everything(store, "Ada")
    bob = await write_everything(store, "Bob")
    text = as_text(await store.accounts.export(ada["person"].id))
    for word in ada["words"].values():
        assert word in text
    for typed in ("Ada", "Pacific/Chatham", "403 code 50007", "thanks#1", "enc.final.low"):
        assert typed in text
    export = await store.accounts.export(ada["person"].id)
    assert [r["focus"] for r in export["buddy_members"]] == ["mock"]
    assert [(r["round_id"], r["answer"]) for r in export["buddy_seats"]] == [
        (ada["round_id"], "met")
    ]
    assert len(export["buddy_blocks"]) == 1
    for word in bob["words"].values():
        assert word not in text


async def test_forget_leaves_nothing_about_the_person_in_any_repository(store):
    ada = await write_everything(store, "Ada")
    bob = await write_everything(store, "Bob")
    await store.accounts.forget(ada["person"].id)
    await assert_gone(store, ada)
    assert (await store.rejections.get(bob["rejection_id"], bob["person"].id)) is not None
    assert as_text(await store.accounts.export(bob["person"].id)).count("Bob-answer") == 1


async def test_forget_in_a_unit_that_fails_erases_nothing(store):
    ada = await write_everything(store, "Ada")
    with pytest.raises(RuntimeError):
        async with store.unit() as u:
            await u.accounts.forget(ada["person"].id)
            raise RuntimeError("changed my mind")
    assert await store.people.get(ada["person"].id) is not None
    assert ada["words"]["answer"] in as_text(await store.accounts.export(ada["person"].id))


async def test_forget_in_a_unit_that_commits_erases_everything(store):
    ada = await write_everything(store, "Ada")
    async with store.unit() as u:
        await u.accounts.forget(ada["person"].id)
    await assert_gone(store, ada)


async def assert_gone(store, written: dict) -> None:
    """Every repository answers as if the person had never been."""
    pid, cid = written["person"].id, written["community_id"]
    long_ago = later(days=-3650)
    assert await store.people.get(pid) is None
    assert await store.people.find("test", "ada") is None
    assert await store.people.many([pid]) == {}
    assert not await store.people.on_leaderboard(pid, cid)
    assert not await store.people.shoutouts_on(pid, cid)
    assert await store.people.community_timezone(pid) is None
    assert await store.rejections.get(written["rejection_id"], pid) is None
    assert await store.rejections.latest(pid) is None
    assert await store.reflections.get(written["reflection_id"], pid) is None
    assert await store.reflections.current(pid) is None
    assert await store.reflections.recent(pid, 10) == []
    assert await store.reflections.answers(written["reflection_id"]) == []
    assert not await store.reflections.started_for(written["rejection_id"])
    assert await store.conversations.get(pid) is None
    assert await store.writing.current(pid) is None
    assert await store.writing.get(written["program_id"], pid) is None
    assert await store.writing.entries(written["program_id"]) == []
    assert await store.messages.seen(pid, "enc.final.low") == []
    assert await store.checkins.count(pid, 1, long_ago) == 0
    assert await store.followups.get(written["followup_id"], pid) is None
    assert await store.followups.pending(pid, 10) == []
    assert await store.reminders.get(written["reminder_id"], pid) is None
    assert await store.reminders.by_key(written["words"]["key"]) is None
    assert await store.reminders.for_person(pid, ALL_STATUSES) == []
    assert await store.effort.streak(pid) == StreakRow()
    assert await store.effort.activity_since(pid, long_ago) == []
    assert "Pacific/Chatham" not in await store.effort.timezones_in_use()
    board = await store.boards.view(
        cid, window_key="2026-W48", period="week", index=1, me=pid, top=10, around=2
    )
    assert pid not in {r.person_id for r in board.rows} and board.my_rank is None
    assert "Ada" not in {name for name, _ in await store.digests.shoutouts(cid, long_ago, later())}
    assert all(
        c.person_id != pid and c.display_name != "Ada" for c in await store.community.changes(cid)
    )
    assert await store.buddies.get(pid, cid) is None
    assert pid not in {m.person_id for m in await store.buddies.pool(cid, NOW)}
    assert await store.buddy_rounds.latest(pid, None) is None
    assert await store.buddy_rounds.group(written["round_id"], pid) == []
    assert all(pid not in g for r in await store.buddy_rounds.recent(cid, 10) for g in r.groups)
    export = await store.accounts.export(pid)
    assert all(rows == [] for rows in export.values())
