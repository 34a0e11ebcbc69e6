"""Write it out on a real SQLite file with the real reminder engine and a clock moved by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ports import FixedClock
from bot.reminders import ReminderEngine
from bot.usecases.writing_days import DAY_MAX_CHARS
from tests.conftest import action, count_held, in_channel, in_dm, text_of

CRISIS = "i want to kill myself"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in late November 2026 (UTC: the default timezone)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def start(core, hour: int = 19) -> None:
    offer = await core.writeitout(in_channel(), hour=hour)
    await core.press(in_channel(), action(offer, "write:start:"))


async def day_dm(engine: ReminderEngine, clock: FixedClock, messenger, moment: datetime) -> str:
    clock.set(moment)
    await engine.tick()
    _, reply, _ = messenger.sent[-1]
    return text_of([reply])


async def held(core, kind: str) -> list[dict]:
    person = await core.store.people.find("test", "alex")
    return (await core.store.accounts.export(person.id))[kind]


async def test_five_days_each_at_the_hour_entries_kept_per_day_and_the_close(
    core, engine, clock, messenger
):
    offer = await core.writeitout(in_channel())
    assert "not therapy" in text_of(offer).lower() or "isn't therapy" in text_of(offer)
    assert "/forget" in text_of(offer) and "19:00" in text_of(offer)
    started = await core.press(in_channel(), action(offer, "write:start:19"))
    assert "Thursday 26 November, 19:00" in text_of(started)
    clock.set(at(26, 18, 59))
    await engine.tick()
    assert messenger.sent == []
    for day in range(1, 6):
        dm = await day_dm(engine, clock, messenger, at(25 + day, 19))
        assert f"day {day} of 5" in dm
        first = await core.dm_text(in_dm(), f"Day {day}, the first part.")
        assert "type done" in text_of(first)
        assert await core.dm_text(in_dm(), f"Day {day}, a second part.") == []
        clock.set(at(25 + day, 19, 25))
        closed = text_of(await core.dm_text(in_dm(), "done"))
        if day == 1:
            again = text_of(await core.dm_text(in_dm(), "done"))
            assert "Day 2 opens on Friday 27 November, 19:00." in again
        if day < 5:
            assert f"Day {day} is closed: 10 words." in closed
            assert f"{['Friday', 'Saturday', 'Sunday', 'Monday'][day - 1]}" in closed
    assert "10, 10, 10, 10 and 10" in closed
    entries = await held(core, "writing_entries")
    assert [(e["day"], e["words"]) for e in entries] == [(d, 10) for d in range(1, 6)]
    assert entries[2]["text"] == "Day 3, the first part.\n\nDay 3, a second part."
    # Five days of effort, 5 points each, once a day.
    assert [a["points"] for a in await held(core, "activity")] == [5] * 5
    clock.set(at(30, 19, 30))
    close = await core.dm_text(in_dm(), "done")
    assert "type done" not in text_of(close)  # the program is over: nothing takes the text


async def test_the_close_offers_day_one_and_five_side_by_side_and_a_next_step(
    core, engine, clock, messenger
):
    await start(core)
    for day in range(1, 6):
        await day_dm(engine, clock, messenger, at(25 + day, 19))
        await core.dm_text(in_dm(), f"Words of day {day}.")
        close = await core.dm_text(in_dm(), "done")
    side = text_of(await core.press(in_dm(), action(close, "write:compare:")))
    assert "Words of day 1." in side and "Words of day 5." in side
    assert "Words of day 3." not in side
    await core.press(in_dm(), action(close, "write:step:"))
    step = text_of(await core.dm_text(in_dm(), "Ask Dana for coffee by friday"))
    assert "Ask Dana for coffee" in step and "Friday 4 December, 10:00" in step
    await day_dm(engine, clock, messenger, at(30, 20))  # nothing else is due before Friday
    clock.set(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    await engine.tick()
    assert "Ask Dana for coffee" in text_of([messenger.sent[-1][1]])


async def test_a_day_written_but_never_closed_is_kept_and_the_next_day_opens(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "Three words here.")
    dm = await day_dm(engine, clock, messenger, at(27, 19))
    assert "Yesterday's writing is kept as it was: 3 words." in dm and "day 2 of 5" in dm
    assert [e["words"] for e in await held(core, "writing_entries")] == [3, None]


async def test_a_missed_day_moves_the_program_by_a_day_asked_once_then_it_pauses(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    missed = await day_dm(engine, clock, messenger, at(27, 19))
    assert "Day 1 didn't happen yesterday" in missed
    assert [b.action_id.split(":")[1] for b in messenger.sent[-1][1].buttons] == [
        "tomorrow",
        "stop",
    ]
    again = await day_dm(engine, clock, messenger, at(28, 19))
    assert "day 1 of 5" in again  # day 1 again, a day later
    paused = await day_dm(engine, clock, messenger, at(29, 19))
    assert "paused" in paused
    count = len(messenger.sent)
    clock.set(at(30, 19))
    await engine.tick()
    assert len(messenger.sent) == count  # no more asking
    standing = await core.writeitout(in_dm())
    assert "paused on day 1" in text_of(standing)
    resumed = await core.press(in_dm(), action(standing, "write:resume:"))
    assert "day 1 of 5" in text_of(resumed)
    await core.dm_text(in_dm(), "Back at it.")
    assert "Day 1 is closed: 3 words" in text_of(await core.dm_text(in_dm(), "done"))


async def test_a_sign_of_crisis_in_the_writing_brings_care_alone_and_pauses_with_a_question(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "It has been a long month.")
    replies = await core.dm_text(in_dm(), CRISIS)
    assert len(replies) == 1 and replies[0].buttons == ()
    assert "sounds really heavy" in text_of(replies)
    assert "done" not in text_of(replies).lower()
    # Kept, not scored: the day is paused, and typing goes nowhere near the program.
    [entry] = await held(core, "writing_entries")
    assert CRISIS in entry["text"] and entry["words"] is None
    assert "type done" not in text_of(await core.dm_text(in_dm(), "hello"))
    asked = await day_dm(engine, clock, messenger, at(27, 19))
    assert "How you are matters more" in asked
    buttons = [b.action_id.split(":")[1] for b in messenger.sent[-1][1].buttons]
    assert buttons == ["resume", "stop"]
    count = len(messenger.sent)
    clock.set(at(28, 19))
    await engine.tick()
    assert len(messenger.sent) == count  # asked once
    resumed = await core.press(in_dm(), f"write:resume:{entry['program_id']}")
    assert "day 1 of 5" in text_of(resumed)


async def test_stop_is_one_button_and_nothing_more_comes(core, engine, clock, messenger):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    stopped = await core.press(in_dm(), action([messenger.sent[-1][1]], "write:stop:"))
    assert "Stopped" in text_of(stopped)
    clock.set(at(28, 19))
    await engine.tick()
    assert len(messenger.sent) == 1
    assert "type done" not in text_of(await core.dm_text(in_dm(), "one more line"))
    offer = await core.writeitout(in_dm())
    assert any(b.action_id.startswith("write:start:") for r in offer for b in r.buttons)


async def test_the_day_is_capped_with_a_kind_note_and_nothing_is_cut(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    chunk = "word " * 399 + "ends."  # 2,000 characters: one Discord message
    for _ in range(9):
        await core.dm_text(in_dm(), chunk)
    note = text_of(await core.dm_text(in_dm(), chunk + " " + chunk))
    assert "20,000 characters" in note and "18,016" in note and "1,982" in note
    [entry] = await held(core, "writing_entries")
    assert len(entry["text"]) == 18_016 and entry["parts"] == 9
    await core.dm_text(in_dm(), "x" * 1_982)
    [entry] = await held(core, "writing_entries")
    assert len(entry["text"]) == DAY_MAX_CHARS


async def test_an_hour_in_quiet_hours_is_refused_kindly_and_nothing_starts(core):
    replies = await core.writeitout(in_channel(), hour=22)
    assert "quiet hours (21:00-08:00)" in text_of(replies)
    assert not any(b.action_id.startswith("write:") for r in replies for b in r.buttons)
    assert "0 to 23" in text_of(await core.writeitout(in_channel(), hour=24))
    await core.writeitout(in_channel(), hour=20)
    assert await held(core, "writing_programs") == []  # an offer starts nothing


async def test_the_writing_never_reaches_the_digest_the_board_or_the_logs(
    core, engine, clock, messenger, caplog
):
    caplog.set_level("DEBUG", logger="bot")  # Rebound's own logs (libraries are floored)
    await core.admin(in_channel(), channel="channel-1")
    await core.leaderboard(in_channel(), "join")
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "Secret-sentence-about-Acme.")
    await core.dm_text(in_dm(), "done")
    person = await core.store.people.find("test", "alex")
    community = (await core.store.accounts.export(person.id))["memberships"][0]["community_id"]
    digest = await core.digest(community, at(27, 16))
    board = await core.leaderboard(in_channel(), "show")
    assert "Secret-sentence" not in text_of([digest]) + text_of(board)
    assert "Secret-sentence" not in caplog.text
    assert "5" in text_of(board)  # the effort counts, the words stay private


async def test_forget_erases_the_program_and_its_days(core, engine, clock, messenger):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "Something private.")
    person = await core.store.people.find("test", "alex")
    assert await count_held(core.store, person.id, "writing_entries") == 1
    await core.press(in_channel(), "forget:confirm")
    assert await core.store.people.find("test", "alex") is None
    clock.set(at(27, 19) + timedelta(minutes=1))
    await engine.tick()
    assert len(messenger.sent) == 1


async def test_pausing_and_picking_up_on_the_same_day_keeps_tomorrows_dm(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    standing = await core.writeitout(in_dm())
    assert "day 1 of 5" in text_of(standing)
    paused = await core.press(in_dm(), action(standing, "write:pause:"))
    assert "Paused on day 1 of 5" in text_of(paused)
    assert "type done" not in text_of(await core.dm_text(in_dm(), "not now"))
    resumed = await core.press(in_dm(), action(await core.writeitout(in_dm()), "write:resume:"))
    assert "day 1 of 5" in text_of(resumed)
    await core.dm_text(in_dm(), "Back again.")
    await core.dm_text(in_dm(), "done")
    assert "day 2 of 5" in await day_dm(engine, clock, messenger, at(27, 19))


async def test_a_new_hour_moves_the_next_day_and_keeps_the_program(core, engine, clock, messenger):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "Some words.")
    moved = text_of(await core.writeitout(in_dm(), hour=8))
    assert "each day opens at 08:00" in moved and "Friday 27 November, 08:00" in moved
    assert "Yesterday's writing is kept" in await day_dm(engine, clock, messenger, at(27, 8))
    assert len(messenger.sent) == 2
    clock.set(at(27, 19))
    await engine.tick()
    assert len(messenger.sent) == 2  # the old hour is gone


async def test_an_open_day_shares_dms_with_check_ins_and_reflections(
    core, engine, clock, messenger
):
    logged = await core.rejected(in_channel(), company="Acme", stage="final", feeling=3)
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    await core.dm_text(in_dm(), "Day one words.")
    await day_dm(engine, clock, messenger, at(27, 19))  # Friday's nudge, then day 2 opens
    assert "day 2 of 5" in text_of([messenger.sent[-1][1]])
    checkin = await day_dm(engine, clock, messenger, at(28, 10))
    assert "Checking in" in checkin
    # The check-in asked last, so a typed line is its note; then the open day takes the text.
    held_note = text_of(await core.dm_text(in_dm(), "tired today"))
    assert "type done" not in held_note
    await core.press(in_dm(), "checkin:mood:3")
    assert "Kept" in text_of(await core.dm_text(in_dm(), "Day two, after the check-in."))
    # A reflection started now takes its answers; the writing day keeps only its own words.
    prompt = await core.press(in_channel(), action(logged, "reflect:start:"))
    assert "1 of" in text_of(prompt)
    await core.dm_text(in_dm(), "I rushed the last answer")
    person = await core.store.people.find("test", "alex")
    export = await core.store.accounts.export(person.id)
    assert [a["answer"] for a in export["reflection_answers"]] == ["I rushed the last answer"]
    day_two = next(e for e in export["writing_entries"] if e["day"] == 2)
    assert day_two["text"] == "Day two, after the check-in."
    assert export["checkins"][0]["note"] == "tired today"


async def test_a_message_past_the_cap_with_a_sign_of_crisis_still_brings_care_alone(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    # Long enough that the net checks it in a worker thread, and past the day's cap.
    replies = await core.dm_text(in_dm(), "so tired of all of it. " * 900 + CRISIS)
    assert len(replies) == 1 and "sounds really heavy" in text_of(replies)
    assert "20,000" not in text_of(replies)
    standing = await core.writeitout(in_dm())
    assert "paused on day 1" in text_of(standing)


async def test_done_with_nothing_written_keeps_the_day_and_day_five_left_open_still_closes(
    core, engine, clock, messenger
):
    await start(core)
    await day_dm(engine, clock, messenger, at(26, 19))
    assert "the day stays open" in text_of(await core.dm_text(in_dm(), "Done."))
    for day in range(1, 6):
        if day > 1:
            await day_dm(engine, clock, messenger, at(26, 19) + timedelta(days=day - 1))
        await core.dm_text(in_dm(), "two words")  # never closed with done
    close = await day_dm(engine, clock, messenger, at(26, 19) + timedelta(days=5))
    assert "day by day: 2, 2, 2, 2 and 2." in close
    assert [e["words"] for e in await held(core, "writing_entries")] == [2] * 5
    [program] = await held(core, "writing_programs")
    assert program["status"] == "finished"
    clock.set(at(26, 19) + timedelta(days=8))
    await engine.tick()
    assert "day by day" in text_of([messenger.sent[-1][1]])  # nothing after the close
