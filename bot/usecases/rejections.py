"""/rejected: log a rejection in one store call and answer with encouragement; sharing it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions import Action
from bot.content import Template, band
from bot.models import Context, Reply, Style, Where
from bot.store.records import (
    Person,
    RejectionLog,
    RejectionPlan,
    RejectionView,
    ReminderPlan,
    Shown,
)
from bot.usecases import ledger
from bot.usecases.care import care_for, counter_for, despite
from bot.usecases.checks import choice, clean, in_range, parse_stage
from bot.usecases.kit import (
    Kit,
    Me,
    at_10,
    choose,
    find_me,
    fit,
    me_of,
    template_key,
    today,
    zone_for,
)
from bot.usecases.outcome import Outcome
from bot.vocab import (
    DECLINED,
    FEELING_HIGH,
    FEELING_LOW,
    NAME_MAX,
    NOTE_MAX,
    OUTCOMES,
    STAGES,
    UserError,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Words(RejectionPlan):
    """A rejection's plan, with the encouragement and reframe its reply shows."""

    encouragement: Template
    reframe: Template | None


@dataclass(frozen=True, slots=True)
class Pool:
    """Messages to choose one of, the pool they are remembered in, and the chance drawn."""

    name: str
    items: Sequence[Template]
    draw: float

    def pick(self, view: RejectionView) -> tuple[Template, Shown | None]:
        """The message to show, and what to remember (nothing for a pool of one)."""
        if len(self.items) == 1:
            return self.items[0], None
        item, restart = choose(self.items, template_key, view.seen[self.name], self.draw)
        return item, Shown(self.name, item.key, restart)


def plan_reminders(
    person: Person, tz: ZoneInfo, rejection_id: int, now: datetime
) -> tuple[ReminderPlan, ...]:
    """The check-ins the person asked for after a rejection, and tomorrow's nudge to reflect."""
    day = today(tz, now)
    # Keyed by the person and the day it comes, so several rejections logged on one day share
    # one check-in (it names them all); the first one logged stays its reference.
    plans = [
        ReminderPlan(
            person.id,
            "checkin",
            rejection_id,
            f"checkin:p{person.id}:{day + timedelta(days=days)}",
            fit(person, tz, at_10(day + timedelta(days=days), tz)),
        )
        for days in person.checkin_days
    ]
    # The growth ledger: the review of this month, on the first Monday of the next.
    plans.append(ledger.plan(person, tz, now))
    if person.nudges:
        plans.append(
            ReminderPlan(
                person.id,
                "nudge",
                rejection_id,
                f"nudge:{rejection_id}",
                fit(person, tz, at_10(day + timedelta(days=1), tz)),
            )
        )
    return tuple(plans)


@dataclass(frozen=True, slots=True)
class Planner:
    """Chooses a rejection's words and reminders from what the store read: pure, no I/O.

    The store calls it inside /rejected's one transaction (for SQLite on the database's
    thread), so that one hop both reads what the choices depend on (the person's timezone,
    quiet hours and check-in days; which messages they have seen) and writes the choices,
    and the command keeps its group commit. Everything random was drawn before, on the loop.
    """

    encouragement: Pool
    reframe: Pool | None
    default_timezone: str
    now: datetime

    @property
    def pools(self) -> tuple[str, ...]:
        """The pools whose seen keys the plan needs (a pool of one needs none)."""
        pools = (self.encouragement, self.reframe)
        return tuple(p.name for p in pools if p is not None and len(p.items) > 1)

    def __call__(self, view: RejectionView) -> Words:
        """The plan for this rejection."""
        person = view.person
        tz = zone_for(person.timezone, view.community_timezone, self.default_timezone)
        encouragement, first = self.encouragement.pick(view)
        reframe, second = self.reframe.pick(view) if self.reframe else (None, None)
        return Words(
            reminders=plan_reminders(view.person, tz, view.rejection_id, self.now),
            shown=tuple(s for s in (first, second) if s is not None),
            encouragement=encouragement,
            reframe=reframe,
        )


def planner(
    kit: Kit, stage: str, feeling: int | None, now: datetime, outcome: str = "rejected"
) -> Planner:
    """The plan for a rejection at a stage (or an offer declined), with its chance drawn now."""
    feeling_band = band(feeling)
    declined = outcome == DECLINED
    # A declined offer has its own words: it was the person's choice, not a no.
    pool = DECLINED if declined else stage
    encouragement = Pool(
        f"enc.{pool}.{feeling_band}",
        kit.content.encouragement[(pool, feeling_band)],
        kit.rng.random(),
    )
    reframe = None
    # A low day is the lowest feeling: the reply stays short, without a reframe. Reframes
    # speak of a no, so a declined offer has none.
    if feeling != 1 and not declined:
        theme = kit.rng.choice(kit.content.stage_themes[stage])
        reframe = Pool(f"reframe.{theme}", kit.content.themes[theme].reframes, kit.rng.random())
    return Planner(encouragement, reframe, kit.default_timezone, now)


async def rejected(
    kit: Kit,
    ctx: Context,
    *,
    company: str | None = None,
    role: str | None = None,
    stage: str | None = None,
    feeling: int | str | None = None,
    note: str | None = None,
    outcome: str | None = None,
) -> Outcome:
    """Log a rejection and answer privately with encouragement and a way forward."""
    given = (company, role, stage, feeling, note)
    declining = (outcome or "").strip().lower() == DECLINED
    if not declining and all(v is None or not str(v).strip() for v in given):
        # Nothing given: ask at least for the stage rather than log a no at no stage at all.
        # (An offer declined needs nothing more: its stage is the offer.)
        return Outcome([stage_question(kit)])
    try:
        kind = choice(outcome, OUTCOMES, "outcome", default="rejected")
        entry = RejectionLog(
            ctx.person,
            ctx.community,
            company=clean(company, "company", NAME_MAX),
            role=clean(role, "role", NAME_MAX),
            stage=_stage(stage, kind),
            feeling=in_range(feeling, FEELING_LOW, FEELING_HIGH, "error.feeling_range"),
            note=clean(note, "note", NOTE_MAX),
            outcome=kind,
        )
    except UserError as error:
        return await despite(kit, ctx, error, note)
    now = kit.clock.now()
    # Only the note is free text: a company or role is a name ("Suicide Prevention
    # Lifeline" is an employer, not a sign of crisis).
    concern = kit.content.safety.assess(entry.note)
    plan = planner(kit, entry.stage, entry.feeling, now, entry.outcome)
    # The busiest command: all it reads and writes is one store call, one hop, group commit.
    entry = replace(entry, pools=plan.pools, counter=counter_for(concern))
    view, words = await kit.store.rejections.log(entry, plan, now)
    me = me_of(kit, view)
    reply = _reply(kit, ctx, me, entry, view.rejection_id, words)
    return Outcome.of(me, [reply], care_for(kit, me, concern))


async def declined(
    kit: Kit,
    ctx: Context,
    *,
    company: str | None = None,
    role: str | None = None,
    feeling: int | str | None = None,
    note: str | None = None,
) -> Outcome:
    """/declined: log an offer the person turned down (/rejected stage:offer outcome:declined)."""
    return await rejected(
        kit, ctx, company=company, role=role, feeling=feeling, note=note, outcome=DECLINED
    )


def _stage(typed: str | None, outcome: str) -> str:
    """The stage of what is logged: an offer turned down is always at the offer stage."""
    if outcome != DECLINED:
        return parse_stage(typed)
    stage = parse_stage(typed) if typed and typed.strip() else "offer"
    if stage != "offer":
        raise UserError("error.declined_stage", value=typed)
    return stage


def _reply(
    kit: Kit, ctx: Context, me: Me, entry: RejectionLog, rejection_id: int, words: Words
) -> Reply:
    """The answer to /rejected: encouragement, a reframe, and what to do next."""
    low = entry.feeling == 1
    declined = entry.outcome == DECLINED
    values = {"name": ctx.person.display_name, "company": entry.company, "role": entry.role}
    text = words.encouragement.render(values) + "\n\n"
    if words.reframe is not None:
        text += words.reframe.render(values) + "\n\n"
    # On a low day the reply stays short: no reframe, no follow-up or share to think about.
    if low:
        text += kit.msg("rejected.reflect_hint_low")
    elif declined:
        text += kit.msg("rejected.reflect_hint_declined")
    else:
        text += kit.msg("rejected.reflect_hint")
    label = kit.stage_label(entry.stage)
    if declined:
        title = kit.msg("rejected.title_declined", company=entry.company)
    elif entry.company:
        title = kit.msg("rejected.title_at", stage_label=label, company=entry.company)
    else:
        title = kit.msg("rejected.title", stage_label=label)
    buttons = [
        kit.button("button.reflect_now", Action("reflect", "start", rejection_id), Style.PRIMARY)
    ]
    if not low:
        buttons.append(kit.button("button.follow_up", Action("followup", "new", rejection_id)))
    if not low and not ctx.in_dm and me.community.get("sharing") != "off":
        buttons.append(kit.button("button.share", Action("share", "ask", rejection_id)))
    if entry.feeling is not None and entry.feeling <= 2:
        # A hard no: the five-day writing program is offered, never started for them.
        buttons.append(kit.button("writing.button.offer", Action("write", "offer")))
    buttons.append(kit.button("button.not_now", Action("rejected", "later", rejection_id)))
    return Reply(text=text, title=title, buttons=tuple(buttons))


async def later(kit: Kit, ctx: Context) -> Outcome:
    """The person chose to leave the rejection for now."""
    return Outcome([kit.private(kit.msg("rejected.later"))])


async def share(kit: Kit, ctx: Context, rejection_id: int, how: str) -> Outcome:
    """Ask how to share a rejection with the community, then post only what was chosen."""
    if ctx.in_dm:
        raise UserError("share.not_here")
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        rejection = await u.rejections.get(rejection_id, me.id)
        # Refused inside the unit, so a missed-DM notice found on arrival is not used up.
        if rejection is None:
            raise UserError("error.not_yours")
        if me.community.get("sharing") == "off":
            raise UserError("share.off")
    if how == "ask":
        buttons = (
            kit.button("button.share_named", Action("share", "named", rejection_id)),
            kit.button("button.share_anonymous", Action("share", "anon", rejection_id)),
            kit.button("button.cancel", Action("share", "cancel", rejection_id)),
        )
        return Outcome.of(me, [kit.private(kit.msg("share.ask"), buttons=buttons)])
    if how == "cancel":
        return Outcome.of(me, [kit.private(kit.msg("share.cancelled"))])
    label = kit.stage_label(rejection.stage)
    # Only the stage and, by choice, the name: never the company, role or note.
    name = ctx.person.display_name
    if rejection.declined:
        post = (
            kit.msg("share.declined_named", name=name)
            if how == "named"
            else kit.msg("share.declined_anonymous")
        )
    elif how == "named":
        post = kit.msg("share.post_named", name=name, stage_label=label)
    else:
        post = kit.msg("share.post_anonymous", stage_label=label)
    return Outcome.of(
        me, [kit.private(kit.msg("share.done")), Reply(text=post, where=Where.CHANNEL)]
    )


def stage_question(kit: Kit) -> Reply:
    """A bare /rejected: which stage the no came at, one button per stage (see press)."""
    buttons = tuple(
        kit.button(f"timeline.stage_button.{stage}", Action("rejected", "stage", index))
        for index, stage in enumerate(STAGES)
    )
    return kit.private(kit.msg("timeline.ask_stage"), buttons=buttons)


async def at_stage(kit: Kit, ctx: Context, index: int) -> Outcome:
    """A stage picked after a bare /rejected: log the no at that stage."""
    if index >= len(STAGES):
        raise UserError("error.unknown_button")
    return await rejected(kit, ctx, stage=STAGES[index])
