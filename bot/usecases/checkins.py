"""Check-ins: how a person is doing (mood 1-5), the note they add, and the five mood buttons."""

from __future__ import annotations

from datetime import datetime, time

from bot.actions import Action
from bot.models import Button, Context, Reply, Text, Where
from bot.store.interface import UnitOfWork
from bot.usecases.care import despite, low_week, screen
from bot.usecases.checks import clean, in_range
from bot.usecases.effort import celebrate, earn, standing, streak_line
from bot.usecases.kit import Kit, Me, find_me, pick_text, today
from bot.usecases.outcome import Outcome
from bot.vocab import FEELING_HIGH, FEELING_LOW, NOTE_MAX, UserError


def mood_buttons(kit: Kit) -> tuple[Button, ...]:
    """One button per mood, 1 to 5."""
    return tuple(
        kit.button("button.mood", Action("checkin", "mood", n), n=n)
        for n in range(FEELING_LOW, FEELING_HIGH + 1)
    )


async def checkin(
    kit: Kit, ctx: Context, mood: int | str | None = None, note: str | None = None
) -> Outcome:
    """Record how the person is doing (mood 1-5), or ask them with five buttons."""
    try:
        mood_value = in_range(mood, FEELING_LOW, FEELING_HIGH, "error.mood_range")
        note = clean(note, "note", NOTE_MAX)
    except UserError as error:
        return await despite(kit, ctx, error, note)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        if mood_value is None:
            if note is not None:
                raise UserError("checkin.need_mood")
            return Outcome.of(me, [await _ask(kit, u, ctx, me, now)])
        return await _record(kit, u, ctx, me, mood_value, note, now)


async def _ask(kit: Kit, u: UnitOfWork, ctx: Context, me: Me, now: datetime) -> Reply:
    """The question of a check-in, answered with a mood button."""
    question = await pick_text(kit, u, me.id, "checkin.q", kit.content.checkin_questions, now)
    text = question.render(name=ctx.person.display_name) + "\n" + kit.msg("checkin.ask")
    return kit.private(text, buttons=mood_buttons(kit))


async def _record(
    kit: Kit, u: UnitOfWork, ctx: Context, me: Me, mood: int, note: str | None, now: datetime
) -> Outcome:
    """Store a check-in, earn its point, and answer in the tone of the mood."""
    conversation = await u.conversations.get(me.id)
    if note is None and conversation and conversation.flow == "checkin":
        note = conversation.payload  # typed before the mood button was pressed
    care = await screen(kit, u, me, note)
    # Check-ins earn one point a day: checking in is welcome any time, but not a points tap.
    again = await _checked_in_today(u, me, now)
    checkin_id = await u.checkins.add(me.id, mood, note, now)
    if mood == 1 and care is None:
        # A second very low day in a week: check in gently, with the same resources.
        care = await low_week(kit, u, me, now)
    earned = await standing(u, me, now) if again else await earn(u, me, "checkin", now)
    # A low day gets a short, gentle reply: no streak line and no milestone cheer.
    celebrations = [] if mood == 1 else await celebrate(kit, u, ctx, me, earned, now, care)
    response = await pick_text(
        kit, u, me.id, f"checkin.{mood}", kit.content.checkin_responses[mood], now
    )
    ask_note = ctx.in_dm and note is None
    if ask_note:
        await u.conversations.set(me.id, "checkin_note", checkin_id, now)
    elif conversation and conversation.flow == "checkin":
        await u.conversations.clear(me.id)
    text = (
        response.render(name=ctx.person.display_name)
        + "\n\n"
        + kit.msg("checkin.saved_again" if again else "checkin.saved")
        + streak_line(kit, me, earned, low=mood == 1, care=care)
    )
    if ask_note:
        text += "\n" + kit.msg("checkin.note_prompt")
    return Outcome.of(me, [kit.private(text), *celebrations], care)


async def _checked_in_today(u: UnitOfWork, me: Me, now: datetime) -> bool:
    """True when the person already checked in today, in their own timezone."""
    midnight = datetime.combine(today(me.tz, now), time(0), tzinfo=me.tz)
    for mood in range(FEELING_LOW, FEELING_HIGH + 1):
        if await u.checkins.count(me.id, mood, midnight):
            return True
    return False


async def note_text(
    kit: Kit, u: UnitOfWork, me: Me, flow: str, ref_id: int | None, text: str, now: datetime
) -> list[Reply]:
    """A DM typed around a check-in: a note for the one just saved, or before the mood."""
    note = clean(text, "note", NOTE_MAX)
    if note is None:
        raise UserError("error.empty", field=Text.of("note"))
    if flow == "checkin_note" and ref_id is not None:
        await u.checkins.set_note(ref_id, me.id, note)
        await u.conversations.clear(me.id)
        return [Reply(text=kit.msg("checkin.note_saved"), where=Where.DM)]
    await u.conversations.set(me.id, "checkin", ref_id, now, payload=note)
    return [Reply(text=kit.msg("checkin.held"), buttons=mood_buttons(kit), where=Where.DM)]
