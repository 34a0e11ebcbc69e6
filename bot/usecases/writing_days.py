"""Write it out, day by day: when each day opens, and what its daily DM says and does.

The database is the schedule: each day's DM is a reminder row of kind `writing`, keyed by
the program and the local date, so a day is never opened twice. What the DM does depends on
how the day before went (see `next_move`): open the next day, carry over a day written but
never closed, ask once about a missed day, pause after a second, or ask gently after care.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from bot import when
from bot.actions import Action
from bot.models import Button, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.interface_writing import WritingEntry, WritingProgram
from bot.store.records import Person, Reminder
from bot.usecases.effort import earn
from bot.usecases.kit import Kit, Me, schedule, today, zone_of

DAYS = 5
DEFAULT_HOUR = 19
# The most one day may hold, over all its messages: refused past it with a note, never cut.
DAY_MAX_CHARS = 20_000
KIND = "writing"
STEP_KIND = "writing_step"
# What a person's next DM text answers while a day is open, or while a step is asked for.
FLOW = "writing"
STEP_FLOW = "writing_step"


class Move(Enum):
    """What a day's DM does, given how the program stands."""

    OPEN = "open"  # open the current day
    CARRY = "carry"  # close yesterday's written day, then open the next (or close the program)
    MISSED = "missed"  # yesterday's day stayed empty: ask once, move the program by a day
    PAUSE = "pause"  # missed again after asking: pause rather than keep asking
    CARE_ASK = "care_ask"  # paused after a sign of crisis: ask gently whether to go on
    NOTHING = "nothing"  # stopped, finished, or paused and already asked


# -- the schedule (pure) ------------------------------------------------------------------------


def clock(hour: int) -> str:
    """An hour as people read it: 19:00."""
    return f"{hour:02d}:00"


def hour_allowed(hour: int, quiet_start: str, quiet_end: str) -> bool:
    """True when the hour is outside the quiet hours (which may cross midnight)."""
    moment = datetime.combine(date(2026, 1, 1), time(hour), tzinfo=UTC)
    return not when.in_quiet_hours(moment, UTC, quiet_start, quiet_end)


def opening(day: date, hour: int, tz: ZoneInfo, quiet_start: str, quiet_end: str) -> datetime:
    """When a local day's writing opens: its hour (DST-safe), moved out of quiet hours."""
    due = when.local_to_utc(day, time(hour), tz)
    return when.after_quiet_hours(due, tz, quiet_start, quiet_end)


def first_opening(
    now: datetime, hour: int, tz: ZoneInfo, quiet_start: str, quiet_end: str
) -> datetime:
    """When day 1 opens: today at the hour if it is still ahead, else tomorrow."""
    local_today = today(tz, now)
    due = opening(local_today, hour, tz, quiet_start, quiet_end)
    if due > now:
        return due
    return opening(local_today + timedelta(days=1), hour, tz, quiet_start, quiet_end)


def next_move(program: WritingProgram, entry: WritingEntry | None) -> Move:
    """What the day's DM does for a program whose current day's entry is entry."""
    if program.status == "paused":
        return Move.CARE_ASK if program.paused_for == "care" and not program.asked else Move.NOTHING
    if program.status != "active":
        return Move.NOTHING
    if entry is None or not entry.is_open:
        return Move.OPEN
    if entry.parts:
        return Move.CARRY
    return Move.PAUSE if program.asked else Move.MISSED


def word_count(text: str) -> int:
    """Words as a person would count them: runs of text between spaces."""
    return len(text.split())


def earns_today(entries: Sequence[WritingEntry], tz: ZoneInfo, now: datetime) -> bool:
    """True unless a day was already closed today: writing earns its points once a day."""
    local = today(tz, now)
    return not any(e.closed_at and today(tz, e.closed_at) == local for e in entries)


def counts_text(counts: Sequence[int]) -> Text:
    """Five word counts as one reads them: 412, 530, 388, 601 and 275."""
    shown = [f"{n:,}" for n in counts]
    if len(shown) < 2:
        return Text.of("".join(shown))
    return Text.of(", ".join(shown[:-1]) + " and " + shown[-1])


# -- shared by the DM and the use cases ---------------------------------------------------------


def day_buttons(kit: Kit, program_id: int) -> tuple[Button, ...]:
    """An open day's buttons: close it, or stop the program."""
    return (
        kit.button("writing.button.done", Action("write", "done", program_id), Style.PRIMARY),
        kit.button("writing.button.stop", Action("write", "stop", program_id), Style.DANGER),
    )


def day_reply(kit: Kit, program_id: int, day: int, before: Text | None = None) -> Reply:
    """The DM that opens a day: its prompt, how to write, and its buttons."""
    text = kit.msg(f"writing.day.{day}") + "\n\n" + kit.msg("writing.day_hint")
    if before:
        text = before + "\n\n" + text
    return Reply(
        title=kit.msg("writing.day_title", day=day),
        text=text,
        buttons=day_buttons(kit, program_id),
        where=Where.DM,
    )


def close_reply(kit: Kit, program_id: int, counts: Sequence[int]) -> Reply:
    """The private close after day 5: the counts, and two offers."""
    return Reply(
        title=kit.msg("writing.close_title"),
        text=kit.msg("writing.close", counts=counts_text(counts)),
        buttons=(
            kit.button("writing.button.compare", Action("write", "compare", program_id)),
            kit.button("writing.button.step", Action("write", "step", program_id)),
        ),
        where=Where.DM,
    )


def entry_of(entries: Sequence[WritingEntry], day: int) -> WritingEntry | None:
    """The entry of one day, if it was opened."""
    return next((e for e in entries if e.day == day), None)


async def schedule_day(
    u: UnitOfWork, me: Me, program: WritingProgram, day: date, now: datetime
) -> datetime:
    """Schedule the DM of a local day (once per program and date); return when it comes."""
    person = me.person
    due = opening(day, program.hour, me.tz, person.quiet_start, person.quiet_end)
    base = key = f"{KIND}:{program.id}:{day.isoformat()}"
    # A pause cancelled this day's DM: scheduling the same key at the same time again would
    # leave it cancelled, so picking the program up plans it under a key of its own.
    while (found := await u.reminders.by_key(key)) is not None and found.status == "cancelled":
        key = f"{base}:{found.id}"
    return await schedule(u, me, KIND, program.id, key, due, now)


async def let_go(u: UnitOfWork, person_id: int, program_id: int) -> None:
    """Stop taking DM text for the program, unless something else asked since."""
    found = await u.conversations.get(person_id)
    if found is not None and found.flow in (FLOW, STEP_FLOW) and found.ref_id == program_id:
        await u.conversations.clear(person_id)


async def open_day(u: UnitOfWork, me: Me, program: WritingProgram, day: int, now: datetime) -> None:
    """Open a day: its entry, DM text going to it, and tomorrow's DM scheduled."""
    await u.writing.open_entry(program.id, me.id, day, now)
    await u.conversations.set(me.id, FLOW, program.id, now)
    await schedule_day(u, me, program, today(me.tz, now) + timedelta(days=1), now)


async def close_day(
    u: UnitOfWork, me: Me, program: WritingProgram, entry: WritingEntry, now: datetime
) -> list[int]:
    """Close a written day with its word count (5 points, once a day); all counts so far."""
    entries = await u.writing.entries(program.id)
    if earns_today(entries, me.tz, now):
        await earn(u, me, KIND, now)
    words = word_count(entry.text)
    await u.writing.close_entry(program.id, entry.day, words, now)
    if entry.day >= DAYS:
        await u.writing.set_status(program.id, "finished", None, now)
        await let_go(u, me.id, program.id)
    else:
        await u.writing.advance(program.id, entry.day + 1, now)
    return [words if e.day == entry.day else e.words or 0 for e in entries]


# -- the reminder kind --------------------------------------------------------------------------


async def _state(
    kit: Kit, u: UnitOfWork, reminder: Reminder, person: Person
) -> tuple[Me, WritingProgram, WritingEntry | None, Move] | None:
    if reminder.ref_id is None:
        return None
    program = await u.writing.get(reminder.ref_id, person.id)
    if program is None:
        return None
    entries = await u.writing.entries(program.id)
    entry = entry_of(entries, program.day)
    me = Me(person, None, await zone_of(kit, u, person))
    return me, program, entry, next_move(program, entry)


async def message(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> Reply | None:
    """The day's DM: a day's prompt, the close, a question about a missed day, or nothing."""
    async with kit.store.unit() as u:
        state = await _state(kit, u, reminder, person)
        if state is None:
            return None
        _, program, entry, move = state
        if move is Move.CARRY and entry is not None and entry.day >= DAYS:
            counts = [e.words or 0 for e in await u.writing.entries(program.id)]
            counts[-1] = word_count(entry.text)
            return close_reply(kit, program.id, counts)
    stop = kit.button("writing.button.stop", Action("write", "stop", program.id), Style.DANGER)
    resume = kit.button("writing.button.resume", Action("write", "resume", program.id))
    match move:
        case Move.OPEN:
            return day_reply(kit, program.id, program.day)
        case Move.CARRY if entry is not None:
            carried = kit.msg("writing.carried", words=word_count(entry.text))
            return day_reply(kit, program.id, program.day + 1, carried)
        case Move.MISSED:
            later = kit.button("writing.button.tomorrow", Action("write", "tomorrow", program.id))
            text = kit.msg("writing.missed", day=program.day, time=Text.of(clock(program.hour)))
            return _note(kit, program.day, text, (later, stop))
        case Move.PAUSE:
            return _note(kit, program.day, kit.msg("writing.paused_missed", day=program.day), ())
        case Move.CARE_ASK:
            return _note(kit, program.day, kit.msg("writing.care_ask"), (resume, stop))
    return None


def _note(kit: Kit, day: int, text: Text, buttons: tuple[Button, ...]) -> Reply:
    return Reply(
        title=kit.msg("writing.day_title", day=day), text=text, buttons=buttons, where=Where.DM
    )


async def delivered(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> None:
    """Once the day's DM landed: open, carry, move by a day, pause, or note the question."""
    async with kit.store.unit() as u:
        state = await _state(kit, u, reminder, person)
        if state is None:
            return
        me, program, entry, move = state
        if move is Move.OPEN:
            await open_day(u, me, program, program.day, now)
        elif move is Move.CARRY and entry is not None:
            await close_day(u, me, program, entry, now)
            if entry.day < DAYS:
                await open_day(u, me, program, entry.day + 1, now)
        elif move is Move.MISSED:
            # The empty day goes, and opens again tomorrow: the program moves by a day.
            await u.writing.discard_entry(program.id, program.day)
            await u.writing.set_asked(program.id, now)
            await let_go(u, me.id, program.id)
            await schedule_day(u, me, program, today(me.tz, now) + timedelta(days=1), now)
        elif move is Move.PAUSE:
            await u.writing.discard_entry(program.id, program.day)
            await u.writing.set_status(program.id, "paused", "missed", now)
            await let_go(u, me.id, program.id)
        elif move is Move.CARE_ASK:
            await u.writing.set_asked(program.id, now)


async def step_message(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> Reply | None:
    """The day of the next step chosen after day 5: the sentence, once."""
    if reminder.ref_id is None:
        return None
    program = await kit.store.writing.get(reminder.ref_id, person.id)
    if program is None or not program.next_step:
        return None
    return Reply(
        title=kit.msg("writing.step_title"),
        text=kit.msg("writing.step_due", step=program.next_step),
        where=Where.DM,
    )


async def stop_kind(u: UnitOfWork, me: Me, now: datetime) -> str:
    """Stopping the daily DM stops the program."""
    program = await u.writing.current(me.id)
    if program is not None:
        await u.writing.set_status(program.id, "stopped", None, now)
        await let_go(u, me.id, program.id)
    await u.reminders.cancel(me.id, KIND, now)
    return "writing.stopped"
