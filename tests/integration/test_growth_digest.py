"""The weekly digest's stage counts: only when at least five people contributed, names never."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import COMMUNITY, in_channel

STAGES_OF = {"Ada": "screen", "Bea": "screen", "Cy": "technical", "Dee": "final"}


async def _digest(core, store, clock) -> str:
    ada = await store.people.find("test", "ada")
    community_id = await store.people.join(ada.id, COMMUNITY, clock.now())
    reply = await core.digest(community_id, clock.now() + timedelta(days=1))
    return reply.text.plain()


async def test_stage_counts_wait_for_five_people_and_never_name_anyone(core, store, clock):
    for name, stage in STAGES_OF.items():
        await core.rejected(in_channel(name), company=f"{name} Corp", stage=stage)
    await core.rejected(in_channel("Ada"), company="Again Corp", stage="screen")
    four = await _digest(core, store, clock)
    # Four people, five no's: a group that small could identify someone.
    assert "Where no's came" not in four
    await core.rejected(in_channel("Eve"), company="Eve Corp", stage="final")
    five = await _digest(core, store, clock)
    assert (
        "Where no's came this week, across 5 people: 3 at the screening stage, "
        "1 at the technical interview stage, 2 at the final round stage." in five
    )
    for name in (*STAGES_OF, "Eve"):
        assert name not in five
    assert "Corp" not in five
