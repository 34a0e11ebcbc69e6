"""The practice-buddy matcher: fair pairs, one trio for odd pools, blocks kept, by seed."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.buddies import BAND, FOCUSES, RECENT, Candidate, History, Round, match


def pairs_of(round_: Round) -> set[frozenset[int]]:
    return {frozenset(p) for g in round_.groups for p in itertools.combinations(g, 2)}


def play(pool: list[Candidate], rounds: int, blocked: frozenset = frozenset()) -> list[Round]:
    """Run rounds one after another, feeding each round's pairs back as history."""
    last_met: dict[frozenset[int], int] = {}
    played = []
    for number in range(rounds):
        history = History({p: number - r for p, r in last_met.items()}, blocked)
        found = match(pool, history, seed=number)
        played.append(found)
        for pair in pairs_of(found):
            last_met[pair] = number
    return played


def test_twelve_rounds_of_nine_never_repeat_a_pair_within_four_rounds():
    pool = [Candidate(i) for i in range(1, 10)]
    played = play(pool, 12)
    for start in range(len(played) - RECENT + 1):
        window = played[start : start + RECENT]
        seen: list[frozenset[int]] = [p for r in window for p in pairs_of(r)]
        assert len(seen) == len(set(seen)), f"a pair met twice in rounds {start}-{start + 3}"


def test_fresh_partners_come_before_anyone_meets_again():
    pool = [Candidate(i) for i in range(1, 7)]
    played = play(pool, 5)
    # Six people have 15 pairs, three a round: five rounds meet each pair exactly once.
    every = [p for r in played for p in pairs_of(r)]
    assert len(every) == len(set(every)) == 15


@pytest.mark.parametrize("count", [3, 5, 7, 9, 11, 25, 51])
def test_an_odd_pool_makes_exactly_one_trio_and_leaves_nobody_out(count):
    found = match([Candidate(i) for i in range(count)], History(), seed=3)
    sizes = sorted(len(g) for g in found.groups)
    assert sizes.count(3) == 1 and set(sizes) <= {2, 3}
    assert found.unplaced == ()


def test_an_even_pool_makes_only_pairs():
    found = match([Candidate(i) for i in range(10)], History(), seed=3)
    assert [len(g) for g in found.groups] == [2] * 5


def test_a_pool_of_one_places_nobody_and_says_so():
    assert match([Candidate(7)], History(), seed=1) == Round((), (7,))
    assert match([], History(), seed=1) == Round(())


def test_blocked_pairs_never_form_in_any_round():
    pool = [Candidate(i) for i in range(1, 8)]
    blocked = frozenset({frozenset((1, 2)), frozenset((3, 4)), frozenset((1, 5))})
    for found in play(pool, 10, blocked):
        assert not (pairs_of(found) & blocked)
        assert found.unplaced == ()


def test_two_people_who_blocked_each_other_are_not_paired_but_told():
    found = match([Candidate(1), Candidate(2)], History({}, frozenset({frozenset((1, 2))})), 1)
    assert found.groups == () and sorted(found.unplaced) == [1, 2]


# Four people, two on each of two clocks: the pairs should share a clock.
@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((0, 0, 330, 330), {(0, 1), (2, 3)}),  # London and Kolkata
        ((0, 330, 0, 330), {(0, 2), (1, 3)}),
        ((-300, 60, -300, 60), {(0, 2), (1, 3)}),  # New York and Berlin
        ((600, -600, 540, -660), {(0, 2), (1, 3)}),  # Sydney and Tokyo; Hawaii and Alaska-ish
        ((720, -720, 0, 60), {(0, 1), (2, 3)}),  # +12 and -12 are the same clock face
    ],
)
def test_pairs_prefer_a_small_timezone_difference(offsets, expected):
    pool = [Candidate(i, offset_minutes=o) for i, o in enumerate(offsets)]
    found = match(pool, History(), seed=5)
    assert set(found.groups) == expected


def test_same_focus_is_preferred_when_clocks_agree():
    focuses = ("mock", "accountability", "mock", "accountability")
    pool = [Candidate(i, focus=f) for i, f in enumerate(focuses)]
    assert set(match(pool, History(), seed=2).groups) == {(0, 2), (1, 3)}


def test_never_met_beats_a_closer_clock_met_last_round():
    pool = [Candidate(0, offset_minutes=0), Candidate(1, offset_minutes=0)]
    pool += [Candidate(2, offset_minutes=180), Candidate(3, offset_minutes=180)]
    history = History({frozenset((0, 1)): 1, frozenset((2, 3)): 1})
    assert set(match(pool, history, seed=1).groups) == {(0, 2), (1, 3)} or set(
        match(pool, history, seed=1).groups
    ) == {(0, 3), (1, 2)}


def test_the_same_seed_gives_the_same_round_and_another_seed_may_differ():
    pool = [Candidate(i, focus=FOCUSES[i % 3]) for i in range(20)]
    assert match(pool, History(), seed=42) == match(list(reversed(pool)), History(), seed=42)
    rounds = {match(pool, History(), seed=s).groups for s in range(10)}
    assert len(rounds) > 1


def test_a_large_pool_is_matched_in_bands_with_one_trio_in_all():
    pool = [Candidate(i, offset_minutes=(i % 25 - 12) * 60) for i in range(BAND * 5 + 1)]
    found = match(pool, History(), seed=9)
    assert sorted(len(g) for g in found.groups).count(3) == 1
    assert sum(len(g) for g in found.groups) == len(pool)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FOCUSES), st.integers(-720, 840)),
        min_size=2,
        max_size=70,
    ),
    st.integers(0, 2**32),
)
def test_everyone_is_placed_exactly_once_in_groups_of_two_or_three(people, seed):
    pool = [Candidate(i, f, o) for i, (f, o) in enumerate(people)]
    found = match(pool, History(), seed)
    placed = [p for g in found.groups for p in g]
    assert sorted(placed) == list(range(len(pool)))
    assert found.unplaced == ()
    assert all(len(g) in (2, 3) for g in found.groups)
    assert sum(len(g) == 3 for g in found.groups) == len(pool) % 2
