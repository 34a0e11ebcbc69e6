"""The use cases: every command, button and DM reply ends up here and comes back as Replies."""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from bot import streaks, when
from bot.actions import Action
from bot.content import Content, Prompt, Template
from bot.models import Attachment, Button, Context, PersonRef, Reply, Style, Text, Where
from bot.ports import Clock
from bot.safety import Concern
from bot.store import (
    Followup,
    Person,
    Reminder,
    Store,
    StoreBusy,
    StoreFull,
    StreakRow,
    Tx,
    ts,
)
from bot.usecases import (
    boards,
    checkins,
    community,
    conversation,
    followups,
    reflection,
    rejections,
)
from bot.usecases.community import ADMIN_OPTIONS, DIGEST_DAY, DIGEST_HOUR
from bot.usecases.kit import Kit
from bot.usecases.outcome import run
from bot.vocab import (
    FEELING_HIGH,
    FEELING_LOW,
    MAX_CHECKIN_DAYS,
    OFF_WORDS,
    ON_WORDS,
    STAGE_ALIASES,
    STAGES,
    UserError,
)

logger = logging.getLogger(__name__)

# Names callers import from here, where they were defined before the use cases moved out.
__all__ = ["ADMIN_OPTIONS", "ALL_TIME", "DIGEST_DAY", "DIGEST_HOUR", "Rebound", "window_keys"]

BOARD_SIZE = 10
NEIGHBOURS = 2
JOURNAL_SIZE = 5
LIST_SIZE = 5
PREVIEW = 280

SNOOZE_HOURS = (1, 24, 168)
WEEK_MILESTONES = (4, 8, 12, 26, 52)
HEATMAP_WEEKS = 12
STAY_IN_TOUCH_AFTER = timedelta(weeks=6)

# Undelivered DMs found while serving a use case, to mention in its reply (task-local):
# (person row id, how many).
_notice: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
    "rebound_dm_notice", default=None
)
# Support to offer first in this use case's reply: (message key, resources text), task-local.
_care: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "rebound_care", default=None
)
# The care message for a sign of crisis, and the gentler one for a worrying but negated mention.
CRISIS_CARE = "safety.reply"
GENTLE_CHECK = "safety.check"

P = ParamSpec("P")
T = TypeVar("T")


def _guard(
    method: Callable[Concatenate[Rebound, Context, P], Awaitable[list[Reply]]],
) -> Callable[Concatenate[Rebound, Context, P], Awaitable[list[Reply]]]:
    """Turn any failure inside a use case into a kind, private reply; never a traceback."""

    @functools.wraps(method)
    async def wrapper(
        self: Rebound, ctx: Context, *args: P.args, **kwargs: P.kwargs
    ) -> list[Reply]:
        token = _notice.set(None)
        care_token = _care.set(None)
        try:
            replies = await method(self, ctx, *args, **kwargs)
            failed = _notice.get()
            care = _care.get()
            if care is not None and care[0] == CRISIS_CARE:
                # Care comes alone: no reframe, acknowledgement, streak line or buttons. What
                # was typed is kept; a notice about missed DMs waits for the next reply.
                if failed:
                    await self.store.note_dm_failure(failed[0], "not yet told", count=failed[1])
                return [self._support(care)]
            if failed:
                # The person missed reminders because DMs did not reach them: say so, privately.
                notice = self.content.msg("reminder.dm_failed", count=failed[1])
                replies = [self._private(notice), *replies]
            if care is not None:
                # A gentle check comes first, privately, before anything else in the reply.
                replies = [self._support(care), *replies]
            return replies
        except UserError as exc:
            return [self._private(self.content.msg(exc.key, **exc.values))]
        except StoreBusy as exc:
            logger.warning("database busy in %s: %s", method.__name__, exc)
            return [self._private(self.content.msg("error.storage_busy"))]
        except StoreFull as exc:
            logger.error("database full in %s: %s", method.__name__, exc)
            return [self._private(self.content.msg("error.storage_full"))]
        except Exception as exc:
            return self._unexpected(method.__name__, exc)
        finally:
            _care.reset(care_token)
            _notice.reset(token)

    return wrapper


@dataclass(frozen=True, slots=True)
class Me:
    """The stored person behind a context, with their community and timezone.

    The community is None in DMs; the timezone is the one their days and weeks are counted in.
    """

    person: Person
    community_id: int | None
    tz: ZoneInfo
    community: Mapping[str, str] = field(default_factory=dict)

    @property
    def period(self) -> str:
        """The streak period the community counts in: week (the default) or day."""
        return streaks.DAY if self.community.get("streak_period") == "day" else streaks.WEEK


@dataclass(frozen=True, slots=True)
class Earned:
    """A person's streaks after an action, and the milestone it reached, if any."""

    week: StreakRow
    day: StreakRow
    milestone: int | None

    def current(self, period: str) -> int:
        """The current streak in the given period."""
        return self.day.current if period == streaks.DAY else self.week.current


def _choice(value: str | None, choices: Sequence[str], field: str, *, default: str) -> str:
    """The chosen option, or a kind refusal that lists the valid ones."""
    key = (value or default).strip().lower()
    if key not in choices:
        raise UserError(
            "error.bad_choice",
            field=Text.of(field),
            value=value,
            choices=Text.of(", ".join(choices)),
        )
    return key


def _template_key(template: Template) -> str:
    return template.key


def _clean(value: str | None, field: str, limit: int) -> str | None:
    """Strip a free-text value; refuse (never cut) one that is too long."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise UserError("error.too_long", field=Text.of(field), length=len(text), limit=limit)
    return text


def parse_stage(value: str | None) -> str:
    """The stage key for what a person typed; unknown words list the valid stages."""
    if value is None or not value.strip():
        return "other"
    text = " ".join(value.strip().lower().replace("_", " ").split())
    if text in STAGES:
        return text
    if text in STAGE_ALIASES:
        return STAGE_ALIASES[text]
    raise UserError("error.unknown_stage", value=value, choices=Text.of(", ".join(STAGES)))


def parse_on_off(value: str | bool | None, field: str) -> bool | None:
    """True or False from on/off words; None when not given."""
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in ON_WORDS:
        return True
    if text in OFF_WORDS:
        return False
    raise UserError("error.bad_on_off", field=Text.of(field), value=value)


def parse_days(value: str | None) -> tuple[int, ...] | None:
    """Check-in days after a rejection from `2,7` or `off`; None when not given."""
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if text in OFF_WORDS or text == "none":
        return ()
    try:
        days = tuple(sorted({int(part) for part in text.replace(" ", ",").split(",") if part}))
    except ValueError:
        raise UserError("error.bad_days", value=value) from None
    if not days or len(days) > MAX_CHECKIN_DAYS or not all(1 <= d <= 60 for d in days):
        raise UserError("error.bad_days", value=value)
    return days


# The period key of the all-time board (weeks are "w:<monday>", months "m:<yyyy-mm>").
ALL_TIME = "all"


def window_keys(local_day: date) -> tuple[str, str]:
    """The keys of the week (by its Monday) and the month a local day belongs to."""
    monday = local_day - timedelta(days=local_day.weekday())
    return (f"w:{monday.isoformat()}", f"m:{local_day:%Y-%m}")


def me_ref(me: Me) -> PersonRef:
    """The PersonRef of a stored person."""
    person = me.person
    return PersonRef(person.platform, person.user_id, person.display_name)


def _in_range(value: int | str | None, low: int, high: int, key: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(key, value=str(value)) from None
    if not low <= number <= high:
        raise UserError(key, value=str(value))
    return number


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1].rstrip() + "…"


class Rebound:
    """Rebound's use cases. Adapters call these and deliver the Replies they return."""

    def __init__(
        self,
        store: Store,
        content: Content,
        clock: Clock,
        *,
        default_timezone: str = "UTC",
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.content = content
        self.clock = clock
        self.default_timezone = default_timezone
        self._rng = rng or random.Random()
        self._kit = Kit(store, content, clock, default_timezone, self._rng)

    # -- helpers --------------------------------------------------------------------------

    def _private(self, text: Text, **kw: Any) -> Reply:
        return Reply(text=text, where=Where.PRIVATE, **kw)

    def _unexpected(self, where: str, exc: BaseException) -> list[Reply]:
        ref = uuid.uuid4().hex[:8]
        logger.error("unexpected error in %s (ref %s)", where, ref, exc_info=exc)
        return [self._private(self.content.msg("error.unexpected", ref=Text.of(ref)))]

    def _msg(self, key: str, **values: Any) -> Text:
        return self.content.msg(key, **values)

    def _support(self, care: tuple[str, str]) -> Reply:
        key, resources = care
        return self._private(self._msg(key, resources=resources), title=self._msg("support.title"))

    def _button(self, key: str, action: Action, style: Style = Style.SECONDARY, **v: Any) -> Button:
        return Button(self.content.label(key, **v), action.format(), style)

    async def zone_of(self, person: Person) -> ZoneInfo:
        """The timezone a person's days are counted in, the same everywhere they meet Rebound.

        Their own, else that of their most recently joined community that set one, else the
        deployment's default.
        """
        if person.timezone:
            return when.zone(person.timezone)
        return await self.store.run(self._zone_in, person)

    def _zone_in(self, tx: Tx, person: Person) -> ZoneInfo:
        if person.timezone:
            return when.zone(person.timezone)
        return when.zone(tx.community_timezone_for(person.id) or self.default_timezone)

    async def _me(self, ctx: Context, now: datetime) -> Me:
        me = await self.store.run(self._me_in, ctx, now)
        if me.person.dm_failed_count:
            _notice.set((me.person.id, me.person.dm_failed_count))
        return me

    def _me_in(self, tx: Tx, ctx: Context, now: datetime) -> Me:
        """The stored person behind ctx (created on first sight), on the store's thread."""
        person = tx.ensure_person(ctx.person, now)
        if person.dm_failed_count:
            # The caller tells them (through _notice) in this reply; the count starts over.
            tx.clear_dm_failures(person.id)
        community_id = None
        settings: dict[str, str] = {}
        if ctx.community is not None:
            community_id = tx.ensure_membership(person.id, ctx.community, now)
            settings = tx.community_settings(community_id)
        return Me(person, community_id, self._zone_in(tx, person), settings)

    async def _pick(
        self, person_id: int, pool: str, items: Sequence[T], key: Callable[[T], str], now: datetime
    ) -> T:
        """Choose from a pool so that nothing repeats until the pool is used up."""
        return await self.store.run(self._pick_in, person_id, pool, items, key, now)

    def _pick_in(
        self,
        tx: Tx,
        person_id: int,
        pool: str,
        items: Sequence[T],
        key: Callable[[T], str],
        now: datetime,
    ) -> T:
        if len(items) == 1:
            return items[0]
        keys = {key(item) for item in items}
        used = [k for k in tx.used_messages(person_id, pool) if k in keys]
        fresh = [item for item in items if key(item) not in used]
        restart = not fresh
        if restart:
            # The pool is used up: start over, but never with the message seen last.
            fresh = [item for item in items if key(item) != used[0]]
        choice = self._rng.choice(fresh)
        tx.use_message(person_id, pool, key(choice), now, restart=restart)
        return choice

    async def _pick_text(
        self, person_id: int, pool: str, templates: Sequence[Template], now: datetime
    ) -> Template:
        return await self._pick(person_id, pool, templates, _template_key, now)

    async def _earn(self, me: Me, kind: str, now: datetime) -> Earned:
        """Record one resilience action: activity, both streaks, period totals, milestones."""
        person_id = me.person.id
        points = streaks.POINTS[kind]
        await self.store.add_activity(person_id, kind, points, now)
        states = {}
        for period in (streaks.WEEK, streaks.DAY):
            index = streaks.period_index(now, me.tz, period)
            before = await self.store.streak(person_id, period)
            states[period] = (streaks.settle(before, index), streaks.record(before, index, points))
            await self.store.save_streak(person_id, states[period][1], now, period)
        local = now.astimezone(me.tz).date()
        await self.store.add_period_points(person_id, (*window_keys(local), ALL_TIME), points)
        settled, week = states[streaks.WEEK]
        milestone = None
        if week.current in WEEK_MILESTONES and week.current > settled.current:
            milestone = week.current
            await self.store.record_milestone(person_id, milestone, now)
        return Earned(week=week, day=states[streaks.DAY][1], milestone=milestone)

    async def _celebrate(self, ctx: Context, me: Me, earned: Earned, now: datetime) -> list[Reply]:
        """A milestone DM, and a channel shout-out for people who opted in to them."""
        weeks = earned.milestone
        if weeks is None or _care.get() is not None:
            return []
        name = ctx.person.display_name
        dm = await self._pick_text(
            me.person.id, f"milestone.dm.{weeks}", self.content.milestones_dm[weeks], now
        )
        replies = [
            Reply(
                text=dm.render(name=name, weeks=weeks),
                title=self._msg("milestone.title", weeks=weeks),
                where=Where.DM,
            )
        ]
        if me.community_id is not None and await self.store.shoutouts_on(
            me.person.id, me.community_id
        ):
            post = await self._pick_text(
                me.person.id,
                f"milestone.channel.{weeks}",
                self.content.milestones_channel[weeks],
                now,
            )
            replies.append(Reply(text=post.render(name=name, weeks=weeks), where=Where.CHANNEL))
        return replies

    def _stage_label(self, stage: str) -> Text:
        return self._msg(f"stage.{stage}")

    def _at_10(self, day: date, tz: ZoneInfo) -> datetime:
        return when.local_to_utc(day, when.DEFAULT_HOUR, tz)

    def _today(self, tz: ZoneInfo, now: datetime) -> date:
        return now.astimezone(tz).date()

    def _fit(self, me: Me, due: datetime, *, followup: bool = False) -> datetime:
        """Move a due time out of quiet hours, and off the weekend for follow-ups."""
        person = me.person
        if followup and not person.weekend_followups:
            due = when.skip_weekend(due, me.tz)
        return when.after_quiet_hours(due, me.tz, person.quiet_start, person.quiet_end)

    def _resources(self, me: Me) -> str:
        """The community's own support text, or the default one."""
        return me.community.get("support_text") or self.content.safety.resources

    def _care_for(self, me: Me, concern: Concern) -> str | None:
        """Offer support for a concern in this reply; the counter to bump, if it is new."""
        current = _care.get()
        if concern is Concern.CRISIS and (current is None or current[0] != CRISIS_CARE):
            _care.set((CRISIS_CARE, self._resources(me)))
            # Nothing about the match is kept with the person: only how often it happens.
            return "safety.matches"
        if concern is Concern.CHECK and current is None:
            _care.set((GENTLE_CHECK, self._resources(me)))
            return "safety.checks"
        return None

    async def _screen(self, me: Me, *texts: str | None) -> None:
        """Check free text for signs of crisis; on a match, support goes first in the reply."""
        counter = self._care_for(me, self.content.safety.assess(*texts))
        if counter is not None:
            await self.store.bump_state(counter)

    def _streak_line(self, me: Me, earned: Earned, *, low: bool = False) -> Text:
        """The streak line after an action; none on a low day or while support is offered."""
        if low or _care.get() is not None:
            return Text()
        key = "reflect.streak_line_days" if me.period == streaks.DAY else "reflect.streak_line"
        return "\n\n" + self._msg(key, current=earned.current(me.period))

    async def _schedule(
        self,
        me: Me,
        kind: str,
        ref_id: int | None,
        key: str,
        due: datetime,
        now: datetime,
        *,
        followup: bool = False,
    ) -> datetime:
        fitted = self._fit(me, due, followup=followup)
        await self.store.schedule_reminder(
            me.person.id, kind=kind, ref_id=ref_id, key=key, due=fitted, now=now
        )
        return fitted

    # -- /rejected ------------------------------------------------------------------------

    async def rejected(
        self,
        ctx: Context,
        *,
        company: str | None = None,
        role: str | None = None,
        stage: str | None = None,
        feeling: int | str | None = None,
        note: str | None = None,
    ) -> list[Reply]:
        """Log a rejection and answer privately with encouragement and a way forward."""
        return await run(
            self._kit,
            rejections.rejected,
            ctx,
            company=company,
            role=role,
            stage=stage,
            feeling=feeling,
            note=note,
        )

    async def _share(self, ctx: Context, rejection_id: int, how: str) -> list[Reply]:
        return await run(self._kit, rejections.share, ctx, rejection_id, how)

    # -- reflection -----------------------------------------------------------------------

    def _prompt(self, key: str) -> Prompt:
        try:
            return self.content.prompt(key)
        except KeyError:
            # The wording changed since this reflection began: ask the theme's first prompt.
            return self.content.themes[key.partition(".")[0]].prompts[0]

    async def reflect(self, ctx: Context, rejection_id: int | None = None) -> list[Reply]:
        """Start a guided reflection in DMs, or resume the one left open."""
        return await run(self._kit, reflection.reflect, ctx, rejection_id)

    async def dm_text(self, ctx: Context, text: str) -> list[Reply]:
        """A message the person typed to Rebound in DMs: an answer, a next step, or a hello."""
        return await run(self._kit, conversation.dm_text, ctx, text)

    # -- check-ins ------------------------------------------------------------------------

    async def checkin(
        self, ctx: Context, mood: int | str | None = None, note: str | None = None
    ) -> list[Reply]:
        """Record how the person is doing (mood 1-5), or ask them with five buttons."""
        return await run(self._kit, checkins.checkin, ctx, mood, note)

    def _mood_buttons(self) -> tuple[Button, ...]:
        return tuple(
            self._button("button.mood", Action("checkin", "mood", n), n=n)
            for n in range(FEELING_LOW, FEELING_HIGH + 1)
        )

    # -- follow-ups -----------------------------------------------------------------------

    def _channel_label(self, channel: str) -> Text:
        return self._msg(f"followup.channel.{channel}")

    def _draft_text(self, followup: Followup, name: str) -> Text:
        return followups.draft_text(self._kit, followup, name)

    async def followup_add(
        self,
        ctx: Context,
        *,
        contact: str | None = None,
        company: str | None = None,
        role: str | None = None,
        channel: str | None = None,
        when_text: str | None = None,
        kind: str | None = None,
        rejection_id: int | None = None,
    ) -> list[Reply]:
        """Plan a note to a recruiter or contact and show a draft to copy."""
        return await run(
            self._kit,
            followups.followup_add,
            ctx,
            contact=contact,
            company=company,
            role=role,
            channel=channel,
            when_text=when_text,
            kind=kind,
            rejection_id=rejection_id,
        )

    async def followup_list(self, ctx: Context) -> list[Reply]:
        """The person's follow-ups still to send, with buttons to act on each."""
        return await run(self._kit, followups.followup_list, ctx)

    async def followup_mark(self, ctx: Context, followup_id: int | str, action: str) -> list[Reply]:
        """Mark a follow-up sent, snooze it to tomorrow, or skip it."""
        return await run(self._kit, followups.followup_mark, ctx, followup_id, action)

    # -- streak and leaderboard -----------------------------------------------------------

    async def streak(self, ctx: Context, *, card: bool = True) -> list[Reply]:
        """The person's resilience streak: current, best, reserves, points, and a card."""
        return await run(self._kit, boards.streak, ctx, card=card)

    async def leaderboard(
        self,
        ctx: Context,
        action: str | None = None,
        view: str | None = None,
        *,
        card: bool = True,
    ) -> list[Reply]:
        """Show the community's opt-in effort board (week, month or all time), join or leave."""
        return await run(self._kit, boards.leaderboard, ctx, action, view, card=card)

    # -- the community's admins -----------------------------------------------------------

    async def admin(self, ctx: Context, **options: str | None) -> list[Reply]:
        """Community settings, for the community's admins only; every change is logged."""
        return await run(self._kit, community.admin, ctx, **options)

    async def digest(self, community_id: int, moment: datetime) -> Reply:
        """The weekly digest of a community: totals of effort, and opted-in milestones only."""
        return await community.digest(self._kit, community_id, moment)

    # -- settings, journal, export, forget, help ------------------------------------------

    @_guard
    async def settings(
        self,
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
    ) -> list[Reply]:
        """Show the person's settings, changing any that were given."""
        tz_name = None
        if timezone is not None and timezone.strip():
            try:
                tz_name = when.parse_timezone(timezone)
            except when.WhenError as exc:
                if str(exc):
                    raise UserError(
                        "error.bad_timezone", value=timezone, suggestion=Text.of(str(exc))
                    ) from None
                raise UserError("error.bad_timezone_plain", value=timezone) from None
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
        changed = any(
            v is not None
            for v in (tz_name, quiet_pair, reminders_on, board_on, checkin_days, nudges_on)
        ) or (weekends_on is not None or shoutouts_on is not None)
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            await self.store.update_person(
                me.person.id,
                timezone=tz_name,
                quiet_start=quiet_pair[0] if quiet_pair else None,
                quiet_end=quiet_pair[1] if quiet_pair else None,
                dm_reminders=reminders_on,
                checkin_days=checkin_days,
                nudges=nudges_on,
                weekend_followups=weekends_on,
            )
            if checkin_days == ():
                await self.store.cancel_reminders(me.person.id, "checkin", now)
            if nudges_on is False:
                await self.store.cancel_reminders(me.person.id, "nudge", now)
            if board_on is not None and me.community_id is not None:
                await self.store.set_leaderboard(me.person.id, me.community_id, board_on)
            if shoutouts_on is not None and me.community_id is not None:
                await self.store.set_shoutouts(me.person.id, me.community_id, shoutouts_on)
            shouting = (
                await self.store.shoutouts_on(me.person.id, me.community_id)
                if me.community_id is not None
                else None
            )
            person = await self.store.person_by_id(me.person.id)
            assert person is not None
            on_board = (
                await self.store.on_leaderboard(person.id, me.community_id)
                if me.community_id is not None
                else None
            )

        def on_off(flag: bool) -> Text:
            return self._msg("settings.on" if flag else "settings.off")

        tz_text = (
            Text.of(person.timezone)
            if person.timezone
            else self._msg("settings.default_timezone", timezone=Text.of(me.tz.key))
        )
        quiet_text = (
            self._msg("settings.off")
            if person.quiet_start == person.quiet_end
            else Text.of(f"{person.quiet_start}–{person.quiet_end}")
        )
        fields = [
            (self._msg("settings.timezone"), tz_text),
            (self._msg("settings.quiet"), quiet_text),
            (self._msg("settings.reminders"), on_off(person.dm_reminders)),
            (
                self._msg("settings.checkins"),
                self._msg("settings.checkin_days", days=Text.of(", ".join(map(str, days))))
                if (days := person.checkin_days)
                else self._msg("settings.off"),
            ),
            (self._msg("settings.nudges"), on_off(person.nudges)),
            (self._msg("settings.weekends"), on_off(person.weekend_followups)),
        ]
        if on_board is not None:
            fields.append((self._msg("settings.leaderboard"), on_off(on_board)))
        if shouting is not None:
            fields.append((self._msg("settings.shoutouts"), on_off(shouting)))
        text = self._msg("settings.saved") if changed else self._msg("settings.hint")
        return [self._private(text, title=self._msg("settings.title"), fields=tuple(fields))]

    @_guard
    async def journal(self, ctx: Context) -> list[Reply]:
        """The person's recent reflections and the next steps they named."""
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            entries = await self.store.recent_reflections(me.person.id, JOURNAL_SIZE)
            details = []
            for reflection in entries:
                answers = [a for a in await self.store.answers(reflection.id) if a.text]
                rejection = (
                    await self.store.rejection(reflection.rejection_id, me.person.id)
                    if reflection.rejection_id
                    else None
                )
                details.append((reflection, answers, rejection))
        if not details:
            return [self._private(self._msg("journal.empty"))]
        text = Text()
        buttons: list[Button] = []
        for index, (reflection, answers, rejection) in enumerate(details):
            if index:
                text += "\n\n"
            date_text = Text.of(when.describe_day(reflection.started_at, me.tz))
            label = self._stage_label(reflection.stage)
            if rejection and rejection.company:
                text += self._msg(
                    "journal.entry_at", date=date_text, stage_label=label, company=rejection.company
                )
            else:
                text += self._msg("journal.entry", date=date_text, stage_label=label)
            for answer in answers:
                prompt = self._prompt(answer.prompt_key)
                values = {"company": rejection.company, "role": rejection.role} if rejection else {}
                text += (
                    "\n• "
                    + prompt.ask.render(values)
                    + "\n  "
                    + Text.typed(_preview(answer.text or ""))
                )
            if reflection.next_step and reflection.finished_at:
                if reflection.next_step_done_at:
                    text += "\n" + self._msg("journal.step_done", step=reflection.next_step)
                else:
                    due = (
                        Text.of(when.describe_day(reflection.next_step_due, me.tz))
                        if reflection.next_step_due
                        else None
                    )
                    text += "\n" + self._msg(
                        "journal.step_open", step=reflection.next_step, when=due
                    )
                    buttons.append(
                        self._button(
                            "button.step_done",
                            Action("step", "done", reflection.id),
                            n=len(buttons) + 1,
                        )
                    )
        return [self._private(text, title=self._msg("journal.title"), buttons=tuple(buttons))]

    @_guard
    async def export(self, ctx: Context) -> list[Reply]:
        """Everything Rebound holds about the person, as a JSON file."""
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            data = await self.store.export_person(me.person.id)
        document = {"exported_at": ts(now), "format": "rebound-export/1", "tables": data}
        body = json.dumps(document, indent=2, ensure_ascii=False).encode()
        local_day = now.astimezone(me.tz).date().isoformat()
        attachment = Attachment(
            filename=f"rebound-export-{local_day}.json",
            data=body,
            content_type="application/json",
            description=self.content.label("export.file"),
        )
        return [self._private(self._msg("export.ready"), attachments=(attachment,))]

    @_guard
    async def forget(self, ctx: Context, confirmed: bool = False) -> list[Reply]:
        """Ask for confirmation, then erase everything Rebound holds about the person."""
        if not confirmed:
            return [
                self._private(
                    self._msg("forget.confirm"),
                    buttons=(
                        self._button(
                            "button.forget_confirm", Action("forget", "confirm"), Style.DANGER
                        ),
                        self._button("button.cancel", Action("forget", "cancel")),
                    ),
                )
            ]
        person = await self.store.find_person(ctx.person.platform, ctx.person.user_id)
        if person is not None:
            await self.store.forget_person(person.id)
        return [self._private(self._msg("forget.done"))]

    @_guard
    async def support(self, ctx: Context) -> list[Reply]:
        """Where to find help from a person, any time; Rebound is peer support, not therapy."""
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            resources = self._resources(me)
        return [
            self._private(
                self._msg("support.text", resources=resources), title=self._msg("support.title")
            )
        ]

    async def learn_timezone(self, ref: PersonRef, timezone: str, now: datetime) -> None:
        """Adopt the timezone a platform reports for a person who has not set one."""
        try:
            name = when.parse_timezone(timezone)
        except when.WhenError:
            return
        async with self.store.atomic():
            person = await self.store.ensure_person(ref, now)
            if person.timezone is None:
                await self.store.update_person(person.id, timezone=name)

    @_guard
    async def home(self, ctx: Context) -> list[Reply]:
        """A person's overview: streak, what is coming, recent journal, and the board."""
        # A page shows no pictures: the cards are not drawn at all rather than drawn and dropped.
        replies = [
            *await self.streak(ctx, card=False),
            *await self.upcoming(ctx),
            *await self.journal(ctx),
        ]
        if not ctx.in_dm:
            replies += await self.leaderboard(ctx, card=False)
        # The overview is a page, not a conversation: buttons there would act out of context.
        return [
            Reply(text=r.text, title=r.title, fields=r.fields, where=Where.PRIVATE) for r in replies
        ]

    @_guard
    async def help(self, ctx: Context) -> list[Reply]:
        """What Rebound can do and how to ask."""
        return [self._private(self._msg("help.text"), title=self._msg("help.title"))]

    # -- reminders ------------------------------------------------------------------------

    def _reminder_buttons(self, reminder: Reminder, *first: Button) -> tuple[Button, ...]:
        snoozes = (
            self._button(label, Action("rem", "snooze", reminder.id, hours))
            for label, hours in zip(
                ("button.snooze_hour", "button.tomorrow", "button.next_week"),
                SNOOZE_HOURS,
                strict=True,
            )
        )
        return (
            *first,
            *snoozes,
            self._button("button.skip", Action("rem", "skip", reminder.id)),
            self._button("button.stop_these", Action("rem", "stop", reminder.id), Style.DANGER),
        )

    async def reminder_message(
        self, reminder: Reminder, person: Person, now: datetime
    ) -> Reply | None:
        """The DM a due reminder becomes, or None when it no longer applies."""
        name = person.display_name
        if reminder.kind in ("checkin", "nudge"):
            rejection = (
                await self.store.rejection(reminder.ref_id, person.id)
                if reminder.ref_id is not None
                else None
            )
            company = rejection.company if rejection else None
            if reminder.kind == "nudge":
                if rejection is None or await self.store.reflection_started_for(rejection.id):
                    return None
                return Reply(
                    title=self._msg("reminder.nudge_title"),
                    text=self._msg("reminder.nudge", company=company),
                    buttons=self._reminder_buttons(
                        reminder,
                        self._button(
                            "button.reflect_now",
                            Action("reflect", "start", rejection.id),
                            Style.PRIMARY,
                        ),
                    ),
                    where=Where.DM,
                )
            question = await self._pick_text(
                person.id, "checkin.q", self.content.checkin_questions, now
            )
            return Reply(
                title=self._msg("reminder.checkin_title"),
                text=question.render(name=name) + "\n" + self._msg("reminder.checkin_hint"),
                buttons=(*self._mood_buttons(), *self._reminder_buttons(reminder)),
                where=Where.DM,
            )
        if reminder.kind == "followup" and reminder.ref_id is not None:
            followup = await self.store.followup(reminder.ref_id, person.id)
            if followup is None or followup.status != "pending":
                return None
            title_key = (
                "reminder.stay_in_touch_title"
                if followup.kind == "stay_in_touch"
                else "reminder.followup_title"
            )
            text = (
                self._msg("reminder.followup", channel_label=self._channel_label(followup.channel))
                + "\n\n"
                + self._draft_text(followup, name)
            )
            return Reply(
                title=self._msg(title_key, contact=followup.contact),
                text=text,
                buttons=self._reminder_buttons(
                    reminder,
                    self._button(
                        "button.sent", Action("followup", "sent", followup.id), Style.PRIMARY
                    ),
                ),
                where=Where.DM,
            )
        if reminder.kind == "next_step" and reminder.ref_id is not None:
            reflection = await self.store.reflection(reminder.ref_id, person.id)
            if reflection is None or not reflection.next_step or reflection.next_step_done_at:
                return None
            return Reply(
                title=self._msg("reminder.next_step_title"),
                text=self._msg("reminder.next_step", step=reflection.next_step),
                buttons=self._reminder_buttons(
                    reminder,
                    self._button(
                        "button.done", Action("step", "done", reflection.id), Style.PRIMARY
                    ),
                ),
                where=Where.DM,
            )
        logger.warning("reminder %s has unknown kind %s", reminder.id, reminder.kind)
        return None

    async def reminder_delivered(self, reminder: Reminder, person: Person, now: datetime) -> None:
        """After a check-in DM lands, a typed reply to it counts as the check-in's note."""
        if reminder.kind != "checkin":
            return
        async with self.store.atomic():
            if await self.store.conversation(person.id) is None:
                await self.store.set_conversation(person.id, "checkin", reminder.id, now)

    async def _reminder_action(
        self, ctx: Context, verb: str, reminder_id: int, hours: int | None
    ) -> list[Reply]:
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            reminder = await self.store.reminder(reminder_id, me.person.id)
            if reminder is None:
                raise UserError("error.not_yours")
            if reminder.status not in ("pending", "sending", "sent"):
                return [self._private(self._msg("reminder.gone"))]
            if verb == "snooze":
                if hours not in SNOOZE_HOURS:
                    raise UserError("error.unknown_button")
                if hours == 1:
                    due = now + timedelta(hours=1)
                else:
                    due = self._at_10(self._today(me.tz, now) + timedelta(hours=hours), me.tz)
                is_followup = reminder.kind == "followup"
                due = await self._schedule(
                    me,
                    reminder.kind,
                    reminder.ref_id,
                    reminder.key,
                    due,
                    now,
                    followup=is_followup and hours != 1,
                )
                if is_followup and reminder.ref_id is not None:
                    await self.store.set_followup(reminder.ref_id, due=due, now=now)
                return [
                    self._private(
                        self._msg("reminder.snoozed", when=Text.of(when.describe(due, me.tz)))
                    )
                ]
            if verb == "skip":
                await self.store.mark_reminder(reminder.id, "skipped", now)
                return [self._private(self._msg("reminder.skipped"))]
            # Stop: the kinds that come on their own are switched off; a planned one just ends.
            await self.store.mark_reminder(reminder.id, "cancelled", now)
            if reminder.kind == "checkin":
                await self.store.update_person(me.person.id, checkin_days=())
                await self.store.cancel_reminders(me.person.id, "checkin", now)
                return [self._private(self._msg("reminder.stopped_checkins"))]
            if reminder.kind == "nudge":
                await self.store.update_person(me.person.id, nudges=False)
                await self.store.cancel_reminders(me.person.id, "nudge", now)
                return [self._private(self._msg("reminder.stopped_nudges"))]
            return [self._private(self._msg("reminder.stopped_one"))]

    @_guard
    async def upcoming(self, ctx: Context) -> list[Reply]:
        """The person's pending reminders, soonest first, in their own time."""
        now = self.clock.now()
        async with self.store.atomic():
            me = await self._me(ctx, now)
            pending = await self.store.reminders_for(me.person.id, ["pending", "sending"])
        if not pending:
            return [self._private(self._msg("reminder.upcoming_empty"))]
        text = Text()
        for index, reminder in enumerate(pending[:20]):
            text += ("\n" if index else "") + self._msg(
                "reminder.upcoming_item",
                when=Text.of(when.describe(reminder.due_at, me.tz)),
                what=self._msg(f"reminder.kind.{reminder.kind}"),
            )
        return [self._private(text, title=self._msg("reminder.upcoming_title"))]

    # -- buttons --------------------------------------------------------------------------

    @_guard
    async def press(self, ctx: Context, action_id: str) -> list[Reply]:
        """A button press: the action id says what it acts on."""
        action = Action.parse(action_id)
        if action is None:
            raise UserError("error.unknown_button")
        first, second = action.arg(0), action.arg(1)
        match action.verb, action.sub, first:
            case "reflect", "start", int():
                return await self.reflect(ctx, rejection_id=first)
            case "reflect", ("skip" | "stop") as action, int():
                return await run(
                    self._kit, reflection.reflection_action, ctx, action, first, second
                )
            case "step", ("when" | "none" | "done") as action, int():
                return await run(self._kit, reflection.step_action, ctx, action, first, second)
            case "followup", "new", int():
                return await self.followup_add(ctx, rejection_id=first)
            case "followup", ("sent" | "snooze" | "skip") as action, int():
                return await self.followup_mark(ctx, first, action)
            case "share", ("ask" | "named" | "anon" | "cancel") as how, int():
                return await self._share(ctx, first, how)
            case "rejected", "later", _:
                return [self._private(self._msg("rejected.later"))]
            case "checkin", "mood", int():
                return await self.checkin(ctx, mood=first)
            case "rem", ("snooze" | "skip" | "stop") as verb, int():
                return await self._reminder_action(ctx, verb, first, second)
            case "board", "join", None:
                return await self.leaderboard(ctx, "join")
            case "board", ("week" | "month" | "all") as view, None:
                return await self.leaderboard(ctx, "show", view)
            case "forget", "confirm", None:
                return await self.forget(ctx, confirmed=True)
            case "forget", "cancel", None:
                return [self._private(self._msg("forget.cancelled"))]
        raise UserError("error.unknown_button")
