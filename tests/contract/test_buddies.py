"""Practice buddies in the store: the pool, rounds claimed once with their seats, and blocks."""

from __future__ import annotations

from tests.contract.conftest import NOW, later, member


async def test_joining_pausing_and_leaving_the_pool(store):
    ada, cid = await member(store, "Ada")
    bo, _ = await member(store, "Bo")
    await store.people.update(bo.id, timezone="Asia/Kolkata")
    assert await store.buddies.join(ada.id, cid, "mock", NOW)
    assert await store.buddies.join(bo.id, cid, "either", NOW)
    assert not await store.buddies.join(ada.id, cid, "accountability", NOW)  # a focus change
    pool = await store.buddies.pool(cid, NOW)
    assert [(m.person_id, m.focus, m.timezone) for m in pool] == [
        (ada.id, "accountability", None),
        (bo.id, "either", "Asia/Kolkata"),
    ]
    assert await store.buddies.pause(ada.id, cid, later(days=10))
    assert [m.person_id for m in await store.buddies.pool(cid, later(days=9))] == [bo.id]
    assert [m.person_id for m in await store.buddies.pool(cid, later(days=10))] == [ada.id, bo.id]
    assert await store.buddies.pause(bo.id, cid, None)  # until they come back themselves
    assert [m.person_id for m in await store.buddies.pool(cid, later(days=400))] == [ada.id]
    assert (await store.buddies.get(bo.id, cid)).paused
    assert await store.buddies.resume(bo.id, cid)
    assert not (await store.buddies.get(bo.id, cid)).paused
    assert await store.buddies.leave(ada.id, cid)
    assert not await store.buddies.leave(ada.id, cid)
    assert await store.buddies.get(ada.id, cid) is None
    assert not await store.buddies.pause(ada.id, cid, None)


async def test_unanswered_rounds_are_counted_and_reset_by_an_answer(store):
    ada, cid = await member(store, "Ada")
    bo, _ = await member(store, "Bo")
    for person in (ada, bo):
        await store.buddies.join(person.id, cid, "mock", NOW)
    assert await store.buddies.note_rounds(cid, [], [ada.id, bo.id]) == {ada.id: 1, bo.id: 1}
    assert await store.buddies.note_rounds(cid, [bo.id], [ada.id]) == {ada.id: 2}
    assert (await store.buddies.get(bo.id, cid)).silent_rounds == 0
    await store.buddies.join(ada.id, cid, "mock", NOW)  # joining again starts afresh
    assert (await store.buddies.get(ada.id, cid)).silent_rounds == 0


async def test_only_communities_that_turned_buddies_on_are_listed(store):
    ada, cid = await member(store, "Ada")
    assert await store.buddies.communities() == []
    await store.community.set_setting(cid, "buddies", "weekly", ada.id, NOW)
    await store.community.set_setting(cid, "buddy_day", "tuesday", ada.id, NOW)
    assert await store.buddies.communities() == [
        (cid, {"buddies": "weekly", "buddy_day": "tuesday"})
    ]


async def test_a_round_is_claimed_once_and_again_only_after_its_lease_ran_out(store):
    _, cid = await member(store, "Ada")
    first = await store.buddy_rounds.claim(cid, "2026-11-30", NOW, later(minutes=5))
    assert first is not None
    assert (
        await store.buddy_rounds.claim(cid, "2026-11-30", later(minutes=1), later(minutes=6))
        is None
    )
    again = await store.buddy_rounds.claim(cid, "2026-11-30", later(minutes=5), later(minutes=10))
    assert again == first
    await store.buddy_rounds.record(first, [], later(minutes=6))
    assert await store.buddy_rounds.claim(cid, "2026-11-30", later(hours=1), later(hours=2)) is None
    assert await store.buddy_rounds.claim(cid, "2026-12-07", later(days=7), later(days=8)) not in (
        None,
        first,
    )


async def test_a_rounds_groups_answers_and_credit(store):
    people = [await member(store, name) for name in ("Ada", "Bo", "Cy", "Di", "Ed")]
    cid = people[0][1]
    a, b, c, d, e = (p.id for p, _ in people)
    round_id = await store.buddy_rounds.claim(cid, "2026-11-30", NOW, later(minutes=5))
    await store.buddy_rounds.record(
        round_id, [[(a, "mock"), (b, "mock")], [(c, "either"), (d, "mock"), (e, "either")]], NOW
    )
    group = await store.buddy_rounds.group(round_id, d)
    assert [(s.person_id, s.display_name, s.focus) for s in group] == [
        (c, "Cy", "either"),
        (d, "Di", "mock"),
        (e, "Ed", "either"),
    ]
    assert await store.buddy_rounds.group(round_id, 999_999) == []
    assert await store.buddy_rounds.latest(a, cid) == round_id
    assert await store.buddy_rounds.latest(a, None) == round_id
    assert await store.buddy_rounds.round_of(round_id) == (cid, "2026-11-30")
    assert await store.buddy_rounds.answer(round_id, a, "met", NOW)
    assert await store.buddy_rounds.answer(round_id, a, "another", NOW)
    assert not await store.buddy_rounds.answer(round_id, 999_999, "met", NOW)
    assert await store.buddy_rounds.credit(round_id, a, NOW)
    assert not await store.buddy_rounds.credit(round_id, a, later(minutes=1))
    seat = next(s for s in await store.buddy_rounds.group(round_id, a) if s.person_id == a)
    assert (seat.answer, seat.credited) == ("met", True)
    (past,) = await store.buddy_rounds.recent(cid, 4)
    assert past.groups == ((a, b), (c, d, e)) and past.another == {a}
    assert past.answered == {a}


async def test_recent_rounds_come_newest_first_and_only_closed_ones(store):
    ada, cid = await member(store, "Ada")
    keys = ["2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
    for key in keys:
        round_id = await store.buddy_rounds.claim(cid, key, NOW, later(minutes=5))
        await store.buddy_rounds.record(round_id, [[(ada.id, "mock")]], NOW)
    await store.buddy_rounds.claim(cid, "2026-12-07", NOW, later(minutes=5))  # still matching
    assert [r.round_key for r in await store.buddy_rounds.recent(cid, 3)] == keys[:0:-1]


async def test_blocks_are_kept_once_and_found_only_among_the_pool(store):
    ada, cid = await member(store, "Ada")
    bo, _ = await member(store, "Bo")
    cy, _ = await member(store, "Cy")
    for person in (ada, bo):
        await store.buddies.join(person.id, cid, "mock", NOW)
    await store.buddy_blocks.block(ada.id, bo.id, NOW)
    await store.buddy_blocks.block(ada.id, bo.id, later(minutes=1))
    await store.buddy_blocks.block(cy.id, ada.id, NOW)  # Cy is not in the pool
    assert await store.buddy_blocks.among(cid) == {frozenset((ada.id, bo.id))}
