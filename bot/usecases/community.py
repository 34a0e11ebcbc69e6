"""A community's own settings, for its admins (every change logged), and its weekly digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import streaks, when
from bot.models import Context, Reply, Text, Where
from bot.store.interface import UnitOfWork
from bot.usecases.checks import clean, in_range, parse_on_off, parse_zone
from bot.usecases.kit import Kit, find_me
from bot.usecases.outcome import Outcome
from bot.usecases.reminders import follow_timezone
from bot.vocab import NOTE_MAX, OFF_WORDS, PERIODS, STAGES, UserError

# When buddy rounds come unless an admin says otherwise (community time); see buddy_round.py.
BUDDY_DAY = "monday"
BUDDY_HOUR = 9
DIGEST_DAY = "friday"
DIGEST_HOUR = 16
# Admin command options and the community settings they change.
ADMIN_OPTIONS = {
    "channel": "digest_channel",
    "day": "digest_day",
    "hour": "digest_hour",
    "timezone": "timezone",
    "period": "streak_period",
    "leaderboard": "leaderboard",
    "sharing": "sharing",
    "support": "support_text",
    "buddies": "buddies",
    "buddy_day": "buddy_day",
    "buddy_hour": "buddy_hour",
}
BUDDY_CADENCE_WORDS = {
    "weekly": "weekly",
    "week": "weekly",
    "on": "weekly",
    "fortnightly": "fortnightly",
    "biweekly": "fortnightly",
    "every two weeks": "fortnightly",
}
STREAK_PERIODS = {"week": "week", "weekly": "week", "day": "day", "daily": "day"}


def admin_value(key: str, raw: str) -> str | None:
    """Check one admin option; return the value to store (None clears it)."""
    text = raw.strip()
    if key == "digest_channel":
        if text.lower() in OFF_WORDS:
            return None
        channel = text.lstrip("#").strip()
        if not channel or len(channel) > 100:
            raise UserError("admin.bad_channel", value=raw)
        return channel
    if key == "buddies":
        return _cadence(text, raw)
    if key in ("digest_day", "buddy_day"):
        day = when.parse_weekday(text)
        if day is None:
            raise UserError("admin.bad_day", value=raw)
        return when.WEEKDAYS[day]
    if key in ("digest_hour", "buddy_hour"):
        hour = in_range(text, 0, 23, "admin.bad_hour")
        return None if hour is None else str(hour)
    if key == "timezone":
        return parse_zone(text, raw)
    if key == "streak_period":
        return _word(STREAK_PERIODS, text, raw, "period", PERIODS)
    if key in ("leaderboard", "sharing"):
        return "on" if parse_on_off(text, key) else "off"
    support = clean(text, "support", NOTE_MAX)
    return None if support is None or support.lower() == "default" else support


def _cadence(text: str, raw: str) -> str | None:
    """How often buddy rounds come: weekly or fortnightly; off (None) stops them."""
    if text.lower() in OFF_WORDS:
        return None
    return _word(BUDDY_CADENCE_WORDS, text, raw, "buddies", ("weekly", "fortnightly", "off"))


def _word(words: Mapping[str, str], text: str, raw: str, field: str, shown: Sequence[str]) -> str:
    """The value a word stands for in words; anything else is refused, listing what is shown."""
    value = words.get(text.lower())
    if value is None:
        raise UserError(
            "error.bad_choice", field=Text.of(field), value=raw, choices=Text.of(", ".join(shown))
        )
    return value


def _changes(options: Mapping[str, str | None]) -> dict[str, str | None]:
    """The settings an admin's options change, checked (None clears a setting)."""
    changes: dict[str, str | None] = {}
    for option, value in options.items():
        if value is None or not str(value).strip():
            continue
        key = ADMIN_OPTIONS.get(option)
        if key is None:
            raise UserError(
                "error.unknown_option",
                command=Text.of("admin"),
                option=option,
                choices=Text.of(", ".join(ADMIN_OPTIONS)),
            )
        changes[key] = admin_value(key, str(value))
    return changes


async def admin(kit: Kit, ctx: Context, **options: str | None) -> Outcome:
    """Community settings, for the community's admins only; every change is logged."""
    if ctx.in_dm:
        raise UserError("admin.not_here")
    if not ctx.is_admin:
        raise UserError("admin.refused")
    changes = _changes(options)
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        assert me.community_id is not None
        zones = await _member_zones(kit, u, me.community_id) if "timezone" in changes else {}
        for key, value in changes.items():
            old = me.community.get(key)
            if old == value:
                continue
            if value is None:
                await u.community.clear_setting(me.community_id, key)
            else:
                await u.community.set_setting(me.community_id, key, value, me.id, now)
            await u.community.log_change(me.community_id, me.id, key, old, value, now)
        settings = await u.community.settings(me.community_id)
        if zones:
            for person_id, zone in (await _member_zones(kit, u, me.community_id)).items():
                await follow_timezone(u, person_id, zones.get(person_id, zone), zone, now)
    reply = kit.private(
        kit.msg("admin.saved" if changes else "admin.hint"),
        title=kit.msg("admin.title"),
        fields=admin_fields(kit, settings),
    )
    return Outcome.of(me, [reply])


async def _member_zones(kit: Kit, u: UnitOfWork, community_id: int) -> dict[int, ZoneInfo]:
    """The timezone each member without one of their own follows (a community's, or the default).

    Read before and after a community's timezone changes, so each member's reminders move only
    when their own days moved (a member whose latest community is another keeps theirs).
    """
    return {
        person_id: when.zone(await u.people.community_timezone(person_id) or kit.default_timezone)
        for person_id in await u.people.without_timezone(community_id)
    }


def admin_fields(kit: Kit, settings: Mapping[str, str]) -> tuple[tuple[Text, Text], ...]:
    """A community's settings as the admin sees them, defaults filled in."""

    def shown(key: str, default: Text) -> Text:
        value = settings.get(key)
        return Text.typed(value) if value else default

    off, on = kit.msg("settings.off"), kit.msg("settings.on")
    channel = settings.get("digest_channel")
    digest = (
        kit.msg(
            "admin.digest_when",
            channel=channel,
            day=Text.of(settings.get("digest_day", DIGEST_DAY).title()),
            hour=Text.of(f"{int(settings.get('digest_hour', DIGEST_HOUR)):02d}:00"),
        )
        if channel
        else off
    )
    period = kit.msg(
        "admin.period_day" if settings.get("streak_period") == "day" else "admin.period_week"
    )
    return (
        (kit.msg("admin.digest"), digest),
        (kit.msg("settings.timezone"), shown("timezone", Text.of(kit.default_timezone))),
        (kit.msg("admin.period"), period),
        (kit.msg("admin.leaderboard"), off if settings.get("leaderboard") == "off" else on),
        (kit.msg("admin.sharing"), off if settings.get("sharing") == "off" else on),
        (kit.msg("admin.support"), shown("support_text", kit.msg("admin.default"))),
        (kit.msg("buddy.admin"), _buddies_shown(kit, settings)),
    )


def _buddies_shown(kit: Kit, settings: Mapping[str, str]) -> Text:
    """Practice buddies as the admin sees them: off, or how often, which day and hour."""
    cadence = settings.get("buddies")
    if not cadence:
        return kit.msg("settings.off")
    return kit.msg(
        "buddy.admin_when",
        cadence=kit.msg(
            "buddy.admin_fortnightly" if cadence == "fortnightly" else "buddy.admin_weekly"
        ),
        day=Text.of(settings.get("buddy_day", BUDDY_DAY).title()),
        hour=Text.of(f"{int(settings.get('buddy_hour', BUDDY_HOUR)):02d}:00"),
    )


async def digest(kit: Kit, community_id: int, moment: datetime) -> Reply:
    """The weekly digest of a community: totals of effort, and opted-in milestones only."""
    store = kit.store
    ref = await store.community.ref(community_id)
    settings = await store.community.settings(community_id)
    tz = when.zone(settings.get("timezone") or kit.default_timezone)
    since = moment - timedelta(days=7)
    totals = await store.digests.totals(community_id, since, moment)
    on_streak = await store.digests.people_on_streak(community_id, streaks.period_index(moment, tz))
    text = kit.msg(
        "digest.totals",
        reflections=totals.get("reflection", 0),
        checkins=totals.get("checkin", 0),
        followups=totals.get("followup_sent", 0),
        steps=totals.get("next_step_done", 0),
        streaks=on_streak,
    )
    if not totals:
        text = kit.msg("digest.quiet")
    text += await _stages(kit, community_id, since, moment)
    shoutouts = await store.digests.shoutouts(community_id, since, moment)
    if shoutouts:
        text += "\n\n" + kit.msg("digest.shoutouts_title")
        for name, weeks in shoutouts:
            text += "\n" + kit.msg("digest.shoutout", name=name, weeks=weeks)
    return Reply(
        text=text,
        title=kit.msg("digest.title", community=ref.name if ref else ""),
        where=Where.CHANNEL,
    )


# The growth ledger: stage counts appear only when this many people contributed to them, so a
# small group never identifies someone.
STAGES_MIN_PEOPLE = 5


async def _stages(kit: Kit, community_id: int, since: datetime, moment: datetime) -> Text:
    """Where the community's no's came this week, by stage; nothing for a small group."""
    tally = await kit.store.community_stages.stages(community_id, since, moment)
    if tally.people < STAGES_MIN_PEOPLE:
        return Text()
    order = {stage: index for index, stage in enumerate(STAGES)}
    parts = Text()
    for index, (stage, count) in enumerate(sorted(tally.by_stage, key=lambda p: order[p[0]])):
        label = kit.msg("digest.stage_count", count=count, stage_label=kit.stage_label(stage))
        parts += (", " if index else "") + label
    return "\n\n" + kit.msg("digest.stages", people=tally.people, stages=parts)
