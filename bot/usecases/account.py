"""A person's own account: settings, journal, export, forget, support, help, home, timezone."""

from __future__ import annotations

import json
from datetime import datetime

from bot import when
from bot.actions import Action
from bot.models import Attachment, Button, Context, PersonRef, Reply, Style, Text, Where
from bot.store.interface import UnitOfWork
from bot.store.records import Answer, Person, Reflection, Rejection, ts
from bot.usecases import boards, reminders
from bot.usecases.care import resources
from bot.usecases.checks import parse_days, parse_on_off, parse_zone, preview
from bot.usecases.kit import Kit, Me, find_me
from bot.usecases.outcome import Outcome, run
from bot.usecases.reflection import prompt
from bot.usecases.reminders import follow_timezone
from bot.vocab import UserError

JOURNAL_SIZE = 5
Journal = list[tuple[Reflection, list[Answer], Rejection | None]]


async def settings(
    kit: Kit,
    ctx: Context,
    *,
    timezone: str | None = None,
    quiet: str | None = None,
    reminders: str | bool | None = None,
    leaderboard: str | bool | None = None,
    checkins: str | None = None,
    nudges: str | bool | None = None,
    weekends: str | bool | None = None,
    shoutouts: str | bool | None = None,
) -> Outcome:
    """Show the person's settings, changing any that were given."""
    tz_name = parse_zone(timezone, timezone) if timezone is not None and timezone.strip() else None
    quiet_pair = None
    if quiet is not None and quiet.strip():
        try:
            quiet_pair = when.parse_quiet(quiet)
        except when.WhenError:
            raise UserError("error.bad_quiet", value=quiet) from None
    reminders_on = parse_on_off(reminders, "reminders")
    board_on = parse_on_off(leaderboard, "leaderboard")
    checkin_days = parse_days(checkins)
    nudges_on = parse_on_off(nudges, "nudges")
    weekends_on = parse_on_off(weekends, "weekends")
    shoutouts_on = parse_on_off(shoutouts, "shoutouts")
    if (board_on is not None or shoutouts_on is not None) and ctx.in_dm:
        raise UserError("settings.not_in_community")
    given = (tz_name, quiet_pair, reminders_on, board_on, checkin_days, nudges_on)
    changed = any(v is not None for v in (*given, weekends_on, shoutouts_on))
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        await u.people.update(
            me.id,
            timezone=tz_name,
            quiet_start=quiet_pair[0] if quiet_pair else None,
            quiet_end=quiet_pair[1] if quiet_pair else None,
            dm_reminders=reminders_on,
            checkin_days=checkin_days,
            nudges=nudges_on,
            weekend_followups=weekends_on,
        )
        if tz_name is not None:
            await follow_timezone(u, me.id, me.tz, when.zone(tz_name), now)
        if checkin_days == ():
            await u.reminders.cancel(me.id, "checkin", now)
        if nudges_on is False:
            await u.reminders.cancel(me.id, "nudge", now)
        if board_on is not None and me.community_id is not None:
            await u.people.set_leaderboard(me.id, me.community_id, board_on)
        if shoutouts_on is not None and me.community_id is not None:
            await u.people.set_shoutouts(me.id, me.community_id, shoutouts_on)
        person, on_board, shouting = await _saved(u, me)
    text = kit.msg("settings.saved") if changed else kit.msg("settings.hint")
    fields = _settings_fields(kit, me, person, on_board, shouting)
    return Outcome.of(me, [kit.private(text, title=kit.msg("settings.title"), fields=fields)])


async def _saved(u: UnitOfWork, me: Me) -> tuple[Person, bool | None, bool | None]:
    """The person's settings as saved, and their opt-ins where they are (None in DMs)."""
    shouting = None
    on_board = None
    if me.community_id is not None:
        shouting = await u.people.shoutouts_on(me.id, me.community_id)
    person = await u.people.get(me.id)
    assert person is not None
    if me.community_id is not None:
        on_board = await u.people.on_leaderboard(person.id, me.community_id)
    return person, on_board, shouting


def _settings_fields(
    kit: Kit, me: Me, person: Person, on_board: bool | None, shouting: bool | None
) -> tuple[tuple[Text, Text], ...]:
    """A person's settings as they see them, defaults named."""

    def on_off(flag: bool) -> Text:
        return kit.msg("settings.on" if flag else "settings.off")

    tz_text = (
        Text.of(person.timezone)
        if person.timezone
        else kit.msg("settings.default_timezone", timezone=Text.of(me.tz.key))
    )
    quiet_text = (
        kit.msg("settings.off")
        if person.quiet_start == person.quiet_end
        else Text.of(f"{person.quiet_start}–{person.quiet_end}")
    )
    days = person.checkin_days
    checkin_text = (
        kit.msg("settings.checkin_days", days=Text.of(", ".join(map(str, days))))
        if days
        else kit.msg("settings.off")
    )
    fields = [
        (kit.msg("settings.timezone"), tz_text),
        (kit.msg("settings.quiet"), quiet_text),
        (kit.msg("settings.reminders"), on_off(person.dm_reminders)),
        (kit.msg("settings.checkins"), checkin_text),
        (kit.msg("settings.nudges"), on_off(person.nudges)),
        (kit.msg("settings.weekends"), on_off(person.weekend_followups)),
    ]
    if on_board is not None:
        fields.append((kit.msg("settings.leaderboard"), on_off(on_board)))
    if shouting is not None:
        fields.append((kit.msg("settings.shoutouts"), on_off(shouting)))
    return tuple(fields)


async def journal(kit: Kit, ctx: Context) -> Outcome:
    """The person's recent reflections and the next steps they named."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        details: Journal = []
        for reflection in await u.reflections.recent(me.id, JOURNAL_SIZE):
            answers = [a for a in await u.reflections.answers(reflection.id) if a.text]
            rejection = (
                await u.rejections.get(reflection.rejection_id, me.id)
                if reflection.rejection_id
                else None
            )
            details.append((reflection, answers, rejection))
    if not details:
        return Outcome.of(me, [kit.private(kit.msg("journal.empty"))])
    text = Text()
    buttons: list[Button] = []
    for index, entry in enumerate(details):
        if index:
            text += "\n\n"
        text += _journal_entry(kit, me, entry, buttons)
    return Outcome.of(
        me, [kit.private(text, title=kit.msg("journal.title"), buttons=tuple(buttons))]
    )


def _journal_entry(
    kit: Kit,
    me: Me,
    entry: tuple[Reflection, list[Answer], Rejection | None],
    buttons: list[Button],
) -> Text:
    """One reflection in the journal; a done button for its open next step joins buttons."""
    reflection, answers, rejection = entry
    date_text = Text.of(when.describe_day(reflection.started_at, me.tz))
    label = kit.stage_label(reflection.stage)
    if rejection and rejection.company:
        text = kit.msg(
            "journal.entry_at", date=date_text, stage_label=label, company=rejection.company
        )
    else:
        text = kit.msg("journal.entry", date=date_text, stage_label=label)
    values = {"company": rejection.company, "role": rejection.role} if rejection else {}
    for answer in answers:
        asked = prompt(kit, answer.prompt_key).ask.render(values)
        text += "\n• " + asked + "\n  " + Text.typed(preview(answer.text or ""))
    if reflection.next_step and reflection.finished_at:
        if reflection.next_step_done_at:
            return text + "\n" + kit.msg("journal.step_done", step=reflection.next_step)
        due = (
            Text.of(when.describe_day(reflection.next_step_due, me.tz))
            if reflection.next_step_due
            else None
        )
        text += "\n" + kit.msg("journal.step_open", step=reflection.next_step, when=due)
        buttons.append(
            kit.button(
                "button.step_done", Action("step", "done", reflection.id), n=len(buttons) + 1
            )
        )
    return text


async def export(kit: Kit, ctx: Context) -> Outcome:
    """Everything Rebound holds about the person, as a JSON file."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        data = await u.accounts.export(me.id)
    document = {"exported_at": ts(now), "format": "rebound-export/1", "tables": data}
    body = json.dumps(document, indent=2, ensure_ascii=False).encode()
    local_day = now.astimezone(me.tz).date().isoformat()
    attachment = Attachment(
        filename=f"rebound-export-{local_day}.json",
        data=body,
        content_type="application/json",
        description=kit.content.label("export.file"),
    )
    return Outcome.of(me, [kit.private(kit.msg("export.ready"), attachments=(attachment,))])


async def forget(kit: Kit, ctx: Context, confirmed: bool = False) -> Outcome:
    """Ask for confirmation, then erase everything Rebound holds about the person."""
    if not confirmed:
        buttons = (
            kit.button("button.forget_confirm", Action("forget", "confirm"), Style.DANGER),
            kit.button("button.cancel", Action("forget", "cancel")),
        )
        return Outcome([kit.private(kit.msg("forget.confirm"), buttons=buttons)])
    person = await kit.store.people.find(ctx.person.platform, ctx.person.user_id)
    if person is not None:
        await kit.store.accounts.forget(person.id)
    return Outcome([kit.private(kit.msg("forget.done"))])


async def forget_cancelled(kit: Kit, ctx: Context) -> Outcome:
    """The person chose not to erase their data."""
    return Outcome([kit.private(kit.msg("forget.cancelled"))])


async def support(kit: Kit, ctx: Context) -> Outcome:
    """Where to find help from a person, any time; Rebound is peer support, not therapy."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
    text = kit.msg("support.text", resources=resources(kit, me))
    return Outcome.of(me, [kit.private(text, title=kit.msg("support.title"))])


async def learn_timezone(kit: Kit, ref: PersonRef, timezone: str, now: datetime) -> None:
    """Adopt the timezone a platform reports for a person who has not set one."""
    try:
        name = when.parse_timezone(timezone)
    except when.WhenError:
        return
    async with kit.store.unit() as u:
        person = await u.people.ensure(ref, now)
        if person.timezone is None:
            await u.people.update(person.id, timezone=name)


async def home(kit: Kit, ctx: Context) -> Outcome:
    """A person's overview: streak, what is coming, recent journal, and the board."""
    # Each part is delivered on its own, so one that fails says so and the others still show.
    # A page shows no pictures: the cards are not drawn at all rather than drawn and dropped.
    replies = [
        *await run(kit, boards.streak, ctx, card=False),
        *await run(kit, reminders.upcoming, ctx),
        *await run(kit, journal, ctx),
    ]
    if not ctx.in_dm:
        replies += await run(kit, boards.leaderboard, ctx, card=False)
    # The overview is a page, not a conversation: buttons there would act out of context.
    return Outcome(
        [Reply(text=r.text, title=r.title, fields=r.fields, where=Where.PRIVATE) for r in replies]
    )


async def help_text(kit: Kit, ctx: Context) -> Outcome:
    """What Rebound can do and how to ask."""
    return Outcome([kit.private(kit.msg("help.text"), title=kit.msg("help.title"))])
