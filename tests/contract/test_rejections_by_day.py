"""Rejections logged in a span of time: what a day's check-in is about."""

from __future__ import annotations

from datetime import timedelta

from tests.contract.conftest import NOW, later, someone


async def test_rejections_logged_in_a_span_oldest_first_and_only_the_persons(store):
    person = await someone(store)
    other = await someone(store, "Bea")
    for company, at in (("Acme", NOW), ("Initech", later(hours=2)), ("Umbrella", later(days=1))):
        await store.rejections.add(
            person.id, None, company=company, role=None, stage="screen", feeling=None,
            note=None, now=at,
        )  # fmt: skip
    await store.rejections.add(
        other.id, None, company="Elsewhere", role=None, stage="screen", feeling=None,
        note=None, now=NOW,
    )  # fmt: skip
    found = await store.rejections.logged_between(person.id, NOW, NOW + timedelta(days=1))
    assert [r.company for r in found] == ["Acme", "Initech"]
