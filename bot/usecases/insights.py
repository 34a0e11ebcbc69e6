"""/insights: applications and no's by stage over four months, where they stop, the trend."""

from __future__ import annotations

import asyncio

from bot import cards_growth, insights
from bot.cards_growth import InsightsCard, InsightsMonth
from bot.insights import MonthTally
from bot.models import Attachment, Context, Text
from bot.usecases.kit import Kit, Me, find_me
from bot.usecases.outcome import Outcome
from bot.vocab import STAGES


def _joined(parts: list[Text], separator: str) -> Text:
    """Texts one after another with separator between them."""
    out = Text()
    for index, part in enumerate(parts):
        out += (separator if index else "") + part
    return out


def _month_line(kit: Kit, month: MonthTally) -> Text:
    """A month as a line: applications, no's, and the no's by stage."""
    parts = [
        kit.msg("insights.stage_count", count=month.nos[s], stage_label=kit.stage_label(s))
        for s in STAGES
        if month.nos[s]
    ]
    return kit.msg(
        "insights.month",
        month=Text.of(f"{month.first_day:%B}"),
        applications=month.applications,
        nos=month.total_nos,
        stages=_joined(parts, ", ") if parts else None,
    )


def _trend_line(kit: Kit, found: insights.Trend) -> Text:
    """The current quarter against the last, for the furthest stage reached in either."""
    line = kit.msg(
        "insights.trend",
        stage=kit.msg(f"insights.reached.{found.stage}"),
        this=found.this_quarter,
        last=found.last_quarter,
    )
    if found.this_quarter > max(found.last_quarter, 1):
        line += " " + kit.msg("insights.trend_further")
    return line


async def insights_view(kit: Kit, ctx: Context) -> Outcome:
    """The person's insights, privately, with a card; a promise instead while data is thin."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        months = insights.month_windows(now, me.tz)
        this_q, last_q = insights.quarter_windows(now, me.tz)
        since = min(months[0].start, last_q.start)
        applied = await u.applications.between(me.id, since, months[-1].end)
        nos = await u.rejections.logged_between(me.id, since, max(months[-1].end, this_q.end))
    # An offer the person turned down is their choice, not a no: it is not counted as one.
    moments = [(r.created_at, r.stage) for r in nos if not r.declined]
    tallies = insights.tally(months, (a.created_at for a in applied), moments)
    span = kit.msg(
        "insights.span",
        first=Text.of(f"{months[0].first_day:%B}"),
        last=Text.of(f"{months[-1].first_day:%B %Y}"),
    )
    title = kit.msg("insights.title")
    if insights.data_points(tallies) < insights.MIN_POINTS:
        text = kit.msg("insights.not_yet", count=insights.data_points(tallies))
        return Outcome.of(me, [kit.private(text, title=title)])
    lines = [_month_line(kit, t) for t in reversed(tallies)]
    text = kit.msg("insights.by_month", span=span) + "\n" + _joined(lines, "\n")
    top = insights.top_stage(tallies)
    if top is not None:
        stage, count = top
        text += "\n\n" + kit.msg(
            "insights.top",
            stage_label=kit.stage_label(stage),
            count=count,
            total=sum(t.total_nos for t in tallies),
        )
        text += " " + kit.msg(f"insights.suggest.{stage}")
    found = insights.trend(moments, this_q, last_q)
    if found is not None:
        text += "\n\n" + _trend_line(kit, found)
    text += "\n\n" + kit.msg("insights.private")
    card = await _card(kit, me, tallies, span, top)
    return Outcome.of(me, [kit.private(text, title=title, attachments=(card,))])


async def _card(
    kit: Kit, me: Me, tallies: list[MonthTally], span: Text, top: tuple[str, int] | None
) -> Attachment:
    """The insights as a picture (drawn off the event loop), with alt text saying the same."""
    footer = (
        kit.msg("insights.card_top", stage_label=kit.stage_label(top[0]), count=top[1])
        if top
        else kit.msg("insights.card_no_top")
    )
    picture = InsightsCard(
        title=kit.content.label("insights.card_title"),
        subtitle=span.plain(),
        applications_label=kit.content.label("insights.card_applications"),
        nos_label=kit.content.label("insights.card_nos"),
        stage_labels=tuple(kit.stage_label(s).plain() for s in STAGES),
        months=tuple(
            InsightsMonth(f"{t.first_day:%b}", t.applications, tuple(t.nos[s] for s in STAGES))
            for t in tallies
        ),
        footer=footer.plain(),
    )
    image = await asyncio.to_thread(cards_growth.insights_card, picture)
    months = "; ".join(_month_line(kit, t).plain() for t in tallies)
    alt = kit.content.label("insights.card_alt", months=months, top=footer.plain())
    return Attachment("insights.png", image, "image/png", alt)
