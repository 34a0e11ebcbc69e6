"""The safety net: a table of phrases that must and must not trigger it, and what it does."""

from datetime import timedelta

import pytest

from benchmarks.safety import HOSTILE
from bot.content import ContentError, load_content
from bot.safety import Concern, normalise
from tests.conftest import COMMUNITY, edit_copy, in_channel, in_dm, text_of

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


def test_normalising_removes_invisible_characters_and_folds_look_alikes():
    assert normalise("ki\u200bll my\u00adself") == "kill myself"
    assert normalise("\u0455u\u0456\u0441\u0456d\u0430l") == "suicidal"
    assert normalise("\uff4b\uff49\uff4c\uff4c") == "kill"


# The wording the issue found missed (issue 12), each of which must now reach the person.
MISSED_BEFORE = [
    "there's no reason to keep living",
    "I keep thinking about not waking up",
    "i feel like giving up on life",
    "kms",
    "i want to end it",
    "i can't go on",
    "no point in living",
    "i want to hang myself",
    "i want to kill my\u200bself",
    "i want to end my li\u00adfe",
    "i w\u0430nt to die",
    "k1ll myself",
    "k i l l myself",
]


@pytest.mark.parametrize("text", MISSED_BEFORE)
def test_wording_missed_before_is_now_a_crisis(content, text):
    assert content.safety.assess(text) is Concern.CRISIS


QUIET_EVERYDAY = [
    "I hurt myself at the gym",
    "I cut myself shaving before the interview",
    "an overdose of interviews this week",
]


@pytest.mark.parametrize("text", QUIET_EVERYDAY)
def test_everyday_injuries_and_figures_stay_quiet(content, text):
    assert content.safety.assess(text) is Concern.NONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm not suicidal, just tired", Concern.CHECK),
        ("I'd never hurt myself but I'm exhausted", Concern.CHECK),
        ("I'm not going to hurt myself", Concern.CHECK),
        ("I would never kill myself", Concern.CHECK),
        ("I'm not sure I want to live", Concern.CRISIS),
        ("I don't want to live", Concern.CRISIS),
        ("I'm not saying it to worry you, but I want to die", Concern.CRISIS),
        ("no, I want to die", Concern.CRISIS),
        ("I can't stop thinking about killing myself", Concern.CRISIS),
        ("nobody would care if I killed myself", Concern.CRISIS),
    ],
)
def test_negation_brings_a_check_but_never_swallows_a_crisis(content, text, expected):
    assert content.safety.assess(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "I cut myself some slack but I still want to die",
        "I hurt myself at the gym and honestly I want to hurt myself more",
        "I'm thinking about killing myself over this rejection",
        "I want to die of embarrassment and also I want to die",
        "career suicide, and honestly I'm suicidal",
    ],
)
def test_an_everyday_expression_cannot_hide_a_crisis_in_the_same_sentence(content, text):
    assert content.safety.assess(text) is Concern.CRISIS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I hurt myself at work lifting a monitor", Concern.NONE),
        ("I want to hurt myself at work tomorrow", Concern.CRISIS),
        ("I cut myself cooking last night", Concern.NONE),
        ("I'm thinking about cutting myself while cooking tonight", Concern.CRISIS),
        ("my friend's dad died by suicide last spring", Concern.CHECK),
        ("my friend's dad died by suicide and now I want to die too", Concern.CRISIS),
    ],
)
def test_an_accident_yields_to_intent_and_a_loss_brings_a_check(content, text, expected):
    assert content.safety.assess(text) is expected


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_message_is_read_to_the_end(content, kind):
    # How long these take is measured by `make bench` (benchmarks/safety.py), not asserted here.
    assert content.safety.assess(HOSTILE[kind][:4000]) is Concern.NONE


def test_the_highest_concern_over_all_texts_wins(content):
    net = content.safety
    assert net.assess(None, "", "a quiet note") is Concern.NONE
    assert net.assess("I'm not suicidal, just tired", None) is Concern.CHECK
    assert net.assess("I'm not suicidal", "a note", "i want to die") is Concern.CRISIS
    assert net.assess() is Concern.NONE


def test_concerning_means_a_crisis_and_nothing_less(content):
    net = content.safety
    assert net.concerning("i want to die")
    assert not net.concerning("I'm not suicidal, just tired")
    assert not net.concerning(None, "this interview killed me")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "[crisis.ideation]\n",
            "[crisis.ideation]\nsurprise = 1\n",
            "crisis.ideation: unknown key",
        ),
        (
            "[crisis.ideation]\n",
            '[crisis.empty]\nwhy = "x"\npatterns = []\n\n[crisis.ideation]\n',
            "crisis.empty patterns: expected a non-empty list",
        ),
        ("patterns = [\n", 'patterns = [\n    " ",\n', "patterns[0]: the pattern is empty"),
        ("patterns = [\n", 'patterns = [\n    "(kill myself",\n', "patterns[0]: '(' is not"),
        ("patterns = [\n", 'patterns = [\n    "{nowhere} myself",\n', "unknown word set"),
        ("[negation]\n", "[negation]\nsurprise = 1\n", "[negation]: unknown key surprise"),
        ("[words]\n", 'surprise = "x"\n\n[words]\n', "unknown key surprise"),
        ("still_check = true\npatterns", "still_check = 1\npatterns", "expected true or false"),
        ("patterns = [\n", 'patterns = [\n    "k*ll myself",\n', "should be letters"),
    ],
)
def test_a_broken_safety_file_stops_start_up_naming_the_key(prompts_copy, old, new, expected):
    edit_copy(prompts_copy, "safety.toml", old, new)
    with pytest.raises(ContentError) as caught:
        load_content(prompts_copy)
    assert "prompts/safety.toml" in str(caught.value)
    assert expected in str(caught.value)


async def count(store) -> int:
    return int(await store.state.get("safety.matches") or 0)


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
    me = await store.people.find("test", "alex")
    exported = await store.accounts.export(me.id)
    assert "safety" not in str(exported).lower()


async def test_a_worrying_reflection_answer_pauses_the_reflection(core, store):
    logged = await core.rejected(in_channel(), stage="final")
    await core.press(in_channel(), logged[0].buttons[0].action_id)
    replies = await core.dm_text(in_dm(), "I don't want to be here anymore")
    assert replies[0].title.plain() == "Support, any time"
    assert len(replies) == 1
    assert not any("Reflection on" in (r.title.plain() if r.title else "") for r in replies)
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
    me = await store.people.ensure(in_channel().person, clock.now())
    community_id = await store.people.join(me.id, COMMUNITY, clock.now())
    await store.community.set_setting(
        community_id, "support_text", "Our moderators: ask in #support", me.id, clock.now()
    )
    custom = await core.support(in_channel())
    assert "Our moderators: ask in #support" in text_of(custom)
    assert "peer support" in text_of(custom)
