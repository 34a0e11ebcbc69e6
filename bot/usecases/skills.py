"""/skills: gaps a person names after a no, linked when named again, closed with dated steps."""

from __future__ import annotations

from datetime import datetime

from bot import when
from bot.actions import Action
from bot.models import Button, Context, Reply, Text, Where
from bot.skillmatch import gap_key
from bot.store.interface import UnitOfWork
from bot.store.records_growth import NamedGap, SkillGapView
from bot.usecases.care import screen
from bot.usecases.checks import clean, row_id
from bot.usecases.effort import celebrate, earn, streak_line
from bot.usecases.kit import Kit, Me, at_10, find_me, schedule
from bot.usecases.outcome import Outcome
from bot.vocab import NAME_MAX, UserError

# Ordinals with their own words; past these the count is said as a number.
ORDINALS = 5
# Buttons on /skills: one "confident now" per gap being worked on, at most this many.
BUTTONS_MAX = 5


def _gap_id(value: int | str | None) -> int:
    """A gap's number as typed; refused kindly when missing or not a number."""
    return row_id(value, "skills.need_id", "skills.bad_id")


def _linked_text(kit: Kit, named: NamedGap, company: str | None) -> Text:
    """What naming a gap did, in words: new, linked to this no, or seen before."""
    name = named.gap.name
    if named.created:
        if named.linked:
            return kit.msg("skills.added_from", name=name, company=company, n=named.gap.id)
        return kit.msg("skills.added", name=name, n=named.gap.id)
    if not named.newly_linked:
        return kit.msg("skills.known", name=name, n=named.gap.id)
    if named.linked <= ORDINALS:
        ordinal = kit.msg(f"skills.ordinal.{named.linked}")
        return kit.msg("skills.again", ordinal=ordinal, name=name, n=named.gap.id)
    return kit.msg("skills.again_many", count=named.linked, name=name, n=named.gap.id)


async def name_gap(
    kit: Kit, u: UnitOfWork, me: Me, text: str, rejection_id: int | None, now: datetime
) -> Text:
    """Add or link the gap named in text (from /skills add or a reflection's DM)."""
    name = clean(text, "name", NAME_MAX)
    if name is None:
        raise UserError("skills.need_name")
    company = None
    if rejection_id is not None:
        rejection = await u.rejections.get(rejection_id, me.id)
        company = rejection.company if rejection else None
        rejection_id = rejection.id if rejection else None
    named = await u.skills.name(me.id, name, gap_key(name), rejection_id, now)
    return _linked_text(kit, named, company)


async def skills_add(kit: Kit, ctx: Context, *, name: str | None = None) -> Outcome:
    """Name a skill gap directly; the same gap named again is the one already listed."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        text = await name_gap(kit, u, me, name or "", None, now)
    return Outcome.of(me, [kit.private(text + "\n" + kit.msg("skills.step_hint"))])


def _day(kit: Kit, moment: datetime | None, me: Me) -> Text:
    return Text.of(when.describe_day(moment, me.tz)) if moment else kit.msg("skills.no_date")


def _gap_lines(kit: Kit, me: Me, view: SkillGapView) -> Text:
    """One gap: its name and status, the no's that surfaced it, its steps."""
    gap = view.gap
    status = kit.msg(f"skills.status.{gap.status}")
    text = kit.msg("skills.item", n=gap.id, name=gap.name, status=status)
    if view.rejections:
        names = [r.company or kit.stage_label(r.stage).plain() for r in view.rejections]
        text += "\n" + kit.msg(
            "skills.came_up", count=len(view.rejections), where=Text.typed(", ".join(names))
        )
    for step in view.steps:
        key = "skills.step_done_item" if step.done_at else "skills.step_item"
        text += "\n" + kit.msg(key, step=step.text, when=_day(kit, step.due_at, me))
    return text


async def skills_list(kit: Kit, ctx: Context) -> Outcome:
    """The person's skill gaps with the no's behind each, their steps and status."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        views = await u.skills.all(me.id)
    if not views:
        return Outcome.of(me, [kit.private(kit.msg("skills.empty"))])
    text = Text()
    for index, view in enumerate(views):
        text += ("\n\n" if index else "") + _gap_lines(kit, me, view)
    text += "\n\n" + kit.msg("skills.hint", n=views[0].gap.id)
    working = [v.gap for v in views if v.gap.status == "working"][:BUTTONS_MAX]
    buttons: list[Button] = [
        kit.button("skills.button.confident", Action("skill", "confident", g.id), n=g.id)
        for g in working
    ]
    title = kit.msg("skills.title")
    return Outcome.of(me, [kit.private(text, title=title, buttons=tuple(buttons))])


async def skills_step(
    kit: Kit,
    ctx: Context,
    *,
    id: int | str | None = None,  # named as the option people type
    text: str | None = None,
    when_text: str | None = None,
) -> Outcome:
    """Add a dated step to a gap; its day becomes a reminder with Done and Snooze."""
    gap_id = _gap_id(id)
    step = clean(text, "step", NAME_MAX)
    if step is None:
        raise UserError("skills.need_step", n=gap_id)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        local = now.astimezone(me.tz)
        day = None
        if when_text and when_text.strip():
            try:
                day = when.parse_day(when_text, local.date(), local.time())
            except when.WhenError:
                raise UserError("error.bad_date", value=when_text) from None
        else:
            step, day = when.split_step_and_day(step, local.date(), local.time())
        if day is None:
            raise UserError("skills.need_day", n=gap_id)
        gap = await u.skills.get(gap_id, me.id)
        if gap is None:
            raise UserError("skills.not_found", n=str(gap_id))
        care = await screen(kit, u, me, step)
        due = at_10(day, me.tz)
        step_id = await u.skills.add_step(gap.id, me.id, step, due, now)
        comes = await schedule(u, me, "skill_step", step_id, f"skill_step:{step_id}", due, now)
    shown = Text.of(when.describe(comes, me.tz))
    reply = kit.private(kit.msg("skills.step_added", name=gap.name, step=step, when=shown))
    return Outcome.of(me, [reply], care)


async def skills_mark(
    kit: Kit,
    ctx: Context,
    *,
    id: int | str | None = None,  # named as the option people type
    status: str = "confident",
) -> Outcome:
    """Mark a gap confident now (effort: 3 points, once) or back to working on it."""
    gap_id = _gap_id(id)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        gap = await u.skills.get(gap_id, me.id)
        if gap is None:
            raise UserError("skills.not_found", n=str(gap_id))
        changed = await u.skills.set_status(gap.id, me.id, status, now)
        if not changed:
            key = "skills.already_confident" if status == "confident" else "skills.already_working"
            return Outcome.of(me, [kit.private(kit.msg(key, name=gap.name))])
        if status == "working":
            return Outcome.of(me, [kit.private(kit.msg("skills.working", name=gap.name))])
        earned = await earn(u, me, "skill_confident", now)
        cheers = await celebrate(kit, u, ctx, me, earned, now)
    text = kit.msg("skills.confident", name=gap.name) + streak_line(kit, me, earned)
    return Outcome.of(me, [kit.private(text), *cheers])


async def step_done(kit: Kit, ctx: Context, step_id: int) -> Outcome:
    """A step's Done button: the step is marked done and its reminder ends."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        step = await u.skills.step(step_id, me.id)
        if step is None:
            raise UserError("error.not_yours")
        if not await u.skills.step_done(step.id, me.id, now):
            return Outcome.of(me, [kit.private(kit.msg("skills.step_already", step=step.text))])
        await u.reminders.close(f"skill_step:{step.id}", "done", now)
    return Outcome.of(me, [kit.private(kit.msg("skills.step_marked", step=step.text))])


def name_button(kit: Kit, rejection_id: int | None) -> Button:
    """After a reflection that wrote about skills: the button to name the gap it showed."""
    return kit.button("skills.button.name", Action("skill", "name", rejection_id or 0))


async def ask_name(kit: Kit, ctx: Context, rejection_id: int) -> Outcome:
    """The invitation pressed: the next DM text names the gap (for that no, if any)."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        await u.conversations.set(me.id, "skill_gap", rejection_id or None, now)
    return Outcome.of(me, [Reply(text=kit.msg("skills.ask"), where=Where.DM)])


async def named_in_dm(
    kit: Kit, u: UnitOfWork, me: Me, rejection_id: int | None, text: str, now: datetime
) -> list[Reply]:
    """The gap typed in DMs after the invitation."""
    said = await name_gap(kit, u, me, text, rejection_id, now)
    await u.conversations.clear(me.id)
    return [Reply(text=said + "\n" + kit.msg("skills.step_hint"), where=Where.DM)]
