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
    # Answers of four words or more: a shorter one brings its follow-up question first.
    await core.dm_text(in_dm(), "tired but okay today, honestly")
    return await core.dm_text(in_dm(), "my sister helped me think it through")


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
    [offered] = [line for line in text_of(closing).splitlines() if "follows from it: " in line]
    suggested = offered.split("follows from it: ", 1)[1].removesuffix(".")
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


def buttons_of(replies) -> list[str]:
    """The labels of every button in replies."""
    return [button.label for reply in replies for button in reply.buttons]


async def test_snooze_never_moves_a_follow_up_earlier(core):
    replies = await core.followup_add(in_channel(), contact="Dana", when_text="in 5 days")
    assert "Remind me tomorrow" not in buttons_of(replies)  # it would bring Dana forward
    listing = await core.followup_list(in_channel())
    assert not any(label.endswith("tomorrow") for label in buttons_of(listing))
    snoozed = await core.followup_mark(in_channel(), followup_id=1, action="snooze")
    assert "already set for Tuesday 1 December, 10:00" in text_of(snoozed)
    assert "due Tuesday 1 December, 10:00" in text_of(await core.followup_list(in_channel()))


async def test_remind_me_tomorrow_is_offered_when_it_moves_the_note_later(core):
    replies = await core.followup_add(in_channel(), contact="Dana", when_text="today")
    snoozed = await core.press(in_channel(), action(replies, "followup:snooze"))
    assert "Friday 27 November, 10:00" in text_of(snoozed)


async def test_the_list_shows_when_a_reminder_really_comes_after_quiet_hours(core):
    await core.followup_add(in_channel(), contact="Dana", when_text="2026-12-02")
    await core.settings(in_channel(), quiet="09:00-12:00")
    assert "Wednesday 2 December, 12:00: follow-up note" in lines_of(
        await core.upcoming(in_channel())
    )


async def test_the_list_says_reminders_are_paused_when_they_are_off(core):
    await core.followup_add(in_channel(), contact="Dana", when_text="2026-12-02")
    await core.settings(in_channel(), reminders="off")
    listed = text_of(await core.upcoming(in_channel()))
    assert "Wednesday 2 December, 10:00: follow-up note (paused)" in listed
    assert "/settings reminders:on" in listed
    home = text_of(await core.home(in_channel()))  # the Slack App Home shows the same list
    assert "Wednesday 2 December, 10:00: follow-up note (paused)" in home


async def test_a_long_list_says_how_many_more_there_are(core):
    for day in range(1, 24):
        await core.followup_add(in_channel(), contact=f"Dana {day}", when_text=f"{day} dec")
    listed = lines_of(await core.upcoming(in_channel()))
    assert sum(": follow-up note" in line for line in listed) == 20
    assert "+3 more" in listed[-1]


async def test_an_old_snooze_button_never_brings_a_reminder_forward(core, store):
    await core.followup_add(in_channel(), contact="Dana", when_text="in 5 days")
    me = await store.people.find("test", "alex")
    [reminder] = await store.reminders.for_person(me.id, ["pending"])
    kept = await core.press(in_dm(), f"rem:snooze:{reminder.id}:24")
    assert "already set for Tuesday 1 December, 10:00" in text_of(kept)
    assert "Tuesday 1 December, 10:00: follow-up note" in text_of(await core.upcoming(in_channel()))


async def test_timezones_people_type_are_understood_or_asked_about(core):
    assert "Timezone: Asia/Kolkata" in text_of(await core.settings(in_channel(), timezone="IST"))
    assert "Timezone: America/New_York" in text_of(
        await core.settings(in_channel(), timezone="New York")
    )
    offset = text_of(await core.settings(in_channel(), timezone="GMT+5:30"))
    assert "UTC+05:30" in offset and "Asia/Kolkata" in offset and "Etc/" not in offset
    est = text_of(await core.settings(in_channel(), timezone="EST"))
    assert "America/New_York" in est and "Brazil" not in est
    inverted = text_of(await core.settings(in_channel(), timezone="Etc/GMT+5"))
    assert "inverted" in inverted and "UTC−05:00" in inverted
    # None of the refused ones was saved.
    assert "Timezone: America/New_York" in text_of(await core.settings(in_channel()))
