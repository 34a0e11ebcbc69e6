"""The safety net: a table of phrases that must and must not trigger it, and what it does."""

from datetime import timedelta

import pytest

from bot.safety import normalise
from tests.conftest import COMMUNITY, in_channel, in_dm, text_of

MUST_TRIGGER = [
    "I want to kill myself",
    "honestly I just want to die",
    "I've been thinking about suicide a lot",
    "I feel suicidal tonight",
    "Everyone would be better off without me",
    "there's no reason to live anymore",
    "I don't want to be alive",
    "I dont want to live like this",
    "I want to end my life",
    "thinking of ending it all",
    "I've been hurting myself again",
    "I want to self-harm",
    "I cut myself last night",
    "I wish I was dead",
    "Life isn’t worth living",
    "I'm better off dead",
    "I might take my own life",
    "I feel like I have nothing to live for",
    "I keep thinking about an overdose",
    "I want to UNALIVE myself",
    "Suicidal thoughts again, and it's only Tuesday",
]

MUST_NOT_TRIGGER = [
    "This interview killed me",
    "I'm dying to hear back from them",
    "Taking that offer would be career suicide",
    "the deadline was a suicide mission",
    "I could die of embarrassment",
    "I want to die of embarrassment lol",
    "I cut myself some slack today",
    "I'm killing it at the portfolio",
    "I'm dead tired",
    "the commute is killing me",
    "they killed the budget for the role",
    "I'd kill for that job",
    "I'm so done with this search",
    "this process is soul-crushing",
    "I bombed the coding test",
    "the hiring manager ghosted me",
    "I want to end my job search soon",
    "I hurt my back moving boxes",
    "my hopes died a little",
    "I overdosed on coffee before the call",
    "hurtful feedback, but fair",
]


def test_the_table_is_big_enough():
    assert len(MUST_TRIGGER) >= 20 and len(MUST_NOT_TRIGGER) >= 20


@pytest.mark.parametrize("text", MUST_TRIGGER)
def test_signs_of_crisis_are_caught(content, text):
    assert content.safety.concerning(text)


@pytest.mark.parametrize("text", MUST_NOT_TRIGGER)
def test_everyday_expressions_are_not_alarms(content, text):
    assert not content.safety.concerning(text)


def test_normalising_folds_case_apostrophes_hyphens_and_accents():
    assert normalise("Don’t  SELF-harm  Café") == "dont self harm cafe"


async def count(store) -> int:
    return int(await store.get_state("safety.matches") or 0)


async def test_a_worrying_note_gets_support_first_and_no_gamified_lines(core, store):
    replies = await core.checkin(
        in_channel(), mood=2, note="I keep thinking I'd be better off dead"
    )
    assert replies[0].title.plain() == "Support, any time"
    assert "findahelpline.com" in replies[0].text.plain()
    assert "peer support, not therapy" in replies[0].text.plain()
    assert replies[0].private
    assert len(replies) == 1  # care comes alone: no acknowledgement, no streak line
    assert await count(store) == 1
    # Nothing else about the match is stored: the note is kept as written, and that is all.
    me = await store.find_person("test", "alex")
    exported = await store.export_person(me.id)
    assert "safety" not in str(exported).lower()


async def test_a_worrying_reflection_answer_pauses_the_reflection(core, store):
    logged = await core.rejected(in_channel(), stage="final")
    await core.press(in_channel(), logged[0].buttons[0].action_id)
    replies = await core.dm_text(in_dm(), "I don't want to be here anymore")
    assert replies[0].title.plain() == "Support, any time"
    assert len(replies) == 1
    assert not any("Reflection ·" in (r.title.plain() if r.title else "") for r in replies)
    resumed = await core.reflect(in_channel())
    assert "question 2 of 3" in text_of(resumed)


async def test_a_worrying_rejection_note_gets_support_alone(core):
    replies = await core.rejected(in_channel(), stage="final", note="I want to end it all")
    assert replies[0].title.plain() == "Support, any time"
    assert len(replies) == 1


async def test_two_very_low_check_ins_in_a_week_bring_a_gentle_check(core, clock):
    first = await core.checkin(in_channel(), mood=1)
    assert "Support, any time" not in text_of(first)
    clock.advance(timedelta(days=3))
    second = await core.checkin(in_channel(), mood=1)
    assert second[0].title.plain() == "Support, any time"
    assert "second really rough day this week" in second[0].text.plain()
    clock.advance(timedelta(days=8))
    third = await core.checkin(in_channel(), mood=1)
    assert "Support, any time" not in text_of(third)


async def test_support_shows_the_default_or_the_communitys_own_resources(core, store, clock):
    default = await core.support(in_channel())
    assert "findahelpline.com" in text_of(default)
    me = await store.ensure_person(in_channel().person, clock.now())
    community_id = await store.ensure_membership(me.id, COMMUNITY, clock.now())
    await store.set_community_setting(
        community_id, "support_text", "Our moderators: ask in #support", me.id, clock.now()
    )
    custom = await core.support(in_channel())
    assert "Our moderators: ask in #support" in text_of(custom)
    assert "peer support" in text_of(custom)
