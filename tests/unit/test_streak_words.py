"""Issue 14 item 13: streak and board words agree with each other; check-ins earn once a day."""

from __future__ import annotations

from datetime import timedelta

from bot.core import Rebound
from bot.ports import FixedClock
from bot.reminders import streak_note
from bot.store import StreakRow
from bot.streaks import settle
from tests.conftest import in_channel, text_of


async def points(core: Rebound) -> int:
    me = await core.store.people.find("test", "alex")
    assert me is not None
    return (await core.store.effort.streak(me.id)).total_points


async def test_checkins_earn_at_most_one_point_a_day(core: Rebound, clock: FixedClock) -> None:
    await core.checkin(in_channel(), mood=3)
    again = await core.checkin(in_channel(), mood=4, note="better after a walk")
    assert await points(core) == 1
    assert "Thanks for checking in again" in text_of(again) or "again today" in text_of(again)
    clock.advance(timedelta(days=1))
    await core.checkin(in_channel(), mood=3)
    assert await points(core) == 2


async def test_an_empty_board_never_says_nobody_joined_to_someone_on_it(core: Rebound) -> None:
    await core.leaderboard(in_channel(), "join")
    board = text_of(await core.leaderboard(in_channel(), "show"))
    assert "Nobody has joined" not in board
    assert "You're on the board" in board


async def test_a_paused_streak_is_not_called_no_streak_yet(
    core: Rebound, clock: FixedClock
) -> None:
    await core.checkin(in_channel(), mood=3)
    clock.advance(timedelta(weeks=3))
    shown = text_of(await core.streak(in_channel()))
    assert "No streak yet" not in shown
    assert "paused" in shown and "1 week" in shown


def test_settling_a_streak_names_what_happened() -> None:
    kept = StreakRow(5, 5, 1, 100, 3, 20)
    assert streak_note(kept, settle(kept, 102)) == "streak_reserve"
    assert streak_note(kept, settle(kept, 103)) == "streak_paused"
    assert streak_note(kept, settle(kept, 101)) is None
