"""The resilience streak and the community's opt-in effort board, each with its card."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import cards, streaks, when
from bot.actions import Action
from bot.models import Attachment, Button, Context, Reply, Style, Text
from bot.store.interface import UnitOfWork
from bot.store.records import Board, StreakRow
from bot.usecases.checks import choice
from bot.usecases.effort import ALL_TIME, window_keys
from bot.usecases.kit import Kit, Me, find_me
from bot.usecases.outcome import Outcome
from bot.vocab import BOARD_VIEWS, UserError

BOARD_SIZE = 10
NEIGHBOURS = 2
HEATMAP_WEEKS = 12
Levels = tuple[tuple[int, ...], ...]


def span(kit: Kit, period: str, n: int) -> Text:
    """A streak's length: n weeks, or n days."""
    return kit.msg("streak.days" if period == streaks.DAY else "streak.weeks", n=n)


async def heatmap(u: UnitOfWork, me: Me, now: datetime) -> Levels:
    """Activity levels (0-4) per local day for the last 12 weeks, Monday first."""
    today = now.astimezone(me.tz).date()
    first = today - timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    since = when.local_to_utc(first, datetime.min.time(), me.tz)
    points: dict[date, int] = {}
    for moment, value in await u.effort.activity_since(me.id, since):
        day = moment.astimezone(me.tz).date()
        points[day] = points.get(day, 0) + value

    def level(total: int) -> int:
        # 0 nothing, 1 a check-in, 2 a follow-up or step, 3 a reflection, 4 more than that.
        return sum(total >= bound for bound in (1, 2, 5, 8))

    return tuple(
        tuple(level(points.get(first + timedelta(days=7 * w + d), 0)) for d in range(7))
        for w in range(HEATMAP_WEEKS)
    )


async def streak(kit: Kit, ctx: Context, *, card: bool = True) -> Outcome:
    """The person's resilience streak: current, best, reserves, points, and a card."""
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        stored = await u.effort.streak(me.id, me.period)
        levels = await heatmap(u, me, now)
    period = me.period
    index = streaks.period_index(now, me.tz, period)
    state = streaks.settle(stored, index)
    if state.current == 0 and state.best > 0:
        # "No streak yet" beside a best streak reads as if the past weeks were wiped.
        status = kit.msg("streak.paused", best=span(kit, period, state.best))
    elif state.current == 0:
        status = kit.msg("streak.none_yet")
    elif streaks.at_risk(stored, index):
        status = kit.msg("streak.at_risk_day" if period == streaks.DAY else "streak.at_risk")
    else:
        status = kit.msg(
            "streak.alive_today" if period == streaks.DAY else "streak.alive_this_week"
        )
    points_label = kit.msg("streak.points_day" if period == streaks.DAY else "streak.points")
    period_points = streaks.points_this_period(state, index)
    fields = (
        (kit.msg("streak.current"), span(kit, period, state.current)),
        (kit.msg("streak.best"), span(kit, period, state.best)),
        (kit.msg("streak.reserves"), Text.of(f"{state.reserves} / {streaks.MAX_RESERVES}")),
        (points_label, Text.of(str(period_points))),
    )
    text = status + "\n" + kit.msg("streak.earn_more")
    attachments: tuple[Attachment, ...] = ()
    if card:
        attachments = (await _streak_card(kit, ctx, me, state, fields, levels, period_points),)
    reply = kit.private(text, title=kit.msg("streak.title"), fields=fields, attachments=attachments)
    return Outcome.of(me, [reply])


async def _streak_card(
    kit: Kit,
    ctx: Context,
    me: Me,
    state: StreakRow,
    fields: tuple[tuple[Text, Text], ...],
    levels: Levels,
    period_points: int,
) -> Attachment:
    """The streak as a picture (drawn off the event loop), with its alt text."""
    period = me.period
    picture = cards.StreakCard(
        title=kit.content.label("streak.title"),
        name=ctx.person.display_name,
        current_label=kit.content.label("streak.current"),
        current=span(kit, period, state.current).plain(),
        stats=tuple((k.plain(), v.plain()) for k, v in fields[1:]),
        heatmap_label=kit.content.label("card.heatmap"),
        levels=levels,
    )
    image = await asyncio.to_thread(cards.streak_card, picture)
    alt = kit.content.label(
        "card.streak_alt",
        current=span(kit, period, state.current),
        best=span(kit, period, state.best),
        reserves=state.reserves,
        points=period_points,
        points_label=fields[3][0],
        active_days=sum(1 for week in levels for level in week if level),
    )
    return Attachment("streak.png", image, "image/png", alt)


def window(kit: Kit, view: str, me: Me, now: datetime) -> tuple[str, ZoneInfo]:
    """The period key of a board view, counted in the community's timezone."""
    tz = when.zone(me.community.get("timezone") or kit.default_timezone)
    week, month = window_keys(now.astimezone(tz).date())
    return {"week": week, "month": month, "all": ALL_TIME}[view], tz


async def leaderboard(
    kit: Kit,
    ctx: Context,
    action: str | None = None,
    view: str | None = None,
    *,
    card: bool = True,
) -> Outcome:
    """Show the community's opt-in effort board (week, month or all time), join or leave."""
    if ctx.in_dm:
        raise UserError("board.not_here")
    action_key = (action or "show").strip().lower()
    if action_key not in ("show", "join", "leave"):
        raise UserError(
            "error.unknown_subcommand",
            command=Text.of("leaderboard"),
            value=action or "",
            choices=Text.of("show, join, leave"),
        )
    view_key = choice(view, BOARD_VIEWS, "view", default="week")
    now = kit.clock.now()
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        assert me.community_id is not None
        if me.community.get("leaderboard") == "off":
            raise UserError("board.off")
        if action_key in ("join", "leave"):
            await u.people.set_leaderboard(me.id, me.community_id, action_key == "join")
            key = "board.joined" if action_key == "join" else "board.left"
            return Outcome.of(me, [kit.private(kit.msg(key))])
        opted_in = await u.people.on_leaderboard(me.id, me.community_id)
        window_key, tz = window(kit, view_key, me, now)
        board = await u.boards.view(
            me.community_id,
            window_key=window_key,
            period=me.period,
            index=streaks.period_index(now, tz, me.period),
            me=me.id if opted_in else None,
            top=BOARD_SIZE,
            around=NEIGHBOURS,
        )
    return Outcome.of(me, [await _board_reply(kit, ctx, me, board, view_key, opted_in, card)])


async def _board_reply(
    kit: Kit, ctx: Context, me: Me, board: Board, view_key: str, opted_in: bool, card: bool
) -> Reply:
    """The board as lines and, when it has rows, as a card; an invitation if not opted in."""
    community = ctx.community.name if ctx.community and ctx.community.name else ""
    view_label = kit.msg(f"board.view.{view_key}")
    title = kit.msg("board.title", community=community, view_label=view_label)
    row_key = "board.row_all" if view_key == "all" else "board.row_window"
    text = Text()
    lines: list[cards.BoardRowCard] = []
    for row in board.rows:
        detail = kit.msg(row_key, streak=span(kit, me.period, row.streak), points=row.points)
        if row.after_gap:
            text += "…\n"
        text += kit.msg("board.row", rank=row.rank, name=row.display_name, detail=detail) + "\n"
        mine = row.person_id == me.id
        lines.append(
            cards.BoardRowCard(row.rank, row.display_name, detail.plain(), mine, row.after_gap)
        )
    if not board.rows:
        text = kit.msg("board.empty", view_label=view_label) + "\n"
    buttons: tuple[Button, ...] = ()
    if not opted_in:
        footer = kit.msg("board.invite")
        buttons = (kit.button("button.join_board", Action("board", "join"), Style.PRIMARY),)
    elif board.my_rank is None:
        footer = kit.msg(f"board.unranked.{view_key}")
    else:
        footer = kit.msg("board.you", rank=board.my_rank, total=board.ranked)
    text += "\n" + footer
    attachments: tuple[Attachment, ...] = ()
    if board.rows and card:
        attachments = (await _board_card(kit, title, lines, footer),)
    return kit.private(text, title=title, buttons=buttons, attachments=attachments)


async def _board_card(
    kit: Kit, title: Text, lines: list[cards.BoardRowCard], footer: Text
) -> Attachment:
    """The board as a picture (drawn off the event loop), with its alt text."""
    picture = cards.BoardCard(
        title=title.plain(),
        subtitle=kit.content.label("board.subtitle"),
        rows=tuple(lines),
        footer=footer.plain(),
    )
    image = await asyncio.to_thread(cards.board_card, picture)
    alt = kit.content.label(
        "card.board_alt",
        title=title,
        rows=Text.of("; ".join(f"{r.rank}. {r.name}, {r.detail}" for r in lines)),
    )
    return Attachment("leaderboard.png", image, "image/png", alt)
