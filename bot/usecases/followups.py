"""Follow-ups: plan a note to a recruiter or contact, show its draft, then sent, snooze or skip."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot import when
from bot.actions import Action
from bot.content import Template
from bot.models import Button, Context, Reply, Style, Text
from bot.store.interface import UnitOfWork
from bot.store.records import Followup, FollowupPlan
from bot.usecases.checks import choice, clean, in_range
from bot.usecases.effort import celebrate, earn, streak_line
from bot.usecases.kit import Kit, Me, at_10, find_me, fit, pick_text, schedule, today
from bot.usecases.outcome import Outcome
from bot.vocab import CHANNELS, FOLLOWUP_TYPES, NAME_MAX, UserError

LIST_SIZE = 5
STAY_IN_TOUCH_AFTER = timedelta(weeks=6)
# When to ask what a sent note led to, and again after "not yet" (once).
ASK_AFTER = timedelta(weeks=1)
# Said after a follow-up is sent; a pool, because one fixed line soon reads as canned.
SENT_LINES = ("followup.sent_1", "followup.sent_2", "followup.sent_3", "followup.sent_4")


def ask_key(followup_id: int) -> str:
    """The idempotency key of the question what a sent note led to."""
    return f"followup_outcome:{followup_id}"


def reminder_key(followup_id: int) -> str:
    """The idempotency key of a follow-up's reminder."""
    return f"followup:{followup_id}"


def draft_kind(kind: str, stage: str | None, declined: bool = False) -> str:
    """The kind of draft for a follow-up: a thank-you fits how far the process went."""
    if kind == "thanks" and declined:
        return "thank_you_declined"
    if kind == "thanks":
        return "thank_you_final" if stage in ("technical", "final", "offer") else "thank_you_screen"
    return kind


def channel_label(kit: Kit, channel: str) -> Text:
    """How a channel (email, LinkedIn, ...) reads."""
    return kit.msg(f"followup.channel.{channel}")


def draft_text(kit: Kit, followup: Followup, name: str) -> Text:
    """The draft shown when the follow-up was planned (unless the wording changed), filled in."""
    texts = kit.content.drafts[followup.kind].texts
    draft = next((t for t in texts if t.key == followup.draft_key), texts[0])
    return draft.render(draft_values(name, followup.contact, followup.company, followup.role))


def draft_values(
    name: str, contact: str | None, company: str | None, role: str | None
) -> dict[str, str | None]:
    """What a draft is filled with; people greet a contact by first name ("Hi Priya,")."""
    first_name = contact.split()[0] if contact and contact.split() else None
    return {
        "name": name,
        "contact": contact,
        "first_name": first_name,
        "company": company,
        "role": role,
    }


def _kind(kind: str | None) -> str | None:
    """The follow-up type a person asked for, or None to choose one by the stage."""
    key = (kind or "").strip().lower().replace("-", "_") or None
    if key is not None and key not in FOLLOWUP_TYPES:
        raise UserError(
            "error.bad_choice",
            field=Text.of("type"),
            value=kind,
            choices=Text.of(", ".join(FOLLOWUP_TYPES)),
        )
    return key


async def followup_add(
    kit: Kit,
    ctx: Context,
    *,
    contact: str | None = None,
    company: str | None = None,
    role: str | None = None,
    channel: str | None = None,
    when_text: str | None = None,
    kind: str | None = None,
    rejection_id: int | None = None,
) -> Outcome:
    """Plan a note to a recruiter or contact and show a draft to copy."""
    contact = clean(contact, "contact", NAME_MAX)
    company = clean(company, "company", NAME_MAX)
    role = clean(role, "role", NAME_MAX)
    channel_key = choice(channel, CHANNELS, "channel", default="email")
    kind_key = _kind(kind)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        stage, declined = None, False
        if rejection_id is not None:
            rejection = await u.rejections.get(rejection_id, me.id)
            if rejection is None:
                raise UserError("error.not_yours")
            company = company or rejection.company
            role = role or rejection.role
            stage, declined = rejection.stage, rejection.declined
        if kind_key is None:
            kind_key = "future_roles" if stage == "application" else "thanks"
        plan = FollowupPlan(
            rejection_id, contact, company, role, channel_key, draft_kind(kind_key, stage, declined)
        )
        day = _day(when_text, now.astimezone(me.tz))
        # A day the person named is kept even on a weekend; a day we chose is not.
        followup_id, draft, due = await new_followup(
            kit, u, me, plan, at_10(day, me.tz), now, chosen=bool(when_text)
        )
    values = draft_values(ctx.person.display_name, contact, company, role)
    later = tomorrow(me, now) > due
    reply = _draft_reply(kit, me, plan, followup_id, draft.render(values), due, later)
    return Outcome.of(me, [reply])


def _day(when_text: str | None, local_now: datetime) -> date:
    """The day a follow-up is due: the one the person named, else the next business day."""
    if not when_text:
        return when.next_business_day(local_now.date())
    try:
        return when.parse_day(when_text, local_now.date(), local_now.time())
    except when.WhenError:
        raise UserError("error.bad_date", value=when_text) from None


def tomorrow(me: Me, now: datetime) -> datetime:
    """When "remind me tomorrow" would bring a follow-up back: 10:00, off the weekend."""
    return fit(me.person, me.tz, at_10(today(me.tz, now) + timedelta(days=1), me.tz), followup=True)


def _draft_reply(
    kit: Kit,
    me: Me,
    plan: FollowupPlan,
    followup_id: int,
    draft: Text,
    due: datetime,
    offer_tomorrow: bool,
) -> Reply:
    """The draft to copy, when its reminder comes, and the sent / snooze / skip buttons."""
    snooze = kit.button("button.snooze_tomorrow", Action("followup", "snooze", followup_id))
    text = (
        kit.msg(
            "followup.draft_intro",
            channel_label=channel_label(kit, plan.channel),
            when=Text.of(when.describe(due, me.tz)),
        )
        + "\n\n"
        + draft
        + "\n\n"
        + kit.msg("followup.copy_hint")
    )
    return kit.private(
        text,
        title=kit.msg(
            "followup.draft_title", draft_label=Text.of(kit.content.drafts[plan.kind].label)
        ),
        buttons=(
            kit.button("button.sent", Action("followup", "sent", followup_id), Style.PRIMARY),
            # "Tomorrow" is offered only when it is later than the note is already due.
            *((snooze,) if offer_tomorrow else ()),
            kit.button("button.skip", Action("followup", "skip", followup_id)),
        ),
    )


async def new_followup(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    plan: FollowupPlan,
    due: datetime,
    now: datetime,
    *,
    chosen: bool,
) -> tuple[int, Template, datetime]:
    """Store a follow-up with its draft and schedule its reminder; return id, draft, due."""
    due = fit(me.person, me.tz, due, followup=not chosen)
    draft = await pick_text(
        kit, u, me.id, f"draft.{plan.kind}", kit.content.drafts[plan.kind].texts, now
    )
    followup_id = await u.followups.add(me.id, plan, draft_key=draft.key, due=due, now=now)
    key = reminder_key(followup_id)
    await u.reminders.schedule(
        me.id, kind="followup", ref_id=followup_id, key=key, due=due, now=now
    )
    return followup_id, draft, due


async def followup_list(kit: Kit, ctx: Context) -> Outcome:
    """The person's follow-ups still to send, with buttons to act on each."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        pending = await u.followups.pending(me.id, LIST_SIZE)
    if not pending:
        return Outcome.of(me, [kit.private(kit.msg("followup.list_empty"))])
    text = Text()
    buttons: list[Button] = []
    snooze_until = tomorrow(me, now)
    for index, followup in enumerate(pending):
        text += ("\n" if index else "") + kit.msg(
            "followup.item",
            n=followup.id,
            contact=followup.contact or kit.msg("followup.someone"),
            company=followup.company or kit.msg("followup.the_company"),
            when=Text.of(when.describe(followup.due_at, me.tz)),
            channel_label=channel_label(kit, followup.channel),
        )
        n = followup.id
        buttons += [
            kit.button("button.item_sent", Action("followup", "sent", n), n=n),
            *(
                (kit.button("button.item_snooze", Action("followup", "snooze", n), n=n),)
                if snooze_until > followup.due_at
                else ()
            ),
            kit.button("button.item_skip", Action("followup", "skip", n), n=n),
        ]
    title = kit.msg("followup.list_title")
    return Outcome.of(me, [kit.private(text, title=title, buttons=tuple(buttons))])


async def followup_mark(kit: Kit, ctx: Context, followup_id: int | str, action: str) -> Outcome:
    """Mark a follow-up sent, snooze it to tomorrow, or skip it."""
    number = in_range(followup_id, 1, 2**62, "error.gone")
    if number is None:
        raise UserError("error.empty", field=Text.of("id"))
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        followup = await u.followups.get(number, me.id)
        if followup is None:
            raise UserError("error.no_followup", n=number)
        if followup.status != "pending":
            return Outcome.of(me, [kit.private(kit.msg("followup.already"))])
        if action == "sent":
            return Outcome.of(me, await _sent(kit, u, ctx, me, followup, now))
        if action == "skip":
            await u.followups.update(followup.id, status="skipped", now=now)
            await u.reminders.close(reminder_key(followup.id), "skipped", now)
            return Outcome.of(me, [kit.private(kit.msg("followup.skipped"))])
        due = tomorrow(me, now)
        if due <= followup.due_at:
            # A snooze never brings a note forward: it is already due tomorrow or later.
            kept = kit.msg(
                "reminder.snooze_kept", when=Text.of(when.describe(followup.due_at, me.tz))
            )
            return Outcome.of(me, [kit.private(kept)])
        due = await snooze(u, me, followup.id, due, now)
    text = kit.msg("followup.snoozed", when=Text.of(when.describe(due, me.tz)))
    return Outcome.of(me, [kit.private(text)])


async def snooze(
    u: UnitOfWork, me: Me, followup_id: int, due: datetime, now: datetime, *, weekdays: bool = True
) -> datetime:
    """Move a follow-up and its reminder later: out of quiet hours, off weekends (by day).

    Return when it is due now. The SQL: Followups.update and Reminders.schedule.
    """
    fitted = fit(me.person, me.tz, due, followup=weekdays)
    key = reminder_key(followup_id)
    await u.reminders.schedule(
        me.id, kind="followup", ref_id=followup_id, key=key, due=fitted, now=now
    )
    await u.followups.update(followup_id, due=fitted, now=now)
    return fitted


async def _sent(
    kit: Kit, u: UnitOfWork, ctx: Context, me: Me, followup: Followup, now: datetime
) -> list[Reply]:
    """Mark a follow-up sent, earn its point, and plan a stay-in-touch hello weeks later."""
    await u.followups.update(followup.id, status="sent", now=now)
    await u.reminders.close(reminder_key(followup.id), "done", now)
    earned = await earn(u, me, "followup_sent", now)
    sent_lines = [kit.content.messages[key] for key in SENT_LINES]
    text = (await pick_text(kit, u, me.id, "followup.sent", sent_lines, now)).render()
    # A week on, ask what the note led to. The stay-in-touch hello is planned only after a
    # reply, or when the person asks for it: not after every note (bot/usecases/connections.py).
    ask = at_10(today(me.tz, now) + ASK_AFTER, me.tz)
    # Off the weekend, as the note itself was (unless the person allows weekend follow-ups).
    key = ask_key(followup.id)
    ask = await schedule(u, me, "followup_outcome", followup.id, key, ask, now, followup=True)
    contact = followup.contact or kit.msg("followup.someone")
    text += " " + kit.msg("connect.sent_ask", contact=contact, when=_day_of(ask, me))
    hello = kit.button("connect.button.hello", Action("outcome", "hello", followup.id))
    return [
        kit.private(text + streak_line(kit, me, earned), buttons=(hello,)),
        *await celebrate(kit, u, ctx, me, earned, now),
    ]


def _day_of(moment: datetime, me: Me) -> Text:
    return Text.of(when.describe_day(moment, me.tz))


async def plan_hello(kit: Kit, u: UnitOfWork, me: Me, followup: Followup, now: datetime) -> Text:
    """Plan the stay-in-touch hello about six weeks on, with its own draft; say when."""
    later = at_10(today(me.tz, now) + STAY_IN_TOUCH_AFTER, me.tz)
    plan = FollowupPlan(
        followup.rejection_id,
        followup.contact,
        followup.company,
        followup.role,
        followup.channel,
        "stay_in_touch",
    )
    _, _, due = await new_followup(kit, u, me, plan, later, now, chosen=False)
    return kit.msg("followup.sent_next", when=_day_of(due, me))
