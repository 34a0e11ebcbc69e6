"""Write it out's day schedule as pure rules: DST, quiet hours, and what each day's DM does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.store.interface_writing import WritingEntry, WritingProgram
from bot.usecases.writing_days import (
    Move,
    counts_text,
    earns_today,
    first_opening,
    hour_allowed,
    next_move,
    opening,
    word_count,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
QUIET = ("21:00", "08:00")
T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

PROGRAM = WritingProgram(
    id=1,
    person_id=1,
    hour=19,
    status="active",
    day=2,
    asked=False,
    paused_for=None,
    next_step=None,
    started_at=T0,
)


def entry(parts: int = 0, closed: datetime | None = None) -> WritingEntry:
    text = " ".join(["word"] * parts)
    return WritingEntry(1, 2, text, parts, None, T0, closed)


def test_the_hour_stays_the_same_wall_time_across_both_dst_changes():
    # New York springs forward on 8 March 2026 and falls back on 1 November 2026.
    before, after = (opening(date(2026, 3, d), 19, NEW_YORK, *QUIET) for d in (7, 8))
    assert (before.hour, after.hour) == (0, 23)  # 19:00 EST is 00:00Z, 19:00 EDT 23:00Z
    assert after.astimezone(NEW_YORK).hour == before.astimezone(NEW_YORK).hour == 19
    autumn = [opening(date(2026, 10, d), 19, BERLIN, *QUIET) for d in (24, 25)]
    assert [o.astimezone(BERLIN).hour for o in autumn] == [19, 19]
    assert [o.hour for o in autumn] == [17, 18]


def test_an_hour_skipped_by_the_spring_change_comes_after_the_jump_not_a_day_late():
    due = opening(date(2026, 3, 8), 2, NEW_YORK, "00:00", "00:00")
    assert due.astimezone(NEW_YORK).date() == date(2026, 3, 8)
    assert due.astimezone(NEW_YORK).hour == 3


def test_quiet_hours_refuse_an_hour_inside_them_and_move_a_day_that_falls_in_them():
    assert hour_allowed(19, *QUIET) and hour_allowed(8, *QUIET) and hour_allowed(20, *QUIET)
    assert not hour_allowed(21, *QUIET) and not hour_allowed(3, *QUIET)
    assert hour_allowed(3, "00:00", "00:00")  # quiet hours off
    # Quiet hours changed after the start: the day opens when they end, never inside them.
    due = opening(date(2026, 11, 27), 22, BERLIN, *QUIET)
    assert due.astimezone(BERLIN) == datetime(2026, 11, 28, 8, 0, tzinfo=BERLIN)


def test_day_one_opens_today_if_the_hour_is_still_ahead_else_tomorrow():
    morning = datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
    evening = datetime(2026, 11, 26, 19, 30, tzinfo=BERLIN)
    assert first_opening(morning, 19, BERLIN, *QUIET).astimezone(BERLIN).day == 26
    assert first_opening(evening, 19, BERLIN, *QUIET).astimezone(BERLIN).day == 27


def test_each_days_dm_opens_carries_asks_once_then_pauses():
    assert next_move(PROGRAM, None) is Move.OPEN
    assert next_move(PROGRAM, entry(parts=3)) is Move.CARRY  # written, never closed
    assert next_move(PROGRAM, entry()) is Move.MISSED  # opened, nothing written
    asked = replace(PROGRAM, asked=True)
    assert next_move(asked, None) is Move.OPEN  # the missed day opens again, a day later
    assert next_move(asked, entry()) is Move.PAUSE  # missed again: pause, never nag


def test_a_pause_for_care_asks_gently_once_and_other_ends_send_nothing():
    care = replace(PROGRAM, status="paused", paused_for="care")
    assert next_move(care, entry(parts=1)) is Move.CARE_ASK
    assert next_move(replace(care, asked=True), entry(parts=1)) is Move.NOTHING
    assert next_move(replace(care, paused_for="missed"), None) is Move.NOTHING
    for status in ("stopped", "finished"):
        assert next_move(replace(PROGRAM, status=status), None) is Move.NOTHING


def test_word_counts_and_the_once_a_day_points():
    assert word_count("  It  was\nhard.\n\nStill is. ") == 5
    assert counts_text([412, 1530, 388, 601, 275]).plain() == "412, 1,530, 388, 601 and 275"
    evening = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    closed_today = entry(parts=1, closed=datetime(2026, 11, 26, 19, 40, tzinfo=UTC))
    assert earns_today([entry(parts=1)], UTC, evening)
    assert not earns_today([closed_today], UTC, evening)
    assert earns_today([closed_today], UTC, datetime(2026, 11, 27, 19, 0, tzinfo=UTC))
