"""Units of work: one transaction each, all or nothing; the whole-store operations."""

from __future__ import annotations

import inspect

import pytest

from bot.store import interface
from tests.contract.conftest import NOW, someone


async def test_a_unit_keeps_everything_it_wrote(store):
    async with store.unit() as u:
        person = await someone(u)
        first = await u.checkins.add(person.id, 3, "kept", NOW)
        second = await u.checkins.add(person.id, 4, None, NOW)
    assert first != second
    assert await store.checkins.count(person.id, 3, NOW) == 1
    assert await store.checkins.count(person.id, 4, NOW) == 1


async def test_a_unit_that_fails_keeps_nothing_it_wrote(store):
    person = await someone(store)
    with pytest.raises(RuntimeError, match="boom"):
        async with store.unit() as u:
            await u.checkins.add(person.id, 3, "lost", NOW)
            await u.state.bump("counter")
            raise RuntimeError("boom")
    assert await store.checkins.count(person.id, 3, NOW) == 0
    assert await store.state.get("counter") is None


async def test_a_unit_inside_a_unit_is_part_of_it(store):
    person = await someone(store)
    with pytest.raises(RuntimeError):
        async with store.unit() as outer:
            async with store.unit() as inner:
                await inner.checkins.add(person.id, 2, None, NOW)
            await outer.checkins.add(person.id, 2, None, NOW)
            raise RuntimeError("the outer unit fails")
    assert await store.checkins.count(person.id, 2, NOW) == 0


async def test_a_call_outside_a_unit_is_kept_on_its_own(store):
    person = await someone(store)
    await store.state.set("hash", "abc")
    with pytest.raises(RuntimeError):
        async with store.unit() as u:
            await u.state.set("hash", "changed")
            raise RuntimeError("rolled back")
    assert await store.state.get("hash") == "abc"
    assert (await store.people.get(person.id)).display_name == "Alex"


async def test_the_schema_is_current_once_open_and_the_store_is_sound(store):
    version = await store.schema_version()
    assert version > 0
    assert await store.migrate() == version
    assert await store.integrity() == "ok"
    await store.checkpoint()
    assert await store.integrity() == "ok"


def shape(fn) -> list[tuple[str, object, object]]:
    """A callable's parameters as the caller sees them: names, kinds and defaults."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


def repositories() -> list[tuple[str, type]]:
    """Each repository attribute of a unit of work, with its Protocol."""
    hints = inspect.get_annotations(interface.UnitOfWork, eval_str=True)
    return sorted(hints.items())


async def test_every_repository_has_every_method_of_its_protocol(store):
    async with store.unit() as u:
        for name, protocol in repositories():
            for repo in (getattr(u, name), getattr(store, name)):
                for method, declared in inspect.getmembers(protocol, inspect.isfunction):
                    if method.startswith("_"):
                        continue
                    found = getattr(repo, method, None)
                    assert inspect.iscoroutinefunction(found), f"{name}.{method}"
                    assert shape(found) == shape(declared)[1:], f"{name}.{method}"
