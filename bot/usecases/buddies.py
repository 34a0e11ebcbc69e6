"""Practice buddies as a person meets them: /buddy join, leave, pause, status, block, and buttons.

Nobody sees who else is in the pool: every reply here speaks of the person and, after a round,
of their own partners only. Rounds themselves run in bot/usecases/buddy_round.py; the DMs
they send are in bot/usecases/buddy_messages.py.
"""

from __future__ import annotations

from datetime import datetime, time

from bot import when
from bot.buddies import FOCUSES
from bot.models import Context, Text
from bot.store.interface import UnitOfWork
from bot.store.records import BuddySeat
from bot.usecases import buddy_round
from bot.usecases.buddy_messages import block_button, names, partners_of
from bot.usecases.checks import choice, parse_zone
from bot.usecases.effort import Earned, earn, streak_line
from bot.usecases.kit import Kit, Me, find_me, zone_for
from bot.usecases.outcome import Outcome
from bot.usecases.reminders import follow_timezone
from bot.vocab import NAME_MAX, UserError

ANSWERS = ("met", "missed", "another")
ANSWERED = {"missed": "buddy.answer_missed", "another": "buddy.answer_another"}


async def buddy(
    kit: Kit,
    ctx: Context,
    action: str | None,
    *,
    focus: str | None = None,
    timezone: str | None = None,
    until: str | None = None,
) -> Outcome:
    """/buddy join, leave, pause, status or block, in a community that turned buddies on."""
    if ctx.in_dm:
        raise UserError("buddy.not_here")
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        assert me.community_id is not None
        # Leaving works even after an admin turned buddies off: nobody is held in.
        if not me.community.get("buddies") and action != "leave":
            raise UserError("buddy.off_here")
        match action:
            case "join":
                text = await _join(kit, u, me, focus, timezone, now)
            case "leave":
                left = await u.buddies.leave(me.id, me.community_id)
                text = kit.msg("buddy.left" if left else "buddy.not_in")
            case "pause":
                text = await _pause(kit, u, me, until, now)
            case "block":
                return await _block_choices(kit, u, me)
            case _:
                text = await _status(kit, u, me, now)
    return Outcome.of(me, [kit.private(text, title=kit.msg("buddy.title"))])


async def _join(
    kit: Kit, u: UnitOfWork, me: Me, focus: str | None, timezone: str | None, now: datetime
) -> Text:
    assert me.community_id is not None
    chosen = choice(focus, FOCUSES, "focus", default="either")
    tz = me.tz
    if timezone is not None and timezone.strip():
        name = parse_zone(timezone, timezone)
        await u.people.update(me.id, timezone=name)
        await follow_timezone(u, me.id, me.tz, when.zone(name), now)
        tz = when.zone(name)
    new = await u.buddies.join(me.id, me.community_id, chosen, now)
    moment = buddy_round.next_round(me.community, now, kit.default_timezone)
    text = kit.msg(
        "buddy.joined" if new else "buddy.joined_again",
        focus=kit.msg(f"buddy.focus.{chosen}"),
        when=Text.of(when.describe(moment, tz)) if moment else None,
    )
    if not me.person.timezone and not (timezone and timezone.strip()):
        # Pairs are matched by clock: a guess (the community's) is worse than asking.
        text += "\n\n" + kit.msg("buddy.ask_timezone", zone=Text.of(tz.key))
    return text


async def _pause(kit: Kit, u: UnitOfWork, me: Me, until: str | None, now: datetime) -> Text:
    assert me.community_id is not None
    if until is not None and len(until) > NAME_MAX:
        raise UserError("error.too_long", field=Text.of("until"), length=len(until), limit=NAME_MAX)
    if until is None or not until.strip():
        if not await u.buddies.pause(me.id, me.community_id, None):
            return kit.msg("buddy.not_in")
        return kit.msg("buddy.paused")
    local_today = now.astimezone(me.tz).date()
    try:
        day = when.parse_day(until, local_today)
    except when.WhenError:
        raise UserError("buddy.bad_until", value=until) from None
    if day <= local_today:
        raise UserError("buddy.bad_until", value=until)
    back = when.local_to_utc(day, time(0), me.tz)
    if not await u.buddies.pause(me.id, me.community_id, back):
        return kit.msg("buddy.not_in")
    return kit.msg("buddy.paused_until", day=Text.of(when.describe_day(back, me.tz)))


async def _status(kit: Kit, u: UnitOfWork, me: Me, now: datetime) -> Text:
    assert me.community_id is not None
    member = await u.buddies.get(me.id, me.community_id)
    if member is None:
        return kit.msg("buddy.status_out")
    moment = buddy_round.next_round(me.community, now, kit.default_timezone)
    paused = member.paused and (member.paused_until is None or member.paused_until > now)
    if paused and member.paused_until is not None:
        state = kit.msg(
            "buddy.status_paused_until",
            day=Text.of(when.describe_day(member.paused_until, me.tz)),
        )
    elif paused:
        state = kit.msg("buddy.status_paused")
    else:
        state = kit.msg(
            "buddy.status_in",
            focus=kit.msg(f"buddy.focus.{member.focus}"),
            when=Text.of(when.describe(moment, me.tz)) if moment else None,
        )
    round_id = await u.buddy_rounds.latest(me.id, me.community_id)
    partners = partners_of(await u.buddy_rounds.group(round_id, me.id), me.id) if round_id else []
    if partners:
        state += "\n\n" + kit.msg("buddy.status_last", partners=names(partners))
    return state


async def _block_choices(kit: Kit, u: UnitOfWork, me: Me) -> Outcome:
    """/buddy block: a button for each partner of the person's latest round."""
    round_id = await u.buddy_rounds.latest(me.id, me.community_id)
    partners = partners_of(await u.buddy_rounds.group(round_id, me.id), me.id) if round_id else []
    if round_id is None or not partners:
        return Outcome.of(me, [kit.private(kit.msg("buddy.block_none"))])
    buttons = tuple(block_button(kit, round_id, seat) for seat in partners)
    text = kit.msg("buddy.block_which", partners=names(partners))
    return Outcome.of(me, [kit.private(text, buttons=buttons)])


async def press(kit: Kit, ctx: Context, sub: str, first: int, second: int | None) -> Outcome:
    """The buttons of an intro and a follow-through: met, missed, another, block; and stay."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        if sub == "stay":
            if not await u.buddies.resume(me.id, first):
                raise UserError("buddy.not_in_any")
            return Outcome.of(me, [kit.private(kit.msg("buddy.stayed"))])
        seats = await u.buddy_rounds.group(first, me.id)
        if not seats:
            raise UserError("error.not_yours")
        partners = partners_of(seats, me.id)
        if sub == "block":
            other = next((s for s in partners if s.person_id == second), None)
            if other is None:
                raise UserError("error.not_yours")
            await u.buddy_blocks.block(me.id, other.person_id, now)
            text = kit.msg("buddy.blocked", name=Text.typed(other.display_name))
            return Outcome.of(me, [kit.private(text)])
        if sub not in ANSWERS:
            raise UserError("error.unknown_button")
        await u.buddy_rounds.answer(first, me.id, sub, now)
        if sub != "met":
            return Outcome.of(me, [kit.private(kit.msg(ANSWERED[sub]))])
        text = kit.msg("buddy.answer_met", partners=names(partners))
        mine = await _credit(kit, u, first, seats, me, now)
        if mine is not None:
            text += streak_line(kit, me, mine)
        else:
            text += "\n\n" + kit.msg("buddy.met_counted")
    return Outcome.of(me, [kit.private(text)])


async def _credit(
    kit: Kit, u: UnitOfWork, round_id: int, seats: list[BuddySeat], me: Me, now: datetime
) -> Earned | None:
    """'We met' is effort for everyone in the group, once a round: what the presser earned."""
    mine = None
    setting = me.community.get("timezone")
    for seat in seats:
        if not await u.buddy_rounds.credit(round_id, seat.person_id, now):
            continue
        if seat.person_id == me.id:
            mine = await earn(u, me, "buddy_met", now)
            continue
        person = await u.people.get(seat.person_id)
        if person is None:
            continue
        tz = zone_for(person.timezone, setting, kit.default_timezone)
        partner = Me(person, me.community_id, tz, me.community)
        await earn(u, partner, "buddy_met", now)
    return mine
