"""Care comes first, and alone: what a person in crisis or on a low day gets back."""

from bot.safety import Concern
from tests.conftest import in_channel, in_dm, text_of

SUPPORT = "Support, any time"


def only_support(replies) -> None:
    """The reply is the support message and nothing of the normal flow."""
    assert len(replies) == 1, text_of(replies)
    (reply,) = replies
    assert reply.title.plain() == SUPPORT
    assert "findahelpline.com" in reply.text.plain()
    assert reply.private
    assert reply.buttons == ()
    assert "streak" not in reply.text.plain().lower()


async def test_a_crisis_check_in_note_gets_support_and_nothing_else(core, store):
    replies = await core.checkin(
        in_channel(), mood=2, note="honestly everyone would be better off without me"
    )
    only_support(replies)
    assert "Added to your check-in" not in text_of(replies)
    # Nothing is lost: the check-in and its note are kept, as written.
    me = await store.people.find("test", "alex")
    exported = await store.accounts.export(me.id)
    assert "better off without me" in str(exported)


async def test_a_crisis_note_typed_after_a_check_in_gets_support_alone(core):
    await core.press(in_dm(), "checkin:mood:2")
    replies = await core.dm_text(in_dm(), "everyone would be better off without me")
    only_support(replies)
    assert "Thanks for putting it into words" not in text_of(replies)


async def test_a_crisis_rejection_note_gets_support_alone_and_is_still_logged(core, store):
    replies = await core.rejected(
        in_channel(), company="Initech", stage="final", feeling=1, note="I want to end it all"
    )
    only_support(replies)
    assert "Initech" not in text_of(replies)
    me = await store.people.find("test", "alex")
    assert (await store.rejections.latest(me.id)).company == "Initech"


async def test_a_crisis_reflection_answer_gets_support_alone_and_keeps_the_place(core):
    logged = await core.rejected(in_channel(), stage="final")
    await core.press(in_channel(), logged[0].buttons[0].action_id)
    replies = await core.dm_text(in_dm(), "I don't want to be here anymore")
    only_support(replies)
    resumed = await core.reflect(in_channel())
    assert "question 2 of 3" in text_of(resumed)


async def test_after_a_crisis_the_next_low_rejection_has_no_share_or_cheer(core):
    await core.checkin(in_channel(), mood=1, note="everyone would be better off without me")
    replies = await core.rejected(in_channel(), stage="screen", feeling=1)
    actions = [b.action_id for r in replies for b in r.buttons]
    assert not any(a.startswith("share:") for a in actions)
    assert not any(a.startswith("followup:") for a in actions)
    assert "another rep" not in text_of(replies).lower()
    assert "streak" not in text_of(replies).lower()


async def test_a_low_day_rejection_is_short_and_gentle(core, content):
    low = await core.rejected(in_channel(), stage="technical", feeling=1)
    steady = await core.rejected(in_channel("Sam"), stage="technical", feeling=4)
    assert len(low) == 1
    text = low[0].text.plain()
    # No reframe: none of the six angles' reframes is offered on a low day.
    reframes = [r.render({}).plain() for t in content.themes.values() for r in t.reframes]
    assert not any(r in text for r in reframes)
    assert any(r in text_of(steady) for r in reframes)
    assert len(text) < len(steady[0].text.plain())
    actions = [b.action_id for b in low[0].buttons]
    # The quiet offer of Write it out is the one extra a hard day gets (issue 18).
    assert [a.split(":")[0] for a in actions] == ["reflect", "write", "rejected"]
    steady_actions = [b.action_id for b in steady[0].buttons]
    assert not any(a.startswith("write:") for a in steady_actions)


async def test_a_very_low_check_in_has_no_streak_line(core):
    low = await core.checkin(in_channel(), mood=1)
    assert "streak" not in text_of(low).lower()
    steady = await core.checkin(in_channel("Sam"), mood=4)
    assert "streak" in text_of(steady).lower()


async def test_company_and_role_names_are_not_screened(core, store):
    replies = await core.rejected(
        in_channel(), company="Suicide Prevention Lifeline", role="Overdose response lead"
    )
    assert SUPPORT not in text_of(replies)
    assert "Logged" in replies[0].title.plain()
    followup = await core.followup_add(
        in_channel(), contact="Kim", company="Suicide Prevention Lifeline", role="Self-harm nurse"
    )
    assert SUPPORT not in text_of(followup)
    assert int(await store.state.get("safety.matches") or 0) == 0


async def test_not_suicidal_just_tired_gets_a_gentle_check_not_the_crisis_message(
    core, store, content
):
    assert content.safety.assess("I'm not suicidal, just tired") is Concern.CHECK
    replies = await core.checkin(in_channel(), mood=2, note="I'm not suicidal, just tired")
    assert replies[0].title.plain() == SUPPORT
    crisis = content.msg("safety.reply", resources="").plain().splitlines()[0]
    assert crisis not in replies[0].text.plain()
    # The gentle check comes first; the check-in is still answered, without streak talk.
    assert len(replies) == 2
    assert "saved" in replies[1].text.plain().lower()
    assert "streak" not in replies[1].text.plain().lower()
    assert int(await store.state.get("safety.matches") or 0) == 0
    assert int(await store.state.get("safety.checks") or 0) == 1


async def test_a_missed_dm_notice_waits_until_after_the_support_reply(core, store, clock):
    me = await store.people.ensure(in_channel().person, clock.now())
    await store.people.note_dm_failure(me.id, "dm_closed")
    crisis = await core.checkin(in_channel(), mood=1, note="i want to kill myself")
    only_support(crisis)
    later = await core.streak(in_channel(), card=False)
    assert "couldn't" in text_of(later).lower() or "could not" in text_of(later).lower()


async def test_a_crisis_in_a_note_too_long_to_keep_still_gets_support(core):
    long_note = "i want to end my life. " + "it has been a long month. " * 80
    replies = await core.rejected(in_channel(), stage="final", note=long_note)
    only_support(replies)
    checkin = await core.checkin(in_channel(), mood=1, note=long_note)
    only_support(checkin)


async def test_a_crisis_in_a_dm_too_long_to_keep_still_gets_support(core):
    logged = await core.rejected(in_channel(), stage="final")
    await core.press(in_channel(), logged[0].buttons[0].action_id)
    replies = await core.dm_text(in_dm(), "i want to kill myself. " + "x" * 4100)
    only_support(replies)


async def test_a_crisis_typed_as_a_next_step_is_never_scheduled_back(core, store):
    logged = await core.rejected(in_channel(), stage="final")
    await core.press(in_channel(), logged[0].buttons[0].action_id)
    for answer in ("the panel", "pace", "ask earlier"):
        await core.dm_text(in_dm(), answer)
    replies = await core.dm_text(in_dm(), "end it all on friday")
    only_support(replies)
    me = await store.people.find("test", "alex")
    due = await store.reminders.for_person(me.id, ("pending",))
    assert not [r for r in due if r.kind == "next_step"]


async def test_a_milestone_reached_on_a_mood_1_day_brings_no_cheer(core, clock):
    from datetime import timedelta

    await core.settings(in_channel(), shoutouts="on")
    for week in range(4):
        replies = await core.checkin(in_channel(), mood=1 if week == 3 else 3)
        if week < 3:
            clock.advance(timedelta(days=7))
    assert "weeks in a row" not in text_of(replies)
    assert [r.where.value for r in replies] == ["private"]
