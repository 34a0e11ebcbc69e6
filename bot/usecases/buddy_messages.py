"""The DMs a buddy round sends, as reminder kinds: the intro, the follow-through, and notes.

Each is planned as a reminder row when the round runs (bot/usecases/buddy_round.py) and
worded here when it is due, so it always reads what is true at sending time: a partner who
erased themselves is not named, an answered round asks nothing more.
"""

from __future__ import annotations

from datetime import datetime

from bot import when
from bot.actions import Action
from bot.models import Button, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import BuddySeat, Person, Reminder
from bot.usecases.kit import Kit
from bot.vocab import STAGES


def block_button(kit: Kit, round_id: int, seat: BuddySeat) -> Button:
    """The button that blocks one partner of a round."""
    return kit.button(
        "buddy.button_block",
        Action("buddy", "block", round_id, seat.person_id),
        Style.DANGER,
        name=Text.typed(seat.display_name),
    )


def partners_of(seats: list[BuddySeat], person_id: int) -> list[BuddySeat]:
    """Everyone in a group but the person."""
    return [s for s in seats if s.person_id != person_id]


def names(seats: list[BuddySeat]) -> Text:
    """Partners as people read a list ("Sam", "Sam and Priya"), each a mention where possible."""
    parts = [Text.mention(s.user_id, s.display_name) for s in seats]
    if not parts:
        return Text()
    out = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        out += (" and " if index == len(parts) - 1 else ", ") + part
    return out


def group_focus(seats: list[BuddySeat]) -> str:
    """What a group practises: what its members chose ("either" goes along with the rest)."""
    focuses = {s.focus for s in seats}
    if {"mock", "accountability"} <= focuses:
        return "mixed"
    return "accountability" if "accountability" in focuses else "mock"


def answer_buttons(kit: Kit, round_id: int) -> tuple[Button, ...]:
    """We met, couldn't make it, someone else next time: the round's three answers."""
    return (
        kit.button("buddy.button_met", Action("buddy", "met", round_id), Style.PRIMARY),
        kit.button("buddy.button_missed", Action("buddy", "missed", round_id)),
        kit.button("buddy.button_another", Action("buddy", "another", round_id)),
    )


async def _seats(
    kit: Kit, u: UnitOfWork, reminder: Reminder, person: Person
) -> tuple[list[BuddySeat], str]:
    """The person's group in the reminder's round, and the community's timezone name."""
    if reminder.ref_id is None:
        return [], kit.default_timezone
    seats = await u.buddy_rounds.group(reminder.ref_id, person.id)
    found = await u.buddy_rounds.round_of(reminder.ref_id)
    setting = await u.community.setting(found[0], "timezone") if found else None
    return seats, setting or kit.default_timezone


async def intro_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """Who this round's partners are, everyone's time side by side, an agenda and buttons."""
    async with kit.store.unit() as u:
        seats, community_tz = await _seats(kit, u, reminder, person)
        partners = [s for s in seats if s.person_id != person.id]
        if not partners or reminder.ref_id is None:
            return None  # every partner erased themselves since the round
        latest = await u.rejections.latest(person.id)
    stage = latest.stage if latest and latest.stage in STAGES else "other"
    focus = group_focus(seats)
    text = kit.msg(
        "buddy.intro_trio" if len(partners) > 1 else "buddy.intro",
        partners=names(partners),
        focus=kit.msg(f"buddy.focus.{focus}"),
    )
    text += "\n\n" + kit.msg(f"buddy.agenda.{focus}")
    if focus != "accountability":
        text += (
            "\n\n" + kit.msg("buddy.questions_title") + "\n" + kit.msg(f"buddy.questions.{stage}")
        )
    mine = when.zone(person.timezone or community_tz)
    fields = [(kit.msg("buddy.your_time"), Text.of(when.describe(now, mine)))]
    for seat in partners:
        tz = when.zone(seat.timezone or community_tz)
        fields.append(
            (
                kit.msg("buddy.their_time", name=Text.typed(seat.display_name)),
                Text.of(when.describe(now, tz)),
            )
        )
    buttons = answer_buttons(kit, reminder.ref_id)
    blocks = tuple(block_button(kit, reminder.ref_id, seat) for seat in partners)
    return Reply(
        title=kit.msg("buddy.intro_title"),
        text=text + "\n\n" + kit.msg("buddy.intro_close"),
        fields=tuple(fields),
        buttons=(*buttons, *blocks),
        where=Where.DM,
    )


async def check_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """Three days before the next round: how did it go? None once they answered."""
    async with kit.store.unit() as u:
        seats, _ = await _seats(kit, u, reminder, person)
    mine = next((s for s in seats if s.person_id == person.id), None)
    partners = [s for s in seats if s.person_id != person.id]
    if mine is None or mine.answer is not None or not partners or reminder.ref_id is None:
        return None
    return Reply(
        title=kit.msg("buddy.check_title"),
        text=kit.msg("buddy.check", partners=names(partners)),
        buttons=answer_buttons(kit, reminder.ref_id),
        where=Where.DM,
    )


async def paused_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """Three silent rounds paused them: say so, with a way to stay in. None if already back."""
    if reminder.ref_id is None:
        return None
    member = await kit.store.buddies.get(person.id, reminder.ref_id)
    if member is None or not member.paused:
        return None
    stay = kit.button("buddy.button_stay", Action("buddy", "stay", reminder.ref_id), Style.PRIMARY)
    return Reply(
        title=kit.msg("buddy.title"),
        text=kit.msg("buddy.auto_paused"),
        buttons=(stay,),
        where=Where.DM,
    )


async def alone_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A round with nobody else in the pool yet: a kind note, never silence."""
    return Reply(title=kit.msg("buddy.title"), text=kit.msg("buddy.alone"), where=Where.DM)


async def unplaced_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A round where no one the person could meet was free: said, and why it is no verdict."""
    return Reply(title=kit.msg("buddy.title"), text=kit.msg("buddy.unplaced"), where=Where.DM)
