"""/hired: the yes at the end, celebrated, with the journey that led to it and what comes next."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot import cards_growth, streaks
from bot.actions import Action
from bot.cards_growth import LedgerCard
from bot.models import Attachment, Context, Reply, Style, Text, Where
from bot.store.records_growth import LedgerCounts
from bot.usecases.checks import clean
from bot.usecases.kit import Kit, find_me
from bot.usecases.outcome import Outcome
from bot.vocab import NAME_MAX, UserError

# The journey is everything: no row is older than the first, or newer than the last, of these.
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)
END = datetime(9999, 1, 1, tzinfo=UTC)


def _journey(kit: Kit, counts: LedgerCounts, weeks: int) -> tuple[tuple[str, str], ...]:
    """The journey as (label, value) pairs: the same for the card and its alt text."""
    connections = counts.replied + counts.referral + counts.interview
    pairs = (
        ("applications", counts.applications),
        ("nos", counts.nos),
        ("reflections", counts.reflections),
        ("skills_closed", counts.skills_closed),
        ("connections", connections),
        ("streak", weeks),
    )
    return tuple((kit.content.label(f"hired.card.{name}"), str(value)) for name, value in pairs)


async def hired(
    kit: Kit, ctx: Context, *, company: str | None = None, role: str | None = None
) -> Outcome:
    """Celebrate a yes, privately: the journey card, and three choices about what comes next."""
    company = clean(company, "company", NAME_MAX)
    role = clean(role, "role", NAME_MAX)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        hire_id = await u.hires.add(me.id, company=company, role=role, now=now)
        counts = await u.ledger.counts(me.id, BEGINNING, END)
        weeks = (await u.effort.streak(me.id, streaks.WEEK)).best
    journey = _journey(kit, counts, weeks)
    picture = LedgerCard(
        title=kit.content.label("hired.card_title"),
        subtitle=kit.content.label("hired.card_subtitle", name=ctx.person.display_name),
        stats=journey,
    )
    image = await asyncio.to_thread(cards_growth.ledger_card, picture)
    words = "; ".join(f"{label}: {value}" for label, value in journey)
    alt = kit.content.label("hired.card_alt", stats=Text.of(words))
    card = Attachment("journey.png", image, "image/png", alt)
    text = kit.msg("hired.celebrate", name=ctx.person.display_name, company=company, role=role)
    text += "\n\n" + kit.msg("hired.next")
    buttons = []
    if not ctx.in_dm and me.community.get("sharing") != "off":
        buttons += [
            kit.button("hired.button.named", Action("hired", "named", hire_id), Style.PRIMARY),
            kit.button("hired.button.anon", Action("hired", "anon", hire_id)),
        ]
    buttons += [
        kit.button("hired.button.pause", Action("hired", "pause", hire_id)),
        kit.button("hired.button.help", Action("hired", "help", hire_id)),
        kit.button("hired.button.nohelp", Action("hired", "nohelp", hire_id)),
    ]
    reply = kit.private(
        text, title=kit.msg("hired.title"), buttons=tuple(buttons), attachments=(card,)
    )
    return Outcome.of(me, [reply])


async def choice(kit: Kit, ctx: Context, how: str, hire_id: int) -> Outcome:
    """A choice after /hired: a shout-out (named or not), pausing reminders, helping others."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        if await u.hires.get(hire_id, me.id) is None:
            raise UserError("error.not_yours")
        if how in ("named", "anon"):
            if ctx.in_dm:
                raise UserError("share.not_here")
            if me.community.get("sharing") == "off":
                raise UserError("share.off")
        elif how == "pause":
            await u.people.update(me.id, dm_reminders=False)
        elif how in ("help", "nohelp"):
            await u.hires.set_helper(me.id, how == "help", now)
        else:
            raise UserError("error.unknown_button")
    if how in ("named", "anon"):
        # Only the yes, and the name if chosen: never a company, least of all past no's.
        post = (
            kit.msg("hired.post_named", name=ctx.person.display_name)
            if how == "named"
            else kit.msg("hired.post_anonymous")
        )
        done = kit.private(kit.msg("hired.shared"))
        return Outcome.of(me, [done, Reply(text=post, where=Where.CHANNEL)])
    return Outcome.of(me, [kit.private(kit.msg(f"hired.{how}_done"))])
