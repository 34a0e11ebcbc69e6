"""Boards rank effort of members who opted in; equal points share a place."""

from __future__ import annotations

from bot.models import CommunityRef
from bot.store import StreakRow
from tests.contract.conftest import NOW, member

WEEK = "2026-W48"


async def on_board(store, name: str, points: int, *, opted_in: bool = True, window: str = WEEK):
    person, community_id = await member(store, name)
    await store.effort.add_period_points(person.id, [window, "all"], points)
    if opted_in:
        await store.people.set_leaderboard(person.id, community_id, True)
    return person, community_id


async def view(store, community_id: int, *, me=None, top: int = 10, around: int = 0, window=WEEK):
    return await store.boards.view(
        community_id, window_key=window, period="week", index=100, me=me, top=top, around=around
    )


async def test_equal_points_share_a_place_and_the_next_place_counts_them(store):
    await on_board(store, "Cleo", 3)
    await on_board(store, "Ada", 5)
    _, community_id = await on_board(store, "Bo", 5)
    board = await view(store, community_id)
    assert [(r.rank, r.display_name, r.points) for r in board.rows] == [
        (1, "Ada", 5),
        (1, "Bo", 5),
        (3, "Cleo", 3),
    ]
    assert board.ranked == 3 and board.my_rank is None


async def test_only_members_who_opted_in_are_on_the_board(store):
    await on_board(store, "Ada", 2)
    shy, community_id = await on_board(store, "Shy", 50, opted_in=False)
    board = await view(store, community_id, me=shy.id)
    assert [r.display_name for r in board.rows] == ["Ada"]
    assert board.ranked == 1 and board.my_rank is None
    assert not await store.people.on_leaderboard(shy.id, community_id)


async def test_leaving_the_board_takes_the_member_off_it(store):
    await on_board(store, "Ada", 2)
    bo, community_id = await on_board(store, "Bo", 9)
    await store.people.set_leaderboard(bo.id, community_id, False)
    board = await view(store, community_id)
    assert [(r.rank, r.display_name) for r in board.rows] == [(1, "Ada")]


async def test_points_added_later_move_a_member_up(store):
    ada, community_id = await on_board(store, "Ada", 2)
    await on_board(store, "Bo", 4)
    await store.effort.add_period_points(ada.id, [WEEK], 3)
    board = await view(store, community_id, me=ada.id)
    assert [(r.rank, r.display_name, r.points) for r in board.rows] == [(1, "Ada", 5), (2, "Bo", 4)]
    assert board.my_rank == 1


async def test_each_window_ranks_its_own_points(store):
    await on_board(store, "Ada", 1, window="2026-W47")
    _, community_id = await on_board(store, "Bo", 1)
    assert [r.display_name for r in (await view(store, community_id)).rows] == ["Bo"]
    all_time = await view(store, community_id, window="all")
    assert [(r.rank, r.display_name) for r in all_time.rows] == [(1, "Ada"), (1, "Bo")]


async def test_a_member_far_down_sees_their_place_and_neighbours_after_a_gap(store):
    names = [f"P{n:02d}" for n in range(8)]
    people = {}
    for n, name in enumerate(names):
        people[name], community_id = await on_board(store, name, 100 - n)
    me = people["P06"]
    board = await view(store, community_id, me=me.id, top=2, around=1)
    assert [(r.rank, r.display_name, r.after_gap) for r in board.rows] == [
        (1, "P00", False),
        (2, "P01", False),
        (6, "P05", True),
        (7, "P06", False),
        (8, "P07", False),
    ]
    assert board.my_rank == 7 and board.ranked == 8


async def test_the_board_shows_each_members_live_streak(store):
    ada, community_id = await on_board(store, "Ada", 5)
    await store.effort.save_streak(ada.id, StreakRow(current=3, best=3, last_period=100), NOW)
    [row] = (await view(store, community_id)).rows
    assert row.streak == 3


async def test_boards_of_two_communities_are_apart(store):
    await on_board(store, "Ada", 5)
    elsewhere = CommunityRef("test", "guild-2", "Elsewhere")
    bo, other_id = await member(store, "Bo", elsewhere)
    await store.effort.add_period_points(bo.id, [WEEK], 1)
    await store.people.set_leaderboard(bo.id, other_id, True)
    assert [r.display_name for r in (await view(store, other_id)).rows] == ["Bo"]
