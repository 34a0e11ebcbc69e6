"""Timeline: a person's rejections newest first, paged, edited and deleted, theirs alone."""

from __future__ import annotations

from bot.store.records_growth import RejectionEdit
from tests.contract.conftest import later, someone


async def _log(store, person_id: int, company: str | None, minutes: int, stage: str = "screen"):
    return await store.rejections.add(
        person_id,
        None,
        company=company,
        role="Analyst",
        stage=stage,
        feeling=3,
        note="kept private",
        now=later(minutes=minutes),
    )


async def test_pages_come_newest_first_with_the_total(store):
    alex = await someone(store, "Alex")
    ids = [await _log(store, alex.id, f"Co {n}", n) for n in range(7)]
    first = await store.timeline.page(alex.id, 0, 5)
    assert [e.rejection.id for e in first.entries] == ids[::-1][:5]
    assert first.total == 7
    second = await store.timeline.page(alex.id, 5, 5)
    assert [e.rejection.company for e in second.entries] == ["Co 1", "Co 0"]
    assert (await store.timeline.page(alex.id, 10, 5)).entries == ()


async def test_only_a_written_answer_makes_a_rejection_reflected_on(store):
    alex = await someone(store, "Alex")
    skipped, answered = await _log(store, alex.id, "A", 1), await _log(store, alex.id, "B", 2)
    for rejection_id, text in ((skipped, None), (answered, "the panel wanted more SQL")):
        reflection = await store.reflections.start(
            alex.id, rejection_id, "screen", ["fit.1"], later(minutes=3)
        )
        await store.reflections.record_answer(reflection, 0, "fit.1", text, later(minutes=4))
    marks = {
        e.rejection.company: e.reflected for e in (await store.timeline.page(alex.id, 0, 5)).entries
    }
    assert marks == {"A": False, "B": True}


async def test_someone_elses_rejections_are_never_listed_edited_or_deleted(store):
    alex, sam = await someone(store, "Alex"), await someone(store, "Sam")
    theirs = await _log(store, sam.id, "Hooli", 1)
    assert (await store.timeline.page(alex.id, 0, 5)).total == 0
    assert await store.timeline.edit(theirs, alex.id, RejectionEdit(company="Mine now")) is None
    assert await store.timeline.delete(theirs, alex.id) is False
    kept = await store.rejections.get(theirs, sam.id)
    assert kept is not None and kept.company == "Hooli"


async def test_an_edit_changes_what_was_given_and_clears_what_was_emptied(store):
    alex = await someone(store, "Alex")
    rejection_id = await _log(store, alex.id, "Acme", 1)
    saved = await store.timeline.edit(
        rejection_id, alex.id, RejectionEdit(stage="final", company="Initech", clear_note=True)
    )
    assert (saved.company, saved.role, saved.stage, saved.note) == (
        "Initech",
        "Analyst",
        "final",
        None,
    )
    assert await store.rejections.get(rejection_id, alex.id) == saved
    unchanged = await store.timeline.edit(rejection_id, alex.id, RejectionEdit())
    assert unchanged == saved


async def test_a_deleted_rejection_leaves_its_reflection_unlinked(store):
    alex = await someone(store, "Alex")
    rejection_id = await _log(store, alex.id, "Acme", 1)
    reflection = await store.reflections.start(
        alex.id, rejection_id, "screen", ["fit.1"], later(minutes=2)
    )
    await store.reflections.record_answer(reflection, 0, "fit.1", "learned a lot", later(minutes=3))
    assert await store.timeline.delete(rejection_id, alex.id) is True
    assert await store.rejections.get(rejection_id, alex.id) is None
    assert (await store.timeline.page(alex.id, 0, 5)).total == 0
    kept = await store.reflections.get(reflection, alex.id)
    assert kept is not None and kept.rejection_id is None
    assert [a.text for a in await store.reflections.answers(reflection)] == ["learned a lot"]
    assert await store.timeline.delete(rejection_id, alex.id) is False
