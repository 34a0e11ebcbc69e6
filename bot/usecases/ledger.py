"""The monthly ledger: what a month's no's led to, privately, by DM and with /ledger."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import cards_growth, insights
from bot.actions import Action
from bot.cards_growth import LedgerCard
from bot.models import Attachment, Context, Reply, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import Person, Reminder, ReminderPlan
from bot.store.records_growth import LedgerCounts
from bot.usecases.kit import Kit, Me, at_10, find_me, fit, schedule, zone_of
from bot.usecases.outcome import Outcome

# Each line of the ledger: its message key and the count it shows, in reading order.
LINES = (
    ("ledger.nos", "nos"),
    ("ledger.applications", "applications"),
    ("ledger.reflections", "reflections"),
    ("ledger.skills_worked", "skills_worked"),
    ("ledger.skills_closed", "skills_closed"),
    ("ledger.followups_sent", "followups_sent"),
    ("ledger.steps_done", "steps_done"),
)
OUTCOMES = ("replied", "referral", "interview", "no_reply")
KIND = "ledger"


def plan(person: Person, tz: ZoneInfo, now: datetime) -> ReminderPlan:
    """The DM that reviews the month now falls in, on the first Monday after it, at 10:00.

    One per person and month (the key), however many times it is planned.
    """
    local = now.astimezone(tz)
    due = at_10(insights.review_day(local.year, local.month), tz)
    key = f"{KIND}:p{person.id}:{local.year:04d}-{local.month:02d}"
    return ReminderPlan(person.id, KIND, None, key, fit(person, tz, due))


def _month_name(year: int, month: int) -> Text:
    return Text.of(f"{date(year, month, 1):%B %Y}")


def _text(kit: Kit, counts: LedgerCounts) -> Text:
    """The ledger in words: a line per count that is not zero, and what follow-ups led to."""
    lines = [
        kit.msg(key, count=getattr(counts, name)) for key, name in LINES if getattr(counts, name)
    ]
    led = [
        kit.msg(f"ledger.outcome.{name}", count=getattr(counts, name))
        for name in OUTCOMES
        if getattr(counts, name)
    ]
    if led:
        joined = Text()
        for index, part in enumerate(led):
            joined += (", " if index else "") + part
        lines.append(kit.msg("ledger.led_to", outcomes=joined))
    text = Text()
    for index, line in enumerate(lines):
        text += ("\n" if index else "") + "· " + line
    return text


def empty(counts: LedgerCounts) -> bool:
    """True when nothing at all happened in the span."""
    return not any(getattr(counts, name) for name in counts.__slots__)


async def review(kit: Kit, counts: LedgerCounts, month: Text, *, so_far: bool) -> Reply | None:
    """The ledger of a month as a reply with its card; None when the month holds nothing."""
    title = kit.msg("ledger.title_so_far" if so_far else "ledger.title", month=month)
    if empty(counts):
        return None
    intro = kit.msg("ledger.intro_so_far" if so_far else "ledger.intro", month=month)
    text = intro + "\n" + _text(kit, counts) + "\n\n" + kit.msg("ledger.private")
    card = await _card(kit, counts, month)
    return Reply(text=text, title=title, attachments=(card,))


async def _card(kit: Kit, counts: LedgerCounts, month: Text) -> Attachment:
    """The ledger as a picture (drawn off the event loop), with alt text saying the same."""
    stats = tuple(
        (kit.content.label(f"ledger.card.{name}"), str(getattr(counts, name))) for _, name in LINES
    )
    connections = counts.replied + counts.referral + counts.interview
    picture = LedgerCard(
        title=kit.content.label("ledger.card_title"),
        subtitle=kit.content.label("ledger.card_subtitle", month=month),
        stats=(*stats, (kit.content.label("ledger.card.connections"), str(connections))),
    )
    image = await asyncio.to_thread(cards_growth.ledger_card, picture)
    words = "; ".join(f"{label}: {value}" for label, value in picture.stats)
    alt = kit.content.label("ledger.card_alt", month=month, stats=Text.of(words))
    return Attachment("ledger.png", image, "image/png", alt)


async def ledger_view(kit: Kit, ctx: Context) -> Outcome:
    """/ledger: this month so far, privately, with its card."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        local = now.astimezone(me.tz)
        window = insights.month_window(local.year, local.month, me.tz)
        counts = await u.ledger.counts(me.id, window.start, window.end)
    month = _month_name(local.year, local.month)
    shown = await review(kit, counts, month, so_far=True)
    if shown is None:
        return Outcome.of(me, [kit.private(kit.msg("ledger.empty", month=month))])
    return Outcome.of(
        me, [kit.private(shown.text, title=shown.title, attachments=shown.attachments)]
    )


async def message(kit: Kit, reminder: Reminder, person: Person, now: datetime) -> Reply | None:
    """The monthly DM: the month its key names, reviewed; none when that month held nothing."""
    found = insights.month_of(reminder.key.rsplit(":", 1)[-1])
    if found is None:
        return None
    async with kit.store.unit() as u:
        tz = await zone_of(kit, u, person)
        window = insights.month_window(*found, tz)
        counts = await u.ledger.counts(person.id, window.start, window.end)
    shown = await review(kit, counts, _month_name(*found), so_far=False)
    if shown is None:
        return None
    # A month looked back on is one of the moments the writing program is offered (issue 18).
    offer = kit.button("writing.button.offer", Action("write", "offer"))
    return Reply(
        text=shown.text,
        title=shown.title,
        attachments=shown.attachments,
        buttons=(offer,),
        where=Where.DM,
    )


async def plan_now(u: UnitOfWork, me: Me, now: datetime) -> None:
    """Plan the review of the month now falls in (once per month: the key)."""
    planned = plan(me.person, me.tz, now)
    await schedule(u, me, KIND, None, planned.key, planned.due, now)
