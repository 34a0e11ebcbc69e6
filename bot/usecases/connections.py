"""Follow-ups that become connections: a week after a note is sent, ask what it led to."""

from __future__ import annotations

from datetime import datetime

from bot.actions import Action
from bot.models import Button, Context, Reply, Style, Where
from bot.store.records import Person, Reminder
from bot.usecases import followups
from bot.usecases.kit import Kit, at_10, find_me, schedule, today
from bot.usecases.outcome import Outcome
from bot.vocab import UserError

# A button's word for each answer, and the outcome it records (None: not decided yet).
ANSWERS = {
    "replied": "replied",
    "referral": "referral",
    "interview": "interview",
    "notyet": None,
    "noreply": "no_reply",
}
# Outcomes that made a connection: a hello weeks later keeps it warm.
CONNECTED = frozenset({"replied", "referral", "interview"})
# "Not yet" is asked about once more; after that, no more questions.
MAX_ASKS = 2


def outcome_buttons(kit: Kit, followup_id: int) -> tuple[Button, ...]:
    """The answers to "did they reply?", each acting on the follow-up."""
    return tuple(
        kit.button(
            f"connect.button.{word}",
            Action("outcome", word, followup_id),
            Style.PRIMARY if word == "replied" else Style.SECONDARY,
        )
        for word in ANSWERS
    )


async def ask_message(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> Reply | None:
    """The question a week after a note was sent; none once its outcome is known."""
    if reminder.ref_id is None:
        return None
    followup = await kit.store.followups.get(reminder.ref_id, person.id)
    if followup is None or followup.status != "sent":
        return None
    known = await kit.store.outcomes.get(followup.id, person.id)
    if known is not None and known.outcome is not None:
        return None
    contact = followup.contact or kit.msg("followup.someone")
    return Reply(
        title=kit.msg("connect.ask_title", contact=contact),
        text=kit.msg("connect.ask", contact=contact, company=followup.company),
        buttons=outcome_buttons(kit, followup.id),
        where=Where.DM,
    )


async def asked(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> None:
    """Once the question reached the person: count it, so "not yet" asks only once more."""
    if reminder.ref_id is not None:
        await kit.store.outcomes.asked(reminder.ref_id, person.id, now)


async def answer(kit: Kit, ctx: Context, word: str, followup_id: int) -> Outcome:
    """An answer to "did they reply?" (or a request for the hello): recorded, and what follows."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        followup = await u.followups.get(followup_id, me.id)
        if followup is None or followup.status != "sent":
            raise UserError("error.not_yours")
        contact = followup.contact or kit.msg("followup.someone")
        if word == "hello":
            text = await followups.plan_hello(kit, u, me, followup, now)
            return Outcome.of(me, [kit.private(text)])
        if word not in ANSWERS:
            raise UserError("error.unknown_button")
        result = ANSWERS[word]
        if result is None:
            known = await u.outcomes.get(followup.id, me.id)
            if known is not None and known.outcome is not None:
                return Outcome.of(me, [kit.private(kit.msg("connect.already"))])
            if known is not None and known.asks >= MAX_ASKS:
                return Outcome.of(me, [kit.private(kit.msg("connect.not_yet_last"))])
            due = at_10(today(me.tz, now) + followups.ASK_AFTER, me.tz)
            key = followups.ask_key(followup.id)
            await schedule(u, me, "followup_outcome", followup.id, key, due, now, followup=True)
            text = kit.msg("connect.not_yet", contact=contact)
            return Outcome.of(me, [kit.private(text)])
        if not await u.outcomes.decide(followup.id, me.id, result, now):
            return Outcome.of(me, [kit.private(kit.msg("connect.already"))])
        await u.reminders.close(followups.ask_key(followup.id), "done", now)
        text = kit.msg(f"connect.answer.{word}", contact=contact)
        if result in CONNECTED and followup.kind != "stay_in_touch":
            text += " " + await followups.plan_hello(kit, u, me, followup, now)
            return Outcome.of(me, [kit.private(text)])
    buttons: tuple[Button, ...] = ()
    if result == "no_reply" and followup.kind != "stay_in_touch":
        hello = kit.button("connect.button.hello", Action("outcome", "hello", followup.id))
        buttons = (hello,)
    return Outcome.of(me, [kit.private(text, buttons=buttons)])
