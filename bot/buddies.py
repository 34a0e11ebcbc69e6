"""Practice buddies as a pure rule: who meets whom this round, fairly, from plain values.

The pool becomes a graph whose edges weigh how good each pair would be (never met before,
close in time, same focus); networkx's maximum-weight matching picks the pairs. An odd pool
makes one trio, never a person left out. Chance comes only from the seed, so a round is
repeatable and testable.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

FOCUSES = ("mock", "accountability", "either")
# A pair from the last RECENT rounds is heavily penalised; older pairs only lose the bonus of
# people who never met.
RECENT = 4
BASE = 1_000
FRESH = 200
SAME_FOCUS = 100
# Minus per hour of timezone difference (at most 12 on the clock face): a whole world apart
# costs less than meeting the same person again.
PER_HOUR = 15
# Heaviest for last round's pair, lighter for older: still far below any fresh pair.
RECENT_PENALTY = 700
# Past this many people the exact matcher is too slow (its cost grows with the cube of the
# pool: 10,000 people in one graph would take days): larger pools are matched within bands
# of people close in timezone, each band matched exactly (see `make bench`).
BAND = 16
# Ties are broken by chance from the seed: a weight is scaled up and a small draw added.
SCALE = 100
# An odd band tries this many people as its trio's third, besides the one the matching left.
TRIO_TRIES = 8


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person in the pool: their id, focus, and UTC offset in minutes at round time."""

    person_id: int
    focus: str = "either"
    offset_minutes: int = 0


@dataclass(frozen=True, slots=True)
class History:
    """What past rounds say about pairs: how many rounds ago they last met, and blocks."""

    # frozenset({a, b}) -> rounds since they last met (1 is the round before this one).
    last_met: Mapping[frozenset[int], int] = field(default_factory=dict)
    blocked: frozenset[frozenset[int]] = frozenset()


@dataclass(frozen=True, slots=True)
class Round:
    """The groups of a round (pairs, at most one trio per band), and anyone who could not fit."""

    groups: tuple[tuple[int, ...], ...]
    unplaced: tuple[int, ...] = ()


def hours_apart(a: Candidate, b: Candidate) -> float:
    """The difference between two people's clocks in hours, the short way round (0-12)."""
    diff = abs(a.offset_minutes - b.offset_minutes) % (24 * 60)
    return min(diff, 24 * 60 - diff) / 60


def focus_fits(a: str, b: str) -> bool:
    """True when two focuses agree (either fits both)."""
    return a == b or "either" in (a, b)


def weight(a: Candidate, b: Candidate, history: History) -> int | None:
    """How good a pair would be (higher is better); None when it may never form."""
    pair = frozenset((a.person_id, b.person_id))
    if pair in history.blocked:
        return None
    value = BASE - round(PER_HOUR * hours_apart(a, b))
    if focus_fits(a.focus, b.focus):
        value += SAME_FOCUS
    ago = history.last_met.get(pair)
    if ago is None:
        value += FRESH
    elif ago <= RECENT:
        value -= RECENT_PENALTY * (RECENT + 1 - ago) // RECENT
    return value


def match(pool: Sequence[Candidate], history: History, seed: int) -> Round:
    """The groups of one round: everyone placed once, in pairs and at most one trio per band."""
    rng = random.Random(seed)
    people = sorted(pool, key=lambda c: c.person_id)
    rng.shuffle(people)
    # Close clocks end up in the same band; the shuffle breaks ties between equal offsets.
    people.sort(key=lambda c: c.offset_minutes)
    groups: list[tuple[int, ...]] = []
    unplaced: list[int] = []
    for band in bands(people):
        found = _match_band(band, history, rng)
        groups.extend(found.groups)
        unplaced.extend(found.unplaced)
    return Round(tuple(groups), tuple(unplaced))


def bands(people: Sequence[Candidate]) -> list[Sequence[Candidate]]:
    """Consecutive slices of at most BAND people, each even but the last (one trio at most)."""
    if len(people) <= BAND:
        return [people] if people else []
    count = -(-len(people) // BAND)
    size = -(-len(people) // count)
    size += size % 2
    return [people[i : i + size] for i in range(0, len(people), size)]


def _match_band(band: Sequence[Candidate], history: History, rng: random.Random) -> Round:
    """Exact maximum-weight matching of one band; an odd band also picks its trio's third."""
    weights: dict[frozenset[int], int] = {}
    for i, a in enumerate(band):
        for b in band[i + 1 :]:
            value = weight(a, b, history)
            if value is not None:
                weights[frozenset((a.person_id, b.person_id))] = value * SCALE + rng.randrange(
                    SCALE
                )
    ids = [c.person_id for c in band]
    groups, left = _pairs(ids, weights)
    if len(ids) % 2 and left:
        # The person the matching left over is not always the best third: a trio meets three
        # times over, so try a few others as the third and keep the best round in all.
        others = [p for p in ids if p != left[0]]
        thirds = others if len(others) <= TRIO_TRIES else rng.sample(others, TRIO_TRIES)
        best = _with_trio(groups, left, weights)
        for third in thirds:
            pairs, rest = _pairs([p for p in ids if p != third], weights)
            tried = _with_trio(pairs, [third, *rest], weights)
            if (
                _value(tried[0], weights) - len(tried[1]) * BASE * SCALE
                > _value(best[0], weights) - len(best[1]) * BASE * SCALE
            ):
                best = tried
        return Round(tuple(sorted(best[0])), tuple(best[1]))
    placed, unplaced = _with_trio(groups, left, weights)
    return Round(tuple(sorted(placed)), tuple(unplaced))


def _pairs(
    ids: Sequence[int], weights: Mapping[frozenset[int], int]
) -> tuple[list[tuple[int, ...]], list[int]]:
    """The maximum-weight pairs among ids (as many as can form), and who is left over."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            value = weights.get(frozenset((a, b)))
            if value is not None:
                graph.add_edge(a, b, weight=value)
    pairs = nx.max_weight_matching(graph, maxcardinality=True)
    groups: list[tuple[int, ...]] = [tuple(sorted(p)) for p in pairs]
    matched = {p for pair in groups for p in pair}
    return groups, [p for p in ids if p not in matched]


def _with_trio(
    pairs: Sequence[tuple[int, ...]], left: Sequence[int], weights: Mapping[frozenset[int], int]
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Each person left over joins the pair they fit best as a third; who fits none stays out."""
    groups = list(pairs)
    unplaced: list[int] = []
    for person in left:
        best = _best_trio(person, groups, weights)
        if best is None:
            unplaced.append(person)
        else:
            groups[best] = tuple(sorted((*groups[best], person)))
    return groups, unplaced


def _value(groups: Iterable[tuple[int, ...]], weights: Mapping[frozenset[int], int]) -> int:
    """The weight of a round: every pair that meets, trios counting all three of theirs."""
    return sum(
        weights.get(frozenset((a, b)), 0)
        for g in groups
        for i, a in enumerate(g)
        for b in g[i + 1 :]
    )


def _best_trio(
    person: int, groups: Sequence[tuple[int, ...]], weights: Mapping[frozenset[int], int]
) -> int | None:
    """The index of the pair the person fits best as a third, or None when none can take them."""
    best, best_value = None, -1
    for index, group in enumerate(groups):
        if len(group) != 2:
            continue
        edges = [weights.get(frozenset((person, other))) for other in group]
        if any(e is None for e in edges):
            continue
        value = sum(e for e in edges if e is not None)
        if value > best_value:
            best, best_value = index, value
    return best
