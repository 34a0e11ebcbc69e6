"""The writing program as stored: one run per person at a time, one entry per day, in order."""

from __future__ import annotations

from tests.contract.conftest import NOW, later, someone


async def test_a_program_starts_on_day_one_and_is_the_persons_current_one(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    program_id = await store.writing.start(alex.id, 19, NOW)
    found = await store.writing.current(alex.id)
    assert (found.id, found.hour, found.status, found.day) == (program_id, 19, "active", 1)
    assert (found.asked, found.paused_for, found.next_step) == (False, None, None)
    assert await store.writing.current(sam.id) is None
    assert await store.writing.get(program_id, sam.id) is None


async def test_a_stopped_or_finished_program_is_no_longer_current_but_stays_readable(store):
    alex = await someone(store)
    program_id = await store.writing.start(alex.id, 19, NOW)
    await store.writing.set_status(program_id, "paused", "care", later(hours=1))
    assert (await store.writing.current(alex.id)).paused_for == "care"
    await store.writing.set_status(program_id, "finished", None, later(hours=2))
    assert await store.writing.current(alex.id) is None
    assert (await store.writing.get(program_id, alex.id)).status == "finished"


async def test_parts_of_a_day_join_in_order_and_closing_keeps_the_word_count(store):
    alex = await someone(store)
    program_id = await store.writing.start(alex.id, 19, NOW)
    await store.writing.open_entry(program_id, alex.id, 1, NOW)
    await store.writing.add_part(program_id, 1, "First part.", later(minutes=5))
    await store.writing.add_part(program_id, 1, "Second part.", later(minutes=9))
    await store.writing.open_entry(program_id, alex.id, 1, later(minutes=10))  # keeps the text
    [entry] = await store.writing.entries(program_id)
    assert (entry.day, entry.text, entry.parts, entry.is_open) == (
        1,
        "First part.\n\nSecond part.",
        2,
        True,
    )
    await store.writing.close_entry(program_id, 1, 4, later(minutes=20))
    await store.writing.add_part(program_id, 1, "after the close", later(minutes=30))
    [closed] = await store.writing.entries(program_id)
    assert (closed.words, closed.is_open, closed.closed_at) == (4, False, later(minutes=20))
    assert "after the close" not in closed.text


async def test_days_advance_and_a_missed_empty_day_can_be_discarded_but_never_a_written_one(
    store,
):
    alex = await someone(store)
    program_id = await store.writing.start(alex.id, 7, NOW)
    await store.writing.set_asked(program_id, NOW)
    assert (await store.writing.current(alex.id)).asked
    await store.writing.advance(program_id, 2, later(days=1))
    found = await store.writing.current(alex.id)
    assert (found.day, found.asked) == (2, False)
    await store.writing.open_entry(program_id, alex.id, 2, later(days=1))
    await store.writing.open_entry(program_id, alex.id, 3, later(days=2))
    await store.writing.add_part(program_id, 3, "kept", later(days=2))
    await store.writing.discard_entry(program_id, 2)
    await store.writing.discard_entry(program_id, 3)
    assert [e.day for e in await store.writing.entries(program_id)] == [3]


async def test_the_next_step_sentence_is_kept_with_the_program(store):
    alex = await someone(store)
    program_id = await store.writing.start(alex.id, 19, NOW)
    await store.writing.set_next_step(program_id, "Call Dana on Friday", later(days=5))
    assert (await store.writing.get(program_id, alex.id)).next_step == "Call Dana on Friday"


async def test_the_daily_hour_can_change_while_the_program_runs(store):
    alex = await someone(store)
    program_id = await store.writing.start(alex.id, 19, NOW)
    await store.writing.set_hour(program_id, 8, later(days=1))
    found = await store.writing.current(alex.id)
    assert (found.hour, found.day, found.status) == (8, 1, "active")
