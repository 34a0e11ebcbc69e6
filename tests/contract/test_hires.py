"""Hires and helpers: a yes is the person's own; willingness to help is one flag, changeable."""

from __future__ import annotations

from tests.contract.conftest import NOW, later, someone


async def test_a_yes_is_stored_and_only_its_owner_finds_it(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    hire_id = await store.hires.add(alex.id, company="Initech", role="Analyst", now=NOW)
    found = await store.hires.get(hire_id, alex.id)
    assert (found.company, found.role, found.created_at) == ("Initech", "Analyst", NOW)
    assert await store.hires.get(hire_id, sam.id) is None


async def test_willingness_to_help_is_one_flag_that_can_change(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    assert await store.hires.helper(alex.id) is None
    await store.hires.set_helper(alex.id, True, NOW)
    await store.hires.set_helper(sam.id, False, NOW)
    assert await store.hires.helper(alex.id) is True
    await store.hires.set_helper(alex.id, False, later(days=1))
    assert await store.hires.helper(alex.id) is False


async def test_export_holds_the_yes_and_the_flag_and_forget_erases_them(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    await store.hires.add(alex.id, company="Initech", role=None, now=NOW)
    await store.hires.set_helper(alex.id, True, NOW)
    await store.hires.set_helper(sam.id, True, NOW)
    exported = await store.accounts.export(alex.id)
    assert [h["company"] for h in exported["hires"]] == ["Initech"]
    assert [h["willing"] for h in exported["helpers"]] == [1]
    await store.accounts.forget(alex.id)
    assert await store.hires.helper(alex.id) is None
    assert await store.hires.helper(sam.id) is True
