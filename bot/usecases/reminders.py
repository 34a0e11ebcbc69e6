"""Reminders as a person meets them: what each kind says when due, and what its buttons do.

One entry per kind of reminder in KINDS: its message, what stopping it switches off, how a
snooze moves it, and what happens once it is delivered. The engine (bot/reminders.py) claims
and sends the rows; this module only decides their words and their buttons' effects.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import streaks, when
from bot.actions import Action
from bot.models import Button, Context, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import Person, Rejection, Reminder
from bot.usecases import buddy_messages, connections, followups, ledger, writing_days
from bot.usecases.boards import span
from bot.usecases.checkins import mood_buttons
from bot.usecases.kit import Kit, Me, at_10, find_me, pick_text, schedule, today, zone_of
from bot.usecases.outcome import Outcome
from bot.vocab import UserError

logger = logging.getLogger(__name__)

SNOOZE_HOURS = (1, 24, 168)
UPCOMING_SIZE = 20

Message = Callable[[Kit, Reminder, Person, datetime], Awaitable[Reply | None]]
Stop = Callable[[UnitOfWork, Me, datetime], Awaitable[str]]
Snooze = Callable[[UnitOfWork, Me, Reminder, datetime, datetime, bool], Awaitable[datetime]]
Delivered = Callable[[Kit, Reminder, Person, datetime], Awaitable[None]]


def buttons(kit: Kit, reminder: Reminder, *first: Button) -> tuple[Button, ...]:
    """A reminder's own buttons after first: snooze an hour, a day or a week, skip, stop."""
    snoozes = (
        kit.button(label, Action("rem", "snooze", reminder.id, hours))
        for label, hours in zip(
            ("button.snooze_hour", "button.tomorrow", "button.next_week"),
            SNOOZE_HOURS,
            strict=True,
        )
    )
    return (
        *first,
        *snoozes,
        kit.button("button.skip", Action("rem", "skip", reminder.id)),
        kit.button("button.stop_these", Action("rem", "stop", reminder.id), Style.DANGER),
    )


# -- what each kind says --------------------------------------------------------------------


async def _checkin_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A scheduled check-in after a rejection: a question and the five moods."""
    # Read and remember the question in one transaction: two check-ins due at once differ.
    async with kit.store.unit() as u:
        questions = kit.content.checkin_questions
        question = await pick_text(kit, u, person.id, "checkin.q", questions, now)
        about = await _checkin_about(kit, u, reminder, person, now)
    return Reply(
        title=kit.msg("reminder.checkin_title"),
        text=about
        + question.render(name=person.display_name)
        + "\n"
        + kit.msg("reminder.checkin_hint"),
        buttons=(*mood_buttons(kit), *buttons(kit, reminder)),
        where=Where.DM,
    )


def day_name(logged: date, today: date) -> Text:
    """A past day as people say it: a weekday within the week, else with its date."""
    if (today - logged).days < 7:
        return Text.of(f"{logged:%A}")
    return Text.of(f"{logged:%A} {logged.day} {logged:%B}")


def _names(rejections: list[Rejection]) -> str | None:
    """The companies, as a list people read ("Acme, Initech and Umbrella"); None if unnamed."""
    names = list(dict.fromkeys(r.company for r in rejections if r.company))
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


async def _checkin_about(
    kit: Kit, u: UnitOfWork, reminder: Reminder, person: Person, now: datetime
) -> Text:
    """What a check-in follows: every rejection logged that day, so one check-in covers them."""
    first = await u.rejections.get(reminder.ref_id, person.id) if reminder.ref_id else None
    if first is None:
        return Text()
    tz = await zone_of(kit, u, person)
    logged = first.created_at.astimezone(tz).date()
    start = when.local_to_utc(logged, time(0), tz)
    that_day = await u.rejections.logged_between(person.id, start, start + timedelta(days=1))
    day = day_name(logged, today(tz, now))
    if len(that_day) > 1:
        return kit.msg("reminder.checkin_about_many", day=day, companies=_names(that_day)) + "\n\n"
    if first.declined:
        return kit.msg("reminder.checkin_about_declined", day=day, company=first.company) + "\n\n"
    return kit.msg("reminder.checkin_about_one", day=day, company=first.company) + "\n\n"


async def _nudge_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """The day after a rejection: an invitation to reflect, unless they already began."""
    if reminder.ref_id is None:
        return None
    rejection = await kit.store.rejections.get(reminder.ref_id, person.id)
    if rejection is None or await kit.store.reflections.started_for(rejection.id):
        return None
    reflect = kit.button(
        "button.reflect_now", Action("reflect", "start", rejection.id), Style.PRIMARY
    )
    async with kit.store.unit() as u:
        tz = await zone_of(kit, u, person)
    # A snoozed nudge comes later than the day after: then "yesterday" would be untrue.
    logged, local_today = rejection.created_at.astimezone(tz).date(), today(tz, now)
    company = rejection.company
    if (local_today - logged).days == 1:
        key = "reminder.nudge_declined" if rejection.declined else "reminder.nudge"
        text = kit.msg(key, company=company)
    else:
        key = "reminder.nudge_declined_on" if rejection.declined else "reminder.nudge_on"
        text = kit.msg(key, day=day_name(logged, local_today), company=company)
    return Reply(
        title=kit.msg("reminder.nudge_title"),
        text=text,
        buttons=buttons(kit, reminder, reflect),
        where=Where.DM,
    )


async def _followup_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A follow-up due: its draft again, with a sent button; none once it is settled."""
    if reminder.ref_id is None:
        return None
    followup = await kit.store.followups.get(reminder.ref_id, person.id)
    if followup is None or followup.status != "pending":
        return None
    title_key = (
        "reminder.stay_in_touch_title"
        if followup.kind == "stay_in_touch"
        else "reminder.followup_title"
    )
    label = followups.channel_label(kit, followup.channel)
    text = (
        kit.msg("reminder.followup", channel_label=label)
        + "\n\n"
        + followups.draft_text(kit, followup, person.display_name)
    )
    sent = kit.button("button.sent", Action("followup", "sent", followup.id), Style.PRIMARY)
    return Reply(
        title=kit.msg(title_key, contact=followup.contact),
        text=text,
        buttons=buttons(kit, reminder, sent),
        where=Where.DM,
    )


async def _next_step_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A next step's day: the step, with a done button; none once it is done."""
    if reminder.ref_id is None:
        return None
    reflection = await kit.store.reflections.get(reminder.ref_id, person.id)
    if reflection is None or not reflection.next_step or reflection.next_step_done_at:
        return None
    done = kit.button("button.done", Action("step", "done", reflection.id), Style.PRIMARY)
    return Reply(
        title=kit.msg("reminder.next_step_title"),
        text=kit.msg("reminder.next_step", step=reflection.next_step),
        buttons=buttons(kit, reminder, done),
        where=Where.DM,
    )


async def _skill_step_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A skill gap's step on its day, with a done button; none once it is done."""
    if reminder.ref_id is None:
        return None
    step = await kit.store.skills.step(reminder.ref_id, person.id)
    if step is None or step.done_at is not None:
        return None
    gap = await kit.store.skills.get(step.gap_id, person.id)
    done = kit.button("button.done", Action("skill", "done", step.id), Style.PRIMARY)
    return Reply(
        title=kit.msg("reminder.skill_step_title", name=gap.name if gap else None),
        text=kit.msg("reminder.skill_step", step=step.text),
        buttons=buttons(kit, reminder, done),
        where=Where.DM,
    )


# -- what stopping, snoozing and delivering do ------------------------------------------------


async def _stop_one(u: UnitOfWork, me: Me, now: datetime) -> str:
    """A planned reminder just ends."""
    return "reminder.stopped_one"


async def _stop_checkins(u: UnitOfWork, me: Me, now: datetime) -> str:
    """Check-ins come on their own after each rejection: switch them off."""
    await u.people.update(me.id, checkin_days=())
    await u.reminders.cancel(me.id, "checkin", now)
    return "reminder.stopped_checkins"


async def _stop_nudges(u: UnitOfWork, me: Me, now: datetime) -> str:
    """Nudges come on their own after each rejection: switch them off."""
    await u.people.update(me.id, nudges=False)
    await u.reminders.cancel(me.id, "nudge", now)
    return "reminder.stopped_nudges"


async def _snooze(
    u: UnitOfWork, me: Me, reminder: Reminder, due: datetime, now: datetime, by_day: bool
) -> datetime:
    """Move a reminder to due (out of quiet hours); return when it comes now."""
    return await schedule(u, me, reminder.kind, reminder.ref_id, reminder.key, due, now)


async def _snooze_followup(
    u: UnitOfWork, me: Me, reminder: Reminder, due: datetime, now: datetime, by_day: bool
) -> datetime:
    """A follow-up's reminder moves with the follow-up itself (off weekends, by the day)."""
    if reminder.ref_id is None:
        return await schedule(u, me, reminder.kind, None, reminder.key, due, now, followup=by_day)
    return await followups.snooze(u, me, reminder.ref_id, due, now, weekdays=by_day)


async def _checkin_delivered(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> None:
    """After a check-in DM lands, a typed reply to it counts as the check-in's note."""
    # The check-in is now the last thing Rebound asked, so it replaces any older state: a note
    # typed today must not land on a check-in from days ago, or in a paused reflection
    # (which /reflect still resumes).
    async with kit.store.unit() as u:
        await u.conversations.set(person.id, "checkin", reminder.id, now)


async def _nothing(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> None:
    """Nothing follows the delivery of this kind."""


async def _unknown_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A kind this version does not know: nothing to send."""
    logger.warning("reminder %s has unknown kind %s", reminder.id, reminder.kind)
    return None


# The words for a streak note, by its kind and whether the community counts days.
STREAK_WORDS = {
    ("streak_reserve", False): "reminder.streak_reserve",
    ("streak_reserve", True): "reminder.streak_reserve_day",
    ("streak_paused", False): "reminder.streak_paused",
    ("streak_paused", True): "reminder.streak_paused_day",
}


async def _streak_message(
    kit: Kit, reminder: Reminder, person: Person, now: datetime
) -> Reply | None:
    """A reserve covered a quiet period, or the streak paused: said once, kindly, no buttons."""
    period = reminder.key.split(":")[2] if reminder.key.count(":") >= 3 else streaks.WEEK
    key = STREAK_WORDS[reminder.kind, period == streaks.DAY]
    started_again = (await kit.store.effort.streak(person.id, period)).current > 0
    if reminder.kind == "streak_paused" and started_again:
        return None  # they started again before the note came: "paused" would be untrue
    length = span(kit, period, reminder.ref_id or 0)
    return Reply(
        title=kit.msg("reminder.streak_title"),
        text=kit.msg(key, streak=length),
        where=Where.DM,
    )


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of reminder: what it says, what stop switches off, how snooze and delivery act."""

    message: Message
    stop: Stop = _stop_one
    snooze: Snooze = _snooze
    delivered: Delivered = _nothing


KINDS: dict[str, Kind] = {
    "checkin": Kind(_checkin_message, stop=_stop_checkins, delivered=_checkin_delivered),
    "nudge": Kind(_nudge_message, stop=_stop_nudges),
    "followup": Kind(_followup_message, snooze=_snooze_followup),
    "next_step": Kind(_next_step_message),
    "streak_reserve": Kind(_streak_message),
    "streak_paused": Kind(_streak_message),
    writing_days.KIND: Kind(
        writing_days.message, stop=writing_days.stop_kind, delivered=writing_days.delivered
    ),
    writing_days.STEP_KIND: Kind(writing_days.step_message),
    # Practice buddies (bot/usecases/buddy_messages.py).
    "buddy_intro": Kind(buddy_messages.intro_message),
    "buddy_check": Kind(buddy_messages.check_message),
    "buddy_paused": Kind(buddy_messages.paused_message),
    "buddy_alone": Kind(buddy_messages.alone_message),
    "buddy_unplaced": Kind(buddy_messages.unplaced_message),
    # The growth ledger.
    "skill_step": Kind(_skill_step_message),
    "followup_outcome": Kind(connections.ask_message, delivered=connections.asked),
    ledger.KIND: Kind(ledger.message),
}
UNKNOWN = Kind(_unknown_message)


# -- the use cases ----------------------------------------------------------------------------


async def message(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> Reply | None:
    """The DM a due reminder becomes, or None when it no longer applies."""
    return await KINDS.get(reminder.kind, UNKNOWN).message(kit, reminder, person, now)


async def delivered(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> None:
    """What follows once a reminder reached the person."""
    await KINDS.get(reminder.kind, UNKNOWN).delivered(kit, reminder, person, now)


async def act(kit: Kit, ctx: Context, verb: str, reminder_id: int, hours: int | None) -> Outcome:
    """A reminder's buttons: snooze it, skip this one, or stop reminders of its kind."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        reminder = await u.reminders.get(reminder_id, me.id)
        if reminder is None:
            raise UserError("error.not_yours")
        if reminder.status not in ("pending", "sending", "sent"):
            return Outcome.of(me, [kit.private(kit.msg("reminder.gone"))])
        kind = KINDS.get(reminder.kind, UNKNOWN)
        if verb == "snooze":
            if hours not in SNOOZE_HOURS:
                raise UserError("error.unknown_button")
            if hours == 1:
                due = now + timedelta(hours=1)
            else:
                due = at_10(today(me.tz, now) + timedelta(hours=hours), me.tz)
            if due <= reminder.due_at:
                # A snooze never brings a reminder forward (it was moved later since it came).
                shown = Text.of(when.describe(reminder.due_at, me.tz))
                return Outcome.of(me, [kit.private(kit.msg("reminder.snooze_kept", when=shown))])
            due = await kind.snooze(u, me, reminder, due, now, hours != 1)
            text = kit.msg("reminder.snoozed", when=Text.of(when.describe(due, me.tz)))
            return Outcome.of(me, [kit.private(text)])
        if verb == "skip":
            await u.reminders.mark(reminder.id, "skipped", now)
            return Outcome.of(me, [kit.private(kit.msg("reminder.skipped"))])
        await u.reminders.mark(reminder.id, "cancelled", now)
        return Outcome.of(me, [kit.private(kit.msg(await kind.stop(u, me, now)))])


async def follow_timezone(
    u: UnitOfWork, person_id: int, old: ZoneInfo, new: ZoneInfo, now: datetime
) -> int:
    """Move a person's pending reminders to the same local wall time in a new timezone."""
    if old.key == new.key:
        return 0
    pending = await u.reminders.for_person(person_id, ["pending"])
    for reminder in pending:
        # 10:00 in Berlin stays 10:00 in Kolkata: people plan by their clock, not by UTC.
        local = reminder.due_at.astimezone(old)
        due = when.local_to_utc(local.date(), local.time().replace(tzinfo=None), new)
        kind, ref_id = reminder.kind, reminder.ref_id
        await u.reminders.schedule(
            person_id, kind=kind, ref_id=ref_id, key=reminder.key, due=due, now=now
        )
        if kind == "followup" and ref_id is not None:
            await u.followups.update(ref_id, due=due, now=now)
        elif kind == "next_step" and ref_id is not None:
            await u.reflections.set_next_step(ref_id, None, due, now)
    return len(pending)


async def upcoming(kit: Kit, ctx: Context) -> Outcome:
    """The person's pending reminders, soonest first, in their own time."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        pending = await u.reminders.for_person(me.id, ["pending", "sending"])
    if not pending:
        return Outcome.of(me, [kit.private(kit.msg("reminder.upcoming_empty"))])
    person = me.person
    paused = not person.dm_reminders
    text = kit.msg("reminder.upcoming_paused") + "\n" if paused else Text()
    for index, reminder in enumerate(pending[:UPCOMING_SIZE]):
        # When it will really come: not before now, and not inside the quiet hours.
        comes = when.after_quiet_hours(
            max(reminder.due_at, now), me.tz, person.quiet_start, person.quiet_end
        )
        text += ("\n" if index else "") + kit.msg(
            "reminder.upcoming_item_paused" if paused else "reminder.upcoming_item",
            when=Text.of(when.describe(comes, me.tz)),
            what=kit.msg(f"reminder.kind.{reminder.kind}"),
        )
    if len(pending) > UPCOMING_SIZE:
        text += "\n" + kit.msg("reminder.upcoming_more", count=len(pending) - UPCOMING_SIZE)
    return Outcome.of(me, [kit.private(text, title=kit.msg("reminder.upcoming_title"))])
