"""Guided reflection in DMs: its prompts, answers and skips, and the next step it ends with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from bot import when
from bot.actions import Action
from bot.content import Prompt, Theme, band
from bot.models import Button, Context, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import Reflection, Rejection
from bot.templates import Template
from bot.usecases import next_step, skills
from bot.usecases.care import Care
from bot.usecases.checks import clean
from bot.usecases.effort import celebrate, earn, streak_line
from bot.usecases.kit import Kit, Me, at_10, find_me, pick, pick_text, schedule, today
from bot.usecases.outcome import Outcome
from bot.vocab import ANSWER_MAX, SKIP_WORDS, STEP_MAX, STOP_WORDS, UserError

# How many themes a reflection asks about, by how the person felt.
THEME_COUNT = {"low": 2, "middling": 3, "steady": 4}
# An answer of fewer words than this is asked its prompt's gentler follow-up, once: a word or
# two often means "not sure yet", and a smaller question helps more than the next big one.
SHORT_ANSWER_WORDS = 4
# Stages where the person usually met nobody, so no prompt may assume an interview.
NO_INTERVIEW_STAGES = frozenset({"application"})
# The conversation payload saying the last message asked a follow-up, not a new prompt.
FOLLOW_UP = "follow_up"


def choose_themes(kit: Kit, stage: str, feeling: int | None) -> list[str]:
    """The themes a reflection on a rejection at this stage asks about, in order."""
    themes = list(kit.content.stage_themes[stage])
    feeling_band = band(feeling)
    count = THEME_COUNT[feeling_band]
    if feeling_band == "low" and "resilience" in themes[:count]:
        themes.remove("resilience")
    if feeling_band == "low":
        # Someone who feels low starts with how they are doing, not with what went wrong.
        themes.insert(0, "resilience")
    for extra in ("resilience", "direction", "skills", "network"):
        if len(themes) >= count:
            break
        if extra not in themes:
            themes.append(extra)
    return themes[:count]


def prompt(kit: Kit, key: str) -> Prompt:
    """The prompt with this key, or its theme's first when the wording changed since."""
    try:
        return kit.content.prompt(key)
    except KeyError:
        return kit.content.themes[key.partition(".")[0]].prompts[0]


def prompt_reply(
    kit: Kit,
    reflection: Reflection,
    intro: Text | None,
    values: Mapping[str, Any],
    ack: Text | None = None,
) -> Reply:
    """The DM asking the reflection's current prompt, one question, with skip and stop buttons."""
    text = prompt(kit, reflection.prompt_keys[reflection.position]).ask.render(values)
    for before in (ack, intro):
        if before:
            text = before + "\n\n" + text
    return Reply(
        text=text,
        title=_title(kit, reflection, reflection.position, values),
        buttons=_buttons(kit, reflection),
        where=Where.DM,
    )


def follow_up_reply(
    kit: Kit, reflection: Reflection, ack: Text, values: Mapping[str, Any]
) -> Reply:
    """The DM asking the gentler follow-up of the prompt just answered in a few words."""
    position = reflection.position - 1
    asked = prompt(kit, reflection.prompt_keys[position])
    follow_up = kit.msg("reflect.follow_up", follow_up=asked.follow_up.render(values))
    return Reply(
        text=ack + "\n\n" + follow_up,
        title=_title(kit, reflection, position, values),
        buttons=_buttons(kit, reflection),
        where=Where.DM,
    )


def _title(kit: Kit, reflection: Reflection, position: int, values: Mapping[str, Any]) -> Text:
    theme = kit.content.themes[prompt(kit, reflection.prompt_keys[position]).theme]
    return kit.msg(
        "reflect.prompt_title",
        position=position + 1,
        count=len(reflection.prompt_keys),
        theme_title=Text.of(theme.title),
        subject=values.get("subject"),
    )


def _buttons(kit: Kit, reflection: Reflection) -> tuple[Button, ...]:
    # Skip carries the position being asked, so an old message's skip cannot skip a newer one.
    return (
        kit.button("button.skip", Action("reflect", "skip", reflection.id, reflection.position)),
        kit.button("button.stop", Action("reflect", "stop", reflection.id)),
    )


async def values_for(
    kit: Kit, u: UnitOfWork, reflection: Reflection, person_id: int
) -> dict[str, Any]:
    """The company and role a reflection's prompts may name, and how its header names it."""
    if reflection.rejection_id is None:
        return {}
    rejection = await u.rejections.get(reflection.rejection_id, person_id)
    if rejection is None:
        return {}
    return {
        "company": rejection.company,
        "role": rejection.role,
        "subject": subject(kit, rejection),
    }


def subject(kit: Kit, rejection: Rejection) -> Text | str:
    """How a reflection names its rejection: the company, else the stage ("your screening no")."""
    if rejection.company:
        return rejection.company
    if rejection.declined:
        return kit.msg("reflect.subject_declined")
    return kit.msg("reflect.subject_stage", stage_label=kit.stage_label(rejection.stage))


async def reflect(kit: Kit, ctx: Context, rejection_id: int | None = None) -> Outcome:
    """Start a guided reflection in DMs, or resume the one left open."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        current = await u.reflections.current(me.id)
        rejection = None
        if rejection_id is not None:
            rejection = await u.rejections.get(rejection_id, me.id)
            if rejection is None:
                raise UserError("error.not_yours")
        if current is not None and rejection_id is None:
            which = await _which(kit, u, me, current)
            if which is not None:
                return Outcome.of(me, [which])
        if current is not None and (rejection_id is None or current.rejection_id == rejection_id):
            reflection = current
            await u.reflections.set_status(reflection.id, "active", now)
            intro = kit.msg(
                "reflect.resume",
                position=reflection.position + 1,
                count=len(reflection.prompt_keys),
            )
        else:
            reflection, intro = await _begin(kit, u, me, rejection, now)
        await u.conversations.set(me.id, "reflection", reflection.id, now)
        values = await values_for(kit, u, reflection, me.id)
    replies = []
    if not ctx.in_dm:
        replies.append(kit.private(kit.msg("reflect.sent_to_dm")))
    replies.append(prompt_reply(kit, reflection, intro, values))
    return Outcome.of(me, replies)


async def _which(kit: Kit, u: UnitOfWork, me: Me, current: Reflection) -> Reply | None:
    """Ask which rejection to reflect on when a newer one waits behind an open reflection."""
    if current.rejection_id is None:
        return None
    latest = await u.rejections.latest(me.id)
    if latest is None or latest.id == current.rejection_id:
        return None
    older = await u.rejections.get(current.rejection_id, me.id)
    if older is None or await u.reflections.started_for(latest.id):
        return None
    text = kit.msg(
        "reflect.which",
        old=subject(kit, older),
        new=subject(kit, latest),
        position=current.position + 1,
        count=len(current.prompt_keys),
    )
    buttons = (
        kit.button("button.reflect_resume", Action("reflect", "start", older.id), Style.PRIMARY),
        kit.button("button.reflect_newer", Action("reflect", "start", latest.id)),
    )
    return kit.private(text, buttons=buttons)


def fits(item: Prompt, stage: str, general: bool) -> bool:
    """Whether a prompt suits a reflection: none about a rejection or interview that never was."""
    if item.assumes is None:
        return True
    if general:
        return False
    return item.assumes != "interview" or stage not in NO_INTERVIEW_STAGES


async def _begin(
    kit: Kit, u: UnitOfWork, me: Me, rejection: Rejection | None, now: datetime
) -> tuple[Reflection, Text]:
    """A new reflection about a rejection (the latest when none was named), and its intro."""
    if rejection is None:
        rejection = await u.rejections.latest(me.id)
    stage = rejection.stage if rejection else "other"
    # An offer the person turned down is no rejection: prompts that assume one don't fit it.
    general = rejection is None or rejection.declined
    keys = []
    for theme in choose_themes(kit, stage, rejection.feeling if rejection else None):
        suited = [p for p in kit.content.themes[theme].prompts if fits(p, stage, general)]
        chosen = await pick(kit, u, me.id, f"prompt.{theme}", suited, _key, now)
        keys.append(chosen.key)
    new_id = await u.reflections.start(me.id, rejection.id if rejection else None, stage, keys, now)
    if rejection is not None:
        await u.reminders.close(f"nudge:{rejection.id}", "cancelled", now)
    reflection = await u.reflections.get(new_id, me.id)
    assert reflection is not None
    intro = kit.msg("reflect.intro", count=len(keys))
    if rejection is None:
        intro = kit.msg("reflect.no_rejection") + "\n\n" + intro
    return reflection, intro


def _key(item: Prompt) -> str:
    return item.key


async def advance(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    answer: str | None,
    now: datetime,
    care: Care | None = None,
) -> list[Reply]:
    """Save an answer or skip, then ask its follow-up, the next prompt, or close."""
    key = reflection.prompt_keys[reflection.position]
    await u.reflections.record_answer(reflection.id, reflection.position, key, answer, now)
    if answer is None:
        return await _go_on(kit, u, me, reflection.id, now, care, None)
    ack = await _acknowledge(kit, u, me, reflection, key, now)
    if len(answer.split()) >= SHORT_ANSWER_WORDS or (care is not None and care.alone):
        return await _go_on(kit, u, me, reflection.id, now, care, ack)
    nxt = await u.reflections.get(reflection.id, me.id)
    assert nxt is not None
    await u.conversations.set(me.id, "reflection", reflection.id, now, payload=FOLLOW_UP)
    return [follow_up_reply(kit, nxt, ack, await values_for(kit, u, nxt, me.id))]


async def _follow_up_answered(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    answer: str,
    now: datetime,
    care: Care | None,
) -> list[Reply]:
    """The answer to a follow-up joins the short answer it followed, as one answer."""
    position = reflection.position - 1
    key = reflection.prompt_keys[position]
    earlier = [a.text for a in await u.reflections.answers(reflection.id) if a.position == position]
    joined = "\n".join(t for t in (*earlier, answer) if t)
    await u.reflections.record_answer(reflection.id, position, key, joined, now)
    ack = await _acknowledge(kit, u, me, reflection, key, now)
    return await _go_on(kit, u, me, reflection.id, now, care, ack)


async def _acknowledge(
    kit: Kit, u: UnitOfWork, me: Me, reflection: Reflection, key: str, now: datetime
) -> Text:
    """One line showing the answer was read: its theme's words, never the same twice in a row."""
    theme = kit.content.themes[prompt(kit, key).theme]
    chosen = await pick_text(kit, u, me.id, f"ack.{theme.key}", theme.acknowledgements, now)
    return chosen.render(await values_for(kit, u, reflection, me.id))


async def _go_on(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection_id: int,
    now: datetime,
    care: Care | None,
    ack: Text | None,
) -> list[Reply]:
    """Ask the next prompt, or close the reflection after its last."""
    nxt = await u.reflections.get(reflection_id, me.id)
    assert nxt is not None
    if care is not None and care.alone:
        # Not the moment for the next question: keep the answer and pause; the reply is
        # support alone, and /reflect picks up at the next question whenever they want.
        await u.reflections.set_status(nxt.id, "stopped", now)
        await u.conversations.clear(me.id)
        return []
    await u.conversations.set(me.id, "reflection", nxt.id, now)
    if nxt.position < len(nxt.prompt_keys):
        return [prompt_reply(kit, nxt, None, await values_for(kit, u, nxt, me.id), ack)]
    return await _close(kit, u, me, nxt, now, care, ack)


async def following_up(u: UnitOfWork, me: Me, reflection: Reflection) -> bool:
    """True when the last message asked the follow-up of this reflection's previous prompt."""
    conversation = await u.conversations.get(me.id)
    return (
        conversation is not None
        and conversation.flow == "reflection"
        and conversation.ref_id == reflection.id
        and conversation.payload == FOLLOW_UP
    )


async def _close(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    now: datetime,
    care: Care | None,
    ack: Text | None = None,
) -> list[Reply]:
    """Finish a reflection: a closing word, a next step to name, and the point it earned."""
    await u.reflections.set_status(reflection.id, "finished", now)
    answers = [a for a in await u.reflections.answers(reflection.id) if a.text]
    if not answers:
        await u.conversations.clear(me.id)
        return [Reply(text=kit.msg("reflect.closing_empty"), where=Where.DM)]
    earned = await earn(u, me, "reflection", now)
    written: dict[str, list[str]] = {}
    for a in answers:
        written.setdefault(prompt(kit, a.prompt_key).theme, []).append(a.text or "")
    titles = ", ".join(kit.content.themes[t].title.lower() for t in written)
    values = await values_for(kit, u, reflection, me.id)
    theme, step = await _step(kit, u, me, reflection, written, now)
    step = step.render(values)
    await u.reflections.set_next_step(reflection.id, step.plain(), None, now)
    await u.conversations.set(me.id, "next_step", reflection.id, now)
    closing = await pick_text(kit, u, me.id, "closing", kit.content.closings, now)
    text = (
        (ack + "\n\n" if ack else "")
        + closing.render(
            answered=len(answers), count=len(reflection.prompt_keys), themes=Text.of(titles)
        )
        + "\n\n"
        + kit.msg("reflect.next_step", step=step, theme=Text.of(theme.title.lower()))
        + "\n"
        + kit.msg("reflect.next_step_how")
        + streak_line(kit, me, earned, care=care)
    )
    buttons = step_buttons(kit, reflection.id)
    if "skills" in written and care is None:
        # The growth ledger: a reflection that wrote about skills asks to name the gap.
        text += "\n\n" + kit.msg("skills.invite")
        buttons = (*buttons, skills.name_button(kit, reflection.rejection_id))
    closing_reply = Reply(
        text=text, title=kit.msg("reflect.closing_title"), buttons=buttons, where=Where.DM
    )
    return [closing_reply, *await celebrate(kit, u, Context(me.ref), me, earned, now, care)]


async def _step(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    written: dict[str, list[str]],
    now: datetime,
) -> tuple[Theme, Template]:
    """The theme written about most, and its step closest to the words (repeats kept apart)."""
    rejection = None
    if reflection.rejection_id is not None:
        rejection = await u.rejections.get(reflection.rejection_id, me.id)
    note = rejection.note if rejection else None
    theme = kit.content.themes[next_step.most_written(kit.content, written, note)]
    interviewed = rejection is not None and reflection.stage not in NO_INTERVIEW_STAGES
    steps = next_step.steps_for(theme, interviewed)
    closest = next_step.closest_steps(steps, written[theme.key], note)
    return theme, await pick_text(kit, u, me.id, f"step.{theme.key}", closest, now)


def step_buttons(kit: Kit, reflection_id: int) -> tuple[Button, ...]:
    """When to be reminded of a next step: tomorrow, in 3 days, next week, or not at all."""
    return (
        kit.button("button.tomorrow", Action("step", "when", reflection_id, 1), Style.PRIMARY),
        kit.button("button.in_3_days", Action("step", "when", reflection_id, 3)),
        kit.button("button.next_week", Action("step", "when", reflection_id, 7)),
        kit.button("button.no_reminder", Action("step", "none", reflection_id)),
    )


async def reflection_action(
    kit: Kit, ctx: Context, action: str, reflection_id: int, position: int | None
) -> Outcome:
    """The skip and stop buttons under a prompt."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        reflection = await u.reflections.get(reflection_id, me.id)
        if reflection is None:
            raise UserError("error.not_yours")
        if reflection.status == "finished":
            raise UserError("error.gone")
        if action == "stop":
            return Outcome.of(me, await _stop(kit, u, me, reflection, now))
        # A skip button on an older prompt must not skip the prompt being asked now.
        if position != reflection.position:
            await u.conversations.set(me.id, "reflection", reflection.id, now)
            values = await values_for(kit, u, reflection, me.id)
            return Outcome.of(me, [prompt_reply(kit, reflection, None, values)])
        if await following_up(u, me, reflection):
            # Skipping a follow-up keeps the short answer and moves on to the next prompt.
            return Outcome.of(me, await _go_on(kit, u, me, reflection.id, now, None, None))
        await u.conversations.set(me.id, "reflection", reflection.id, now)
        return Outcome.of(me, await advance(kit, u, me, reflection, None, now))


async def _stop(
    kit: Kit, u: UnitOfWork, me: Me, reflection: Reflection, now: datetime
) -> list[Reply]:
    """Pause a reflection where it is; /reflect resumes it."""
    await u.reflections.set_status(reflection.id, "stopped", now)
    await u.conversations.clear(me.id)
    return [Reply(text=kit.msg("reflect.stopped"), where=Where.DM)]


def control_word(text: str) -> str | None:
    """The button ("skip" or "stop") a typed reply means, or None when it is an answer."""
    word = " ".join(text.lower().split()).strip(" .!?,")
    if word in SKIP_WORDS:
        return "skip"
    if word in STOP_WORDS:
        return "stop"
    return None


async def answer_text(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    text: str,
    now: datetime,
    care: Care | None,
) -> list[Reply]:
    """A DM answering the prompt being asked, or typing what a button does."""
    control = control_word(text)
    if control == "stop":
        return await _stop(kit, u, me, reflection, now)
    following = await following_up(u, me, reflection)
    if control == "skip":
        if following:
            return await _go_on(kit, u, me, reflection.id, now, care, None)
        return await advance(kit, u, me, reflection, None, now, care)
    answer = clean(text, "answer", ANSWER_MAX)
    if answer is None:
        raise UserError("error.empty", field=Text.of("answer"))
    if following:
        return await _follow_up_answered(kit, u, me, reflection, answer, now, care)
    return await advance(kit, u, me, reflection, answer, now, care)


async def set_step_day(
    kit: Kit,
    u: UnitOfWork,
    me: Me,
    reflection: Reflection,
    step: str | None,
    day: date,
    now: datetime,
) -> Reply:
    """Remind the person of their next step at 10:00 on a day (None keeps the step's text)."""
    key = f"next_step:{reflection.id}"
    due = await schedule(u, me, "next_step", reflection.id, key, at_10(day, me.tz), now)
    await u.reflections.set_next_step(reflection.id, step, due, now)
    await u.conversations.clear(me.id)
    return Reply(
        text=kit.msg(
            "reflect.step_set",
            step=step or reflection.next_step or "",
            when=Text.of(when.describe(due, me.tz)),
        ),
        where=Where.DM,
    )


async def step_text(
    kit: Kit, u: UnitOfWork, me: Me, reflection: Reflection, text: str, now: datetime
) -> list[Reply]:
    """A DM naming the next step, perhaps with its day ("update my CV on friday")."""
    if control_word(text) is not None:
        # "later" or "skip" here declines a reminder; it is not the name of a step.
        await u.conversations.clear(me.id)
        return [Reply(text=kit.msg("reflect.step_none"), where=Where.DM)]
    typed = clean(text, "step", STEP_MAX)
    if typed is None:
        raise UserError("error.empty", field=Text.of("step"))
    local = now.astimezone(me.tz)
    try:
        only_day: date | None = when.parse_day(typed, local.date(), local.time())
    except when.WhenError:
        only_day = None
    if only_day is not None:
        # A reply that is only a day answers "when?": the step already named keeps its words.
        return [await set_step_day(kit, u, me, reflection, None, only_day, now)]
    step, day = when.split_step_and_day(typed, local.date(), local.time())
    if day is not None:
        return [await set_step_day(kit, u, me, reflection, step, day, now)]
    await u.reflections.set_next_step(reflection.id, step, None, now)
    return [
        Reply(
            text=kit.msg("reflect.step_no_date", step=step),
            buttons=step_buttons(kit, reflection.id),
            where=Where.DM,
        )
    ]


async def step_action(
    kit: Kit, ctx: Context, action: str, reflection_id: int, days: int | None
) -> Outcome:
    """The buttons of a next step: when to be reminded, no reminder, or done."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        reflection = await u.reflections.get(reflection_id, me.id)
        if reflection is None or not reflection.next_step:
            raise UserError("error.not_yours")
        if action == "done":
            return await _step_done(kit, u, ctx, me, reflection, now)
        if action == "none":
            await u.conversations.clear(me.id)
            return Outcome.of(me, [Reply(text=kit.msg("reflect.step_none"), where=Where.DM)])
        day = today(me.tz, now) + timedelta(days=days or 1)
        return Outcome.of(me, [await set_step_day(kit, u, me, reflection, None, day, now)])


async def _step_done(
    kit: Kit, u: UnitOfWork, ctx: Context, me: Me, reflection: Reflection, now: datetime
) -> Outcome:
    """Mark a next step done, and earn its point."""
    if not await u.reflections.mark_next_step_done(reflection.id, now):
        return Outcome.of(me, [kit.private(kit.msg("reflect.step_already_done"))])
    await u.reminders.close(f"next_step:{reflection.id}", "done", now)
    earned = await earn(u, me, "next_step_done", now)
    text = kit.msg("reflect.step_done", step=reflection.next_step)
    return Outcome.of(
        me,
        [
            kit.private(text + streak_line(kit, me, earned)),
            *await celebrate(kit, u, ctx, me, earned, now),
        ],
    )
