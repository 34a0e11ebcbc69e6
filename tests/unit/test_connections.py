"""Answers to "did they reply?" through the core: once each, the person's own, asked twice."""

from __future__ import annotations

from tests.conftest import action, in_channel, in_dm, text_of


async def _sent(core, name: str = "Alex") -> int:
    replies = await core.followup_add(in_channel(name), contact="Priya")
    sent_id = action(replies, "followup:sent")
    await core.press(in_channel(name), sent_id)
    return int(sent_id.rsplit(":", 1)[1])


async def test_an_outcome_is_recorded_once(core):
    note = await _sent(core)
    first = await core.press(in_dm(), f"outcome:interview:{note}")
    assert "An interview, from a note to Priya" in text_of(first)
    again = await core.press(in_dm(), f"outcome:replied:{note}")
    assert "already told me" in text_of(again)


async def test_not_yet_is_asked_about_once_more_then_left_alone(core, store):
    note = await _sent(core)
    me = await store.people.find("test", "alex")
    await store.outcomes.asked(note, me.id, core.clock.now())
    assert "once more next week" in text_of(await core.press(in_dm(), f"outcome:notyet:{note}"))
    await store.outcomes.asked(note, me.id, core.clock.now())
    assert "won't ask" in text_of(await core.press(in_dm(), f"outcome:notyet:{note}"))


async def test_someone_elses_note_cannot_be_answered(core, store):
    note = await _sent(core, "Sam")
    refused = await core.press(in_dm("Alex"), f"outcome:replied:{note}")
    assert "can't find" in text_of(refused)
    sam = await store.people.find("test", "sam")
    assert await store.outcomes.get(note, sam.id) is None
