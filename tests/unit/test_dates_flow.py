"""Dates and times people mean, through the core: next steps, timezone moves, reminders."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Context
from tests.conftest import COMMUNITY, action, in_channel, in_dm, person, text_of

MONDAY_MORNING = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


async def reach_the_next_step(core):
    """Log a rejection and answer a short reflection, up to "what's your next step?"."""
    logged = await core.rejected(in_channel(), company="Acme", stage="final", feeling=1)
    await core.press(in_channel(), action(logged, "reflect:start"))
    await core.dm_text(in_dm(), "tired but okay")
    return await core.dm_text(in_dm(), "my sister helped")


async def test_next_tuesday_said_on_a_monday_is_eight_days_away(core, clock):
    clock.set(MONDAY_MORNING)
    await reach_the_next_step(core)
    replies = await core.dm_text(in_dm(), "call Sam by next tuesday")
    assert 'Got it: "call Sam". I\'ll remind you on Tuesday 1 December, 10:00' in text_of(replies)


async def test_a_follow_up_for_monday_said_on_a_monday_morning_is_today(core, clock):
    clock.set(MONDAY_MORNING)
    replies = await core.followup_add(in_channel(), contact="Dana", when_text="monday")
    assert "I'll remind you on Monday 23 November, 10:00" in text_of(replies)


async def test_a_reply_that_is_only_a_day_keeps_the_steps_words(core, clock):
    clock.set(MONDAY_MORNING)
    await reach_the_next_step(core)
    asked = await core.dm_text(in_dm(), "go climbing with Jo")
    assert "When should I nudge you?" in text_of(asked)
    replies = await core.dm_text(in_dm(), "saturday")
    assert 'Got it: "go climbing with Jo". I\'ll remind you on Saturday 28 November, 10:00' in (
        text_of(replies)
    )
    assert "Next step: go climbing with Jo, due Saturday 28 November" in text_of(
        await core.journal(in_channel())
    )


async def test_a_day_alone_in_reply_to_the_suggested_step_keeps_the_suggestion(core, clock):
    clock.set(MONDAY_MORNING)
    closing = await reach_the_next_step(core)
    [offered] = [line for line in text_of(closing).splitlines() if "you could take: " in line]
    suggested = offered.split("you could take: ", 1)[1].removesuffix(".")
    replies = await core.dm_text(in_dm(), "by next tuesday")
    assert f'Got it: "{suggested}". I\'ll remind you on Tuesday 1 December, 10:00' in text_of(
        replies
    )


def lines_of(replies) -> list[str]:
    """The lines a person reads in replies."""
    return text_of(replies).splitlines()


async def test_a_new_timezone_keeps_pending_reminders_at_the_same_local_time(core):
    await core.settings(in_channel(), timezone="Europe/Berlin")
    await core.followup_add(in_channel(), contact="Dana", when_text="2026-12-02")
    await core.rejected(in_channel(), company="Acme", stage="final", feeling=3)
    before = lines_of(await core.upcoming(in_channel()))
    assert "Wednesday 2 December, 10:00: follow-up note" in before
    await core.settings(in_channel(), timezone="Asia/Kolkata")
    after = lines_of(await core.upcoming(in_channel()))
    assert after == before  # every reminder, same day and hour, now in Kolkata
    listed = text_of(await core.followup_list(in_channel()))
    assert "due Wednesday 2 December, 10:00" in listed


async def test_a_community_timezone_moves_reminders_of_members_without_their_own(core):
    admin = Context(person("Ada"), COMMUNITY, "channel-1", is_admin=True)
    await core.admin(admin, timezone="Europe/Berlin")
    await core.followup_add(in_channel(), contact="Dana", when_text="2026-12-02")
    await core.settings(in_channel("Sam"), timezone="America/New_York")
    await core.followup_add(in_channel("Sam"), contact="Lee", when_text="2026-12-02")
    await core.admin(admin, timezone="Asia/Kolkata")
    assert "Wednesday 2 December, 10:00: follow-up note" in lines_of(
        await core.upcoming(in_channel())
    )
    assert "Sharing posts: off" in text_of(await core.admin(admin, sharing="off"))
    # Sam chose a timezone of their own: the community's change leaves Sam's hours alone.
    assert "Wednesday 2 December, 10:00: follow-up note" in lines_of(
        await core.upcoming(in_channel("Sam"))
    )
