"""A reflection that listens: typed controls, the conversation a reply belongs to, and more."""

from __future__ import annotations

import itertools

import pytest

from bot.core import Rebound
from tests.conftest import action, in_channel, in_dm, text_of


async def start_reflection(core: Rebound, feeling: int = 3, stage: str = "final", **kw: str):
    logged = await core.rejected(in_channel(), company="Acme", stage=stage, feeling=feeling, **kw)
    return await core.press(in_channel(), action(logged, "reflect:start"))


async def points(core: Rebound) -> int:
    me = await core.store.people.find("test", "alex")
    return (await core.store.effort.streak(me.id)).total_points


async def answers_held(core: Rebound) -> list[str | None]:
    me = await core.store.people.find("test", "alex")
    exported = await core.store.accounts.export(me.id)
    return [row["answer"] for row in exported["reflection_answers"]]


# -- item 8: typed skip, stop, pause, later act like the buttons ---------------------------


async def test_typed_skip_moves_on_and_is_never_saved_or_scored(core):
    await start_reflection(core)
    skipped = await core.dm_text(in_dm(), "skip")
    assert "2 of 3" in skipped[0].title.plain()
    skipped = await core.dm_text(in_dm(), "  Skip. ")
    assert "3 of 3" in skipped[0].title.plain()
    closing = await core.dm_text(in_dm(), "SKIP")
    assert "No answers this time" in text_of(closing)
    assert await points(core) == 0
    assert not [a for a in await answers_held(core) if a]
    assert "skip" not in text_of(await core.journal(in_channel())).lower()


@pytest.mark.parametrize("word", ["stop", "pause", "later", "Later!", "not now"])
async def test_typed_stop_words_pause_like_the_button(core, word):
    await start_reflection(core)
    await core.dm_text(in_dm(), "I rushed the system design answer")
    paused = await core.dm_text(in_dm(), word)
    assert "Paused and saved" in text_of(paused)
    assert "I'm here" in text_of(await core.dm_text(in_dm(), "hello?"))
    resumed = await core.reflect(in_channel())
    assert "2 of 3" in resumed[-1].title.plain()
    assert [a for a in await answers_held(core) if a] == ["I rushed the system design answer"]


async def test_a_word_inside_a_real_answer_is_still_an_answer(core):
    await start_reflection(core)
    replies = await core.dm_text(in_dm(), "I wanted to stop talking and listen")
    assert "2 of 3" in replies[-1].title.plain()
    assert "I wanted to stop talking and listen" in await answers_held(core)


async def test_typed_skip_for_the_next_step_keeps_the_suggestion_without_a_reminder(core):
    await start_reflection(core, feeling=1)
    await core.dm_text(in_dm(), "tired, but my sister came round")
    await core.dm_text(in_dm(), "friends who listen without fixing anything")
    replies = await core.dm_text(in_dm(), "later")
    assert "no reminder" in text_of(replies).lower()
    me = await core.store.people.find("test", "alex")
    pending = await core.store.reminders.for_person(me.id, ["pending"])
    assert not [r for r in pending if r.kind == "next_step"]
    journal = text_of(await core.journal(in_channel()))
    assert "Next step: later" not in journal


# -- item 10: a typed reply goes to the conversation the person is in now -----------------


async def deliver_next_checkin(core: Rebound, clock) -> None:
    """Move the clock to the person's next check-in reminder and deliver it, as the engine does."""
    me = await core.store.people.find("test", "alex")
    pending = await core.store.reminders.for_person(me.id, ["pending"])
    due = min((r for r in pending if r.kind == "checkin"), key=lambda r: r.due_at)
    clock.set(due.due_at)
    assert await core.reminder_message(due, me, due.due_at) is not None
    await core.reminder_delivered(due, me, due.due_at)


async def notes_held(core: Rebound) -> list[str | None]:
    me = await core.store.people.find("test", "alex")
    return [row["note"] for row in (await core.store.accounts.export(me.id))["checkins"]]


async def test_a_checkin_delivered_today_is_what_a_typed_note_answers(core, clock):
    await core.rejected(in_channel(), company="Acme", stage="final", feeling=2)
    # A check-in in DMs asks for a note; none comes that day.
    asked = await core.checkin(in_dm(), mood=2)
    assert "reply here with a few words" in text_of(asked)
    await deliver_next_checkin(core, clock)
    # Days later, the reply answers today's check-in question, not Thursday's check-in.
    typed = await core.dm_text(in_dm(), "slept well and sent two applications")
    assert "Added to your check-in" not in text_of(typed)
    assert "from 1 (rough) to 5 (good)" in text_of(typed)
    await core.press(in_dm(), action(typed, "checkin:mood").rsplit(":", 1)[0] + ":4")
    assert await notes_held(core) == [None, "slept well and sent two applications"]


async def test_a_checkin_delivered_mid_way_through_an_old_reflection_takes_the_reply(core, clock):
    await start_reflection(core, feeling=3)
    await deliver_next_checkin(core, clock)
    typed = await core.dm_text(in_dm(), "a quiet day, mostly okay")
    assert "from 1 (rough) to 5 (good)" in text_of(typed)
    assert "a quiet day, mostly okay" not in await answers_held(core)
    resumed = await core.reflect(in_channel())
    assert "1 of 3" in resumed[-1].title.plain()


# -- item 6: one question per turn, a follow-up only after a short answer, an acknowledgement --


async def asked_now(core: Rebound):
    """The prompt the person's open reflection is on."""
    me = await core.store.people.find("test", "alex")
    current = await core.store.reflections.current(me.id)
    return core.content.prompt(current.prompt_keys[current.position])


def first_line(replies) -> str:
    return replies[-1].text.plain().splitlines()[0]


async def test_each_turn_asks_one_question(core):
    replies = await start_reflection(core)
    asked = await asked_now(core)
    text = replies[-1].text.plain()
    assert asked.ask.render({"company": "Acme"}).plain() in text
    assert asked.follow_up.render({"company": "Acme"}).plain() not in text


async def test_a_short_answer_gets_the_follow_up_and_a_long_one_moves_on(core):
    await start_reflection(core)
    asked = await asked_now(core)
    follow = await core.dm_text(in_dm(), "not sure")
    assert asked.follow_up.render({"company": "Acme"}).plain() in text_of(follow)
    assert "1 of 3" in follow[-1].title.plain()  # still the same question
    nxt = await core.dm_text(in_dm(), "Maybe the pace: I like a calm team with time to think")
    assert "2 of 3" in nxt[-1].title.plain()
    asked = await asked_now(core)
    moved = await core.dm_text(in_dm(), "The recruiter, Dana, was kind and quick to reply")
    assert "3 of 3" in moved[-1].title.plain()
    assert asked.follow_up.render({"company": "Acme"}).plain() not in text_of(moved)
    journal = text_of(await core.journal(in_channel()))
    assert "not sure" in journal and "I like a calm team" in journal


async def test_skipping_a_follow_up_keeps_the_short_answer_and_asks_the_next_question(core):
    await start_reflection(core)
    follow = await core.dm_text(in_dm(), "the pace")
    nxt = await core.press(in_dm(), action(follow, "reflect:skip"))
    assert "2 of 3" in nxt[-1].title.plain()
    typed = await core.dm_text(in_dm(), "no idea")  # short: its follow-up
    assert "2 of 3" in typed[-1].title.plain()
    assert "3 of 3" in (await core.dm_text(in_dm(), "skip"))[-1].title.plain()
    assert "the pace" in await answers_held(core)


async def test_every_answer_is_acknowledged_by_its_theme_never_twice_in_a_row(core, content):
    acks = {
        key: {a.render({}).plain() for a in theme.acknowledgements}
        for key, theme in content.themes.items()
    }
    seen = []
    for _ in range(3):
        await start_reflection(core, feeling=5)  # four questions
        theme = (await asked_now(core)).theme  # the follow-up is on the same theme
        for answer in ("hmm", "I think the hiring manager wanted more leadership stories"):
            line = first_line(await core.dm_text(in_dm(), answer))
            assert line in acks[theme], (theme, line)
            seen.append(line)
        await core.dm_text(in_dm(), "stop")
    assert all(a != b for a, b in itertools.pairwise(seen))


# -- item 7: the header names the rejection; /reflect asks which one; a general reflection ---


async def test_the_header_names_the_rejection(core):
    replies = await start_reflection(core)
    assert replies[-1].title.plain().startswith("Reflection on Acme · 1 of 3 · ")
    logged = await core.rejected(in_channel(), stage="screen", feeling=3)
    replies = await core.press(in_channel(), action(logged, "reflect:start"))
    assert replies[-1].title.plain().startswith("Reflection on your screening no · 1 of 3")


async def test_reflect_asks_which_when_an_old_one_is_open_and_a_newer_no_is_waiting(core):
    await start_reflection(core)  # on Acme
    await core.dm_text(in_dm(), "I rushed the system design question and lost the thread")
    await core.dm_text(in_dm(), "stop")
    await core.rejected(in_channel(), company="Umbrella", stage="technical", feeling=3)
    asked = await core.reflect(in_channel())
    text = text_of(asked)
    assert "Acme" in text and "Umbrella" in text and "question 2 of 3" in text
    assert not [r for r in asked if r.title and "of 3" in r.title.plain()]  # nothing started
    resumed = await core.press(in_channel(), action(asked, "reflect:start:1"))
    assert resumed[-1].title.plain().startswith("Reflection on Acme · 2 of 3")
    again = await core.reflect(in_channel())
    started = await core.press(in_channel(), action(again, "reflect:start:2"))
    assert started[-1].title.plain().startswith("Reflection on Umbrella · 1 of ")


async def test_reflect_resumes_without_asking_when_the_newest_no_is_the_open_one(core):
    await core.rejected(in_channel(), company="Umbrella", stage="technical", feeling=3)
    await start_reflection(core)  # the newest, on Acme
    await core.dm_text(in_dm(), "stop")
    resumed = await core.reflect(in_channel())
    assert resumed[-1].title.plain().startswith("Reflection on Acme · 1 of 3")


async def test_a_general_reflection_never_speaks_of_a_rejection(core, content):
    shown = []
    for _ in range(6):
        replies = await core.reflect(in_channel())
        assert replies[-1].title.plain().startswith("Reflection · 1 of ")
        shown.append(text_of(replies))
        me = await core.store.people.find("test", "alex")
        current = await core.store.reflections.current(me.id)
        for key in current.prompt_keys:
            asked = content.prompt(key)
            shown += [asked.ask.render({}).plain(), asked.follow_up.render({}).plain()]
        for _ in current.prompt_keys:
            await core.dm_text(in_dm(), "skip")
    for text in shown:
        for phrase in ("this same rejection", "this rejection", "this role", "the no came"):
            assert phrase not in text, text


async def test_an_application_stage_no_is_never_asked_about_an_interview(core, content):
    for _ in range(5):
        await start_reflection(core, feeling=5, stage="application")
        me = await core.store.people.find("test", "alex")
        current = await core.store.reflections.current(me.id)
        asked = [content.prompt(key) for key in current.prompt_keys]
        assert {p.theme for p in asked} == {"direction", "skills", "network", "resilience"}
        assert not [p.ask.render({}).plain() for p in asked if p.assumes == "interview"]
        for text in [p.ask.render({}).plain() for p in asked]:
            assert "this process" not in text and "thank-you note" not in text
        await core.dm_text(in_dm(), "stop")


# -- item 9: the closing next step follows from what the person wrote -----------------------


def step_of(closing) -> str:
    text = closing[0].text.plain()
    line = text.split("here is one small step that follows from it: ", 1)[1].split("\n", 1)[0]
    return line.removesuffix(".")


async def test_the_next_step_comes_from_the_theme_written_about_most(core, content):
    await start_reflection(core)  # final round: interview, fit, network
    await core.dm_text(in_dm(), "I was a bit nervous early on")
    await core.dm_text(
        in_dm(),
        "The team worked in long meetings and every decision went up to a director. I do my best "
        "work with room to think and a small group that decides things together, so this pace "
        "and this way of working would probably have worn me down within months.",
    )
    closing = await core.dm_text(in_dm(), "skip")
    assert "You wrote most about culture and team fit" in text_of(closing)
    fit_steps = {s.render({}).plain() for s in content.themes["fit"].next_steps}
    assert step_of(closing) in fit_steps


async def test_the_note_on_the_rejection_counts_toward_the_step(core, content):
    await start_reflection(core, note="the recruiter never replied to my follow-up")
    for answer in (
        "I think I talked for too long each time",
        "They seemed friendly and a little bit rushed",
        "Mostly the hiring manager and a designer",
    ):
        closing = await core.dm_text(in_dm(), answer)
    assert "You wrote most about people and connections" in text_of(closing)


async def test_the_step_within_a_theme_is_the_one_closest_to_the_answer(core):
    for _ in range(3):
        await start_reflection(core)  # interview first
        await core.dm_text(
            in_dm(), "The hardest question was about conflict and my answer wandered"
        )
        await core.dm_text(in_dm(), "skip")
        closing = await core.dm_text(in_dm(), "skip")
        assert step_of(closing).startswith("Pick the question you found hardest")


async def test_an_application_stage_no_gets_no_step_that_assumes_an_interview(core, content):
    interview_steps = {s.render({}).plain() for s in content.themes["network"].interview_steps}
    assert interview_steps
    for _ in range(4):
        await start_reflection(core, stage="application", feeling=5)
        me = await core.store.people.find("test", "alex")
        keys = (await core.store.reflections.current(me.id)).prompt_keys
        for key in keys:
            if content.prompt(key).theme == "network":
                answer = "I could send a short note to someone I know on LinkedIn"
            else:
                answer = "skip"
            closing = await core.dm_text(in_dm(), answer)
        assert "You wrote most about people and connections" in text_of(closing)
        assert step_of(closing) not in interview_steps
