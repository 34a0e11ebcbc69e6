"""Isolation as a property: random communities, people and actions, checked after every round."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.models import CommunityRef, Context, PersonRef
from bot.store import PERSONAL_TABLES
from tests.conftest import tables_naming, text_of


async def buddies_due_now(core, clock, communities, seed) -> None:
    """Practice buddies on in every community, with a round due now (today, this hour, UTC)."""
    today = clock.now().strftime("%A").lower()
    for community in communities:
        admin = Context(PersonRef("test", f"admin{seed}", "Admin"), community, "c", is_admin=True)
        await core.admin(admin, buddies="weekly", buddy_day=today, buddy_hour=str(clock.now().hour))


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_nothing_crosses_communities_or_people(core, store, db_path, clock, seed):
    rng = random.Random(seed)
    communities = [CommunityRef("test", f"g{n}", f"Guild {n}") for n in range(3)]
    people: dict[str, dict] = {}
    await buddies_due_now(core, clock, communities, seed)
    for n in range(18):
        name = f"Person{seed}x{n:02d}"
        home = rng.choice(communities)
        people[name] = {"home": home, "opted": rng.random() < 0.6, "secret": f"secret-{name}"}
        ctx = Context(PersonRef("test", name.lower(), name), home, "c")
        if people[name]["opted"]:
            await core.leaderboard(ctx, "join")
            await core.settings(ctx, shoutouts="on")
        if rng.random() < 0.7:
            await core.buddy(ctx, "join", focus=rng.choice(["mock", "accountability", "either"]))
        logged = await core.rejected(ctx, company=f"Co-{name}", note=people[name]["secret"])
        await core.press(Context(ctx.person, home, "c"), logged[0].buttons[0].action_id)
        await core.dm_text(Context(ctx.person), f"answer by {name}")
        if rng.random() < 0.5:
            await core.applied(ctx, company=f"App-{name}", source=f"src-{name}")
            await core.skills_add(ctx, name=f"Gap{name}")
        for _ in range(rng.randint(0, 3)):
            await core.checkin(ctx, mood=rng.randint(1, 5))
            clock.advance(timedelta(hours=rng.randint(1, 30)))

    for community in communities:
        members = {n for n, p in people.items() if p["home"] == community}
        for viewer in members:
            ctx = Context(PersonRef("test", viewer.lower(), viewer), community, "c")
            for view in ("week", "month", "all"):
                replies = await core.leaderboard(ctx, view=view)
                board = text_of(replies) + "".join(a.description for a in replies[0].attachments)
                for name, person in people.items():
                    if name in board:
                        assert person["home"] == community and person["opted"], (name, view)
                    assert person["secret"] not in board
                    assert f"Co-{name}" not in board
                    assert f"App-{name}" not in board and f"Gap{name}" not in board
        community_id = (
            await store.people.join(
                (await store.people.find("test", next(iter(members)).lower())).id,
                community,
                clock.now(),
            )
            if members
            else None
        )
        if community_id is not None:
            digest = (await core.digest(community_id, clock.now())).text.plain()
            for name, person in people.items():
                assert person["secret"] not in digest and f"Co-{name}" not in digest
                assert f"App-{name}" not in digest and f"Gap{name}" not in digest
                if name in digest:
                    assert person["home"] == community and person["opted"]

    # A buddy round pairs people of one community only, and status names only their partners.
    await buddies_due_now(core, clock, communities, seed)
    await core.buddy_rounds(clock.now(), timedelta(minutes=5))
    paired = 0
    for name, person in people.items():
        status = text_of(
            await core.buddy(
                Context(PersonRef("test", name.lower(), name), person["home"], "c"), "status"
            )
        )
        for other, them in people.items():
            if other != name and other in status:
                assert them["home"] == person["home"], (name, other)
        paired += "Last round you were with" in status
    assert paired >= 2  # the round did pair people: the check above is not vacuous

    for name in people:
        alone = Context(PersonRef("test", name.lower(), name))
        skills = text_of(await core.skills_list(alone))
        assert all(f"Gap{other}" not in skills for other in people if other != name)
        journal = text_of(await core.journal(Context(PersonRef("test", name.lower(), name))))
        for other in people:
            if other != name:
                assert f"answer by {other}" not in journal
                assert people[other]["secret"] not in journal

    victim = rng.choice(sorted(people))
    person = await store.people.find("test", victim.lower())
    await core.press(Context(PersonRef("test", victim.lower(), victim)), "forget:confirm")
    tables, left = tables_naming(db_path, person.id)
    assert left == []
    assert {t for t, _ in PERSONAL_TABLES} <= set(tables)
