"""/rejections and the bare /rejected through the core: what a person reads, what is kept."""

from __future__ import annotations

from bot.store import Store
from tests.conftest import action, count_held, in_channel, text_of


async def _held(store: Store, name: str = "alex") -> int:
    found = await store.people.find("test", name)
    return await count_held(store, found.id, "rejections") if found else 0


async def test_a_bare_rejected_logs_nothing_until_a_stage_is_picked(core):
    asked = await core.rejected(in_channel(), company="  ", note="")
    assert "Which stage did it come at?" in text_of(asked)
    assert [b.label for b in asked[0].buttons][:2] == ["Application", "Screening call"]
    assert asked[0].where.value == "private"
    assert await _held(core.store) == 0
    logged = await core.press(in_channel(), action(asked, "rejected:stage:2"))
    assert logged[0].title.plain() == "Logged: a no at the technical interview stage"
    assert await _held(core.store) == 1


async def test_a_stage_button_that_names_no_stage_is_refused_kindly(core):
    replies = await core.press(in_channel(), "rejected:stage:99")
    assert "button" in text_of(replies) and await _held(core.store) == 0


async def test_a_note_corrected_into_words_of_crisis_brings_support_alone(core):
    await core.rejected(in_channel(), company="Acme", stage="final")
    replies = await core.rejections_edit(in_channel(), id=1, note="I want to end my life")
    assert len(replies) == 1 and not replies[0].buttons
    assert "Saved." not in text_of(replies)
    # What was typed is still kept, as everywhere else.
    found = await core.store.people.find("test", "alex")
    kept = await core.store.rejections.get(1, found.id)
    assert kept.note == "I want to end my life"


async def test_only_the_owner_can_page_edit_or_delete(core):
    await core.rejected(in_channel("Sam"), company="Hooli", stage="screen")
    assert "Nothing logged yet" in text_of(await core.rejections_list(in_channel()))
    refused = await core.rejections_edit(in_channel(), id=1, company="Mine")
    assert "I can't find #1" in text_of(refused)
    assert "I can't find #1" in text_of(await core.press(in_channel(), "timeline:delete:1"))
    assert await _held(core.store, "sam") == 1
