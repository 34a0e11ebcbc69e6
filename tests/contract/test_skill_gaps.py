"""Skill gaps: one gap per key, linked to the person's own no's, with steps, theirs alone."""

from __future__ import annotations

from tests.contract.conftest import NOW, later, someone


async def _no(store, person_id: int, company: str, minutes: int = 0) -> int:
    return await store.rejections.add(
        person_id,
        None,
        company=company,
        role=None,
        stage="technical",
        feeling=None,
        note=None,
        now=later(minutes=minutes),
    )


async def test_naming_a_gap_again_links_it_to_another_no(store):
    alex = await someone(store, "Alex")
    first, second = await _no(store, alex.id, "Initech"), await _no(store, alex.id, "Umbrella", 5)
    made = await store.skills.name(alex.id, "SQL window functions", "k", first, NOW)
    assert (made.created, made.linked, made.newly_linked) == (True, 1, True)
    again = await store.skills.name(alex.id, "window functions in SQL", "k", second, later(hours=1))
    assert (again.created, again.linked, again.gap.id) == (False, 2, made.gap.id)
    # The name it was first given stays; naming the same no twice links it once.
    assert again.gap.name == "SQL window functions"
    twice = await store.skills.name(alex.id, "SQL window functions", "k", second, later(hours=2))
    assert (twice.linked, twice.newly_linked) == (2, False)
    [view] = await store.skills.all(alex.id)
    assert [r.company for r in view.rejections] == ["Initech", "Umbrella"]


async def test_a_gap_named_without_a_no_or_with_someone_elses_links_nothing(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    theirs = await _no(store, sam.id, "Hooli")
    direct = await store.skills.name(alex.id, "public speaking", "p", None, NOW)
    stolen = await store.skills.name(alex.id, "public speaking", "p", theirs, NOW)
    assert direct.linked == stolen.linked == 0 and not stolen.newly_linked
    assert await store.skills.all(sam.id) == []
    assert await store.skills.get(direct.gap.id, sam.id) is None


async def test_status_and_steps(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    older = (await store.skills.name(alex.id, "SQL", "sql", None, NOW)).gap
    newer = (await store.skills.name(alex.id, "Python", "python", None, later(hours=1))).gap
    assert [v.gap.name for v in await store.skills.all(alex.id)] == ["Python", "SQL"]
    assert await store.skills.set_status(newer.id, sam.id, "confident", NOW) is False
    assert await store.skills.set_status(newer.id, alex.id, "confident", later(hours=2)) is True
    assert await store.skills.set_status(newer.id, alex.id, "confident", later(hours=3)) is False
    views = await store.skills.all(alex.id)
    # Gaps still being worked on come first.
    assert [(v.gap.name, v.gap.status) for v in views] == [
        ("SQL", "working"),
        ("Python", "confident"),
    ]
    assert views[1].gap.confident_at == later(hours=2)
    step_id = await store.skills.add_step(older.id, alex.id, "two katas", later(days=2), NOW)
    assert (await store.skills.step(step_id, sam.id)) is None
    step = await store.skills.step(step_id, alex.id)
    assert (step.text, step.due_at, step.done_at, step.gap_id) == (
        "two katas",
        later(days=2),
        None,
        older.id,
    )
    assert await store.skills.step_done(step_id, sam.id, NOW) is False
    assert await store.skills.step_done(step_id, alex.id, later(days=2)) is True
    assert await store.skills.step_done(step_id, alex.id, later(days=3)) is False
    [sql_view] = [v for v in await store.skills.all(alex.id) if v.gap.name == "SQL"]
    assert [s.done_at for s in sql_view.steps] == [later(days=2)]


async def test_export_holds_gaps_links_and_steps_and_forget_erases_them(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    no = await _no(store, alex.id, "Initech")
    made = await store.skills.name(alex.id, "SQL joins", "join sql", no, NOW)
    await store.skills.add_step(made.gap.id, alex.id, "practise joins", None, NOW)
    await store.skills.name(sam.id, "Go", "go", None, NOW)
    exported = await store.accounts.export(alex.id)
    assert [g["name"] for g in exported["skill_gaps"]] == ["SQL joins"]
    assert [s["text"] for s in exported["skill_steps"]] == ["practise joins"]
    assert len(exported["skill_gap_rejections"]) == 1
    await store.accounts.forget(alex.id)
    assert await store.skills.all(alex.id) == []
    assert [v.gap.name for v in await store.skills.all(sam.id)] == ["Go"]


async def test_deleting_a_no_unlinks_it_from_its_gap(store):
    alex = await someone(store, "Alex")
    no = await _no(store, alex.id, "Initech")
    await store.skills.name(alex.id, "SQL", "sql", no, NOW)
    assert await store.timeline.delete(no, alex.id)
    [view] = await store.skills.all(alex.id)
    assert view.rejections == ()
