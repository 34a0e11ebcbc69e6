"""/writeitout: the private five-day writing program, its buttons, and the writing in DMs.

When each day opens and what its DM does is bot/usecases/writing_days.py; this module is
what a person does: ask about it, start, write, close a day, stop, pick it up again, and
after day 5 read two days side by side or turn a sentence into a next step.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import when
from bot.actions import Action
from bot.models import Context, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.interface_writing import WritingProgram
from bot.usecases import writing_days as days
from bot.usecases.care import Care
from bot.usecases.checks import clean, in_range
from bot.usecases.kit import Kit, Me, at_10, find_me, schedule, today
from bot.usecases.outcome import Outcome
from bot.vocab import STEP_MAX, UserError

# Typed on its own, these close the day (read without case or trailing punctuation).
DONE_WORDS = {"done", "i'm done", "im done", "finished", "done for today", "that's it", "end"}
# The conversation flows whose DM text this module takes.
FLOWS = (days.FLOW, days.STEP_FLOW)
# How much of day 1 and day 5 the side-by-side view shows: both fit one platform message.
EXCERPT = 900


def _done_word(text: str) -> bool:
    return text.strip().lower().rstrip(".!").strip() in DONE_WORDS


def _time(hour: int) -> Text:
    return Text.of(days.clock(hour))


def _hour(kit: Kit, me: Me, hour: int | str | None) -> int:
    """The daily hour asked for (19:00 by default), refused kindly inside quiet hours."""
    chosen = in_range(hour, 0, 23, "writing.hour_range")
    chosen = days.DEFAULT_HOUR if chosen is None else chosen
    person = me.person
    if not days.hour_allowed(chosen, person.quiet_start, person.quiet_end):
        quiet = Text.of(f"{person.quiet_start}-{person.quiet_end}")
        raise UserError("writing.hour_quiet", time=_time(chosen), quiet=quiet)
    return chosen


def _standing(kit: Kit, program: WritingProgram) -> Reply:
    """Where a running or paused program stands, with what can be done about it."""
    stop = kit.button("writing.button.stop", Action("write", "stop", program.id), Style.DANGER)
    if program.status == "paused":
        resume = kit.button(
            "writing.button.resume", Action("write", "resume", program.id), Style.PRIMARY
        )
        return kit.private(kit.msg("writing.paused", day=program.day), buttons=(resume, stop))
    pause = kit.button("writing.button.pause", Action("write", "pause", program.id))
    text = kit.msg("writing.running", day=program.day, time=_time(program.hour))
    return kit.private(text, buttons=(pause, stop))


async def writeitout(kit: Kit, ctx: Context, hour: int | str | None = None) -> Outcome:
    """Offer the program (what it is, that it is private, not therapy), or say where it stands."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        program = await u.writing.current(me.id)
        if program is not None and hour is not None and program.status == "active":
            return Outcome.of(me, [await _new_hour(kit, u, me, program, _hour(kit, me, hour), now)])
        if program is not None:
            return Outcome.of(me, [_standing(kit, program)])
        chosen = _hour(kit, me, hour)
    start = kit.button(
        "writing.button.start", Action("write", "start", chosen), Style.PRIMARY, time=_time(chosen)
    )
    later = kit.button("writing.button.not_now", Action("write", "later"))
    reply = kit.private(
        kit.msg("writing.offer", time=_time(chosen)),
        title=kit.msg("writing.offer_title"),
        buttons=(start, later),
    )
    return Outcome.of(me, [reply])


async def press(kit: Kit, ctx: Context, sub: str, number: int | None) -> Outcome:
    """The program's buttons: offer, start, not now, done, stop, tomorrow, resume, compare, step."""
    if sub == "offer":
        return await writeitout(kit, ctx)
    if sub == "later":
        return Outcome([kit.private(kit.msg("writing.later"))])
    if number is None:
        raise UserError("error.unknown_button")
    if sub == "start":
        return await _start(kit, ctx, number)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        program = await u.writing.get(number, me.id)
        if program is None:
            raise UserError("error.not_yours")
        replies = await _act(kit, u, me, program, sub, now)
    return Outcome.of(me, replies)


async def _act(
    kit: Kit, u: UnitOfWork, me: Me, program: WritingProgram, sub: str, now: datetime
) -> list[Reply]:
    """A button on one program."""
    if sub == "compare":
        return [await _side_by_side(kit, u, program)]
    if sub == "step":
        await u.conversations.set(me.id, days.STEP_FLOW, program.id, now)
        return [Reply(text=kit.msg("writing.step_ask"), where=Where.DM)]
    if program.status not in ("active", "paused"):
        return [kit.private(kit.msg("writing.gone"))]
    if sub == "stop":
        await u.writing.set_status(program.id, "stopped", None, now)
        await u.reminders.cancel(me.id, days.KIND, now)
        await days.let_go(u, me.id, program.id)
        return [kit.private(kit.msg("writing.stopped"))]
    if sub == "pause":
        await u.writing.set_status(program.id, "paused", "person", now)
        await u.reminders.cancel(me.id, days.KIND, now)
        await days.let_go(u, me.id, program.id)
        return [kit.private(kit.msg("writing.paused_by_you", day=program.day))]
    if sub == "tomorrow":
        return [kit.private(kit.msg("writing.tomorrow", time=_time(program.hour)))]
    if sub == "resume":
        # Picking it up opens the day now; tomorrow's DM is planned afresh from today.
        await u.reminders.cancel(me.id, days.KIND, now)
        await u.writing.set_status(program.id, "active", None, now)
        await days.open_day(u, me, program, program.day, now)
        return [days.day_reply(kit, program.id, program.day)]
    if sub == "done":
        entry = days.entry_of(await u.writing.entries(program.id), program.day)
        if program.status != "active" or entry is None or not entry.is_open:
            return [kit.private(kit.msg("writing.gone"))]
        return await _close(kit, u, me, program, now)
    raise UserError("error.unknown_button")


async def _new_hour(
    kit: Kit, u: UnitOfWork, me: Me, program: WritingProgram, hour: int, now: datetime
) -> Reply:
    """Move a running program to another hour, from the next day that opens."""
    await u.writing.set_hour(program.id, hour, now)
    await u.reminders.cancel(me.id, days.KIND, now)
    moved = await u.writing.get(program.id, me.id) or program
    entry = days.entry_of(await u.writing.entries(program.id), program.day)
    person = me.person
    if entry is not None and entry.is_open:
        # Today's day is open: the new hour starts tomorrow.
        due = await days.schedule_day(u, me, moved, today(me.tz, now) + timedelta(days=1), now)
    else:
        first = days.first_opening(now, hour, me.tz, person.quiet_start, person.quiet_end)
        due = await days.schedule_day(u, me, moved, today(me.tz, first), now)
    shown = Text.of(when.describe(due, me.tz))
    return kit.private(kit.msg("writing.hour_changed", time=_time(hour), when=shown))


async def _start(kit: Kit, ctx: Context, hour: int) -> Outcome:
    """Start the program at a daily hour: day 1 opens at its next occurrence."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        running = await u.writing.current(me.id)
        if running is not None:
            return Outcome.of(me, [_standing(kit, running)])
        hour = _hour(kit, me, hour)
        program_id = await u.writing.start(me.id, hour, now)
        program = await u.writing.get(program_id, me.id)
        assert program is not None  # just written, in this transaction
        person = me.person
        first = days.first_opening(now, hour, me.tz, person.quiet_start, person.quiet_end)
        due = await days.schedule_day(u, me, program, today(me.tz, first), now)
    shown = Text.of(when.describe(due, me.tz))
    return Outcome.of(me, [kit.private(kit.msg("writing.started", when=shown))])


async def _close(
    kit: Kit, u: UnitOfWork, me: Me, program: WritingProgram, now: datetime
) -> list[Reply]:
    """Close today's writing: the word count and when the next day opens, nothing else."""
    entry = days.entry_of(await u.writing.entries(program.id), program.day)
    if entry is None or not entry.parts:
        return [Reply(text=kit.msg("writing.nothing_yet"), where=Where.DM)]
    counts = await days.close_day(u, me, program, entry, now)
    await days.let_go(u, me.id, program.id)
    if entry.day >= days.DAYS:
        return [days.close_reply(kit, program.id, counts)]
    comes = await _next_opening(u, me, program)
    if comes is None:
        comes = await days.schedule_day(u, me, program, today(me.tz, now) + timedelta(days=1), now)
    text = kit.msg(
        "writing.closed",
        day=entry.day,
        words=counts[-1] if counts else 0,
        next=entry.day + 1,
        when=Text.of(when.describe(comes, me.tz)),
    )
    return [Reply(text=text, where=Where.DM)]


async def _next_opening(u: UnitOfWork, me: Me, program: WritingProgram) -> datetime | None:
    """When the program's next day opens, as scheduled; None when nothing is."""
    pending = await u.reminders.for_person(me.id, ["pending"])
    return next((r.due_at for r in pending if r.kind == days.KIND and r.ref_id == program.id), None)


def _excerpt(text: str) -> tuple[str, bool]:
    """The start of a day's writing, cut at a word, and whether it was cut."""
    if len(text) <= EXCERPT:
        return text, False
    return text[:EXCERPT].rsplit(" ", 1)[0].rstrip() + " …", True


async def _side_by_side(kit: Kit, u: UnitOfWork, program: WritingProgram) -> Reply:
    """Day 1 and day 5, one after the other, privately in DMs."""
    entries = await u.writing.entries(program.id)
    first, cut_first = _excerpt(getattr(days.entry_of(entries, 1), "text", ""))
    last, cut_last = _excerpt(getattr(days.entry_of(entries, days.DAYS), "text", ""))
    text = kit.msg("writing.compare", first=first, last=last)
    if cut_first or cut_last:
        text += "\n\n" + kit.msg("writing.compare_cut")
    return Reply(title=kit.msg("writing.compare_title"), text=text, where=Where.DM)


# -- text typed in DMs ------------------------------------------------------------------------


async def take(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    flow: str | None,
    ref_id: int | None,
    text: str,
    now: datetime,
    care: Care | None,
) -> list[Reply] | None:
    """DM text for the program: a part of the open day, "done", or the step; None if not."""
    if flow == days.STEP_FLOW and ref_id is not None:
        return await _step_text(kit, u, me, ref_id, text, now, care)
    program = (
        await u.writing.get(ref_id, me.id)
        if flow == days.FLOW and ref_id is not None
        else await u.writing.current(me.id)
    )
    entry = None
    if program is not None and program.status == "active":
        entry = days.entry_of(await u.writing.entries(program.id), program.day)
    if program is None or entry is None or not entry.is_open:
        if flow == days.FLOW:
            await u.conversations.clear(me.id)
        if program is not None and program.status == "active" and _done_word(text):
            # "done" again after the day closed: say when the next one opens, not hello.
            comes = await _next_opening(u, me, program)
            shown = Text.of(when.describe(comes, me.tz)) if comes else None
            text = kit.msg("writing.between_days", day=program.day, when=shown)
            return [Reply(text=text, where=Where.DM)]
        return None
    part = text.strip()
    if care is not None and care.alone:
        # Care comes first and alone; what was written is kept, and the program pauses
        # until the person chooses (the next day's DM asks gently, once).
        if part and _fits(entry.text, entry.parts, part):
            await u.writing.add_part(program.id, entry.day, part, now)
        await u.writing.advance(program.id, program.day, now)  # clears an earlier question
        await u.writing.set_status(program.id, "paused", "care", now)
        await days.let_go(u, me.id, program.id)
        return []
    if _done_word(part):
        return await _close(kit, u, me, program, now)
    if not part:
        return []
    if not _fits(entry.text, entry.parts, part):
        held = len(entry.text)
        note = kit.msg(
            "writing.cap",
            limit=Text.of(f"{days.DAY_MAX_CHARS:,}"),
            held=Text.of(f"{held:,}"),
            left=Text.of(f"{max(0, days.DAY_MAX_CHARS - held - _gap(entry.parts)):,}"),
        )
        return [Reply(text=note, where=Where.DM)]
    await u.writing.add_part(program.id, entry.day, part, now)
    if flow != days.FLOW:
        await u.conversations.set(me.id, days.FLOW, program.id, now)
    # One quiet acknowledgement a day: a reply to every message would interrupt the writing.
    return [] if entry.parts else [Reply(text=kit.msg("writing.kept"), where=Where.DM)]


def _gap(parts: int) -> int:
    """The characters that join a new part to those before it."""
    return 2 if parts else 0


def _fits(held: str, parts: int, part: str) -> bool:
    """True when a part still fits in the day's total."""
    return len(held) + _gap(parts) + len(part) <= days.DAY_MAX_CHARS


async def _step_text(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    program_id: int,
    text: str,
    now: datetime,
    care: Care | None,
) -> list[Reply]:
    """The sentence to act on after day 5, perhaps with its day; reminded at 10:00 that day."""
    program = await u.writing.get(program_id, me.id)
    if program is None or (care is not None and care.alone):
        await u.conversations.clear(me.id)
        return []
    typed = clean(text, "step", STEP_MAX)
    if typed is None:
        raise UserError("error.empty", field=Text.of("step"))
    local = now.astimezone(me.tz)
    step, day = when.split_step_and_day(typed, local.date(), local.time())
    day = day or local.date() + timedelta(days=1)
    await u.writing.set_next_step(program.id, step, now)
    key = f"{days.STEP_KIND}:{program.id}"
    due = await schedule(u, me, days.STEP_KIND, program.id, key, at_10(day, me.tz), now)
    await u.conversations.clear(me.id)
    shown = Text.of(when.describe(due, me.tz))
    return [Reply(text=kit.msg("writing.step_set", step=step, when=shown), where=Where.DM)]
