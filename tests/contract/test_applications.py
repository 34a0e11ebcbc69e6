"""Applications: logged with /applied, counted by time, each person's own."""

from __future__ import annotations

from tests.contract.conftest import NOW, later, someone


async def test_applications_are_counted_from_a_moment_and_listed_oldest_first(store):
    alex = await someone(store, "Alex")
    for hours, company in ((0, "Acme"), (5, None), (30, "Initech")):
        await store.applications.add(
            alex.id, company=company, role="Analyst", source="LinkedIn", now=later(hours=hours)
        )
    assert await store.applications.count_since(alex.id, NOW) == 3
    assert await store.applications.count_since(alex.id, later(hours=5)) == 2
    assert await store.applications.count_since(alex.id, later(hours=31)) == 0
    found = await store.applications.between(alex.id, NOW, later(hours=30))
    assert [(a.company, a.role, a.source) for a in found] == [
        ("Acme", "Analyst", "LinkedIn"),
        (None, "Analyst", "LinkedIn"),
    ]
    assert found[0].created_at == NOW and found[0].person_id == alex.id


async def test_one_persons_applications_are_never_anothers(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    await store.applications.add(sam.id, company="Hooli", role=None, source=None, now=NOW)
    assert await store.applications.count_since(alex.id, NOW) == 0
    assert await store.applications.between(alex.id, NOW, later(days=1)) == []


async def test_export_holds_the_applications_and_forget_erases_them(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    await store.applications.add(alex.id, company="Acme", role="QA", source="site", now=NOW)
    await store.applications.add(sam.id, company="Hooli", role=None, source=None, now=NOW)
    exported = await store.accounts.export(alex.id)
    assert [(r["company"], r["role"], r["source"]) for r in exported["applications"]] == [
        ("Acme", "QA", "site")
    ]
    await store.accounts.forget(alex.id)
    assert await store.applications.between(alex.id, NOW, later(days=1)) == []
    assert await store.applications.count_since(sam.id, NOW) == 1
