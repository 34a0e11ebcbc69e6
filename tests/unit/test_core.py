import itertools
import json
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot import commands
from bot.core import Rebound
from bot.models import Where
from bot.store import PERSONAL_TABLES
from tests.conftest import COMMUNITY, action, count_held, in_channel, in_dm, person, text_of


async def rejection_count(core: Rebound, name: str = "alex") -> int:
    found = await core.store.people.find("test", name)
    return await count_held(core.store, found.id, "rejections") if found else 0


# -- /rejected ---------------------------------------------------------------------------


async def test_rejected_answers_privately_with_its_buttons_and_the_writing_offer_when_low(core):
    replies = await core.rejected(
        in_channel(), company="Acme", role="Analyst", stage="final", feeling=2, note="senior hire"
    )
    assert len(replies) == 1
    reply = replies[0]
    assert reply.where is Where.PRIVATE
    assert "Acme" in reply.title.plain() and "final round" in reply.title.plain()
    assert [b.action_id.split(":")[:2] for b in reply.buttons] == [
        ["reflect", "start"],
        ["followup", "new"],
        ["share", "ask"],
        ["write", "offer"],
        ["rejected", "later"],
    ]
    assert await rejection_count(core) == 1


async def test_rejected_in_dms_has_no_share_button(core):
    replies = await core.rejected(in_dm(), stage="screen")
    assert not any(b.action_id.startswith("share:") for b in replies[0].buttons)


async def test_stage_words_people_use_are_understood(core, store):
    await core.rejected(in_channel(), stage="Final round")
    me = await store.people.find("test", "alex")
    assert (await store.rejections.latest(me.id)).stage == "final"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"company": "x" * 121}, "company is 121 characters; I can keep up to 120"),
        ({"role": "r" * 200}, "role is 200 characters"),
        ({"note": "n" * 1501}, "note is 1501 characters; I can keep up to 1500"),
        ({"stage": "lunch"}, "application, screen, technical, final, offer, other"),
        ({"feeling": 0}, "Feeling goes from 1"),
        ({"feeling": 6}, "Feeling goes from 1"),
        ({"feeling": "very"}, "Feeling goes from 1"),
    ],
)
async def test_bad_input_is_refused_kindly_and_nothing_is_stored(core, kwargs, expected):
    replies = await core.rejected(in_channel(), **kwargs)
    assert expected in text_of(replies)
    assert replies[0].private
    assert await rejection_count(core) == 0


async def test_a_note_at_the_limit_is_kept_whole(core, store):
    await core.rejected(in_channel(), note="n" * 1500)
    me = await store.people.find("test", "alex")
    assert (await store.rejections.latest(me.id)).note == "n" * 1500


async def test_encouragement_is_not_repeated_until_the_pool_is_used_up(core, content):
    pool = content.encouragement[("screen", "middling")]
    seen = []
    for _ in range(len(pool) * 3):
        replies = await core.rejected(in_channel(), stage="screen", feeling=3)
        first_paragraph = replies[0].text.plain().split("\n\n")[0]
        seen.append(first_paragraph)
    size = len(pool)
    assert len(set(seen[:size])) == size  # a full pass before any repeat
    assert all(a != b for a, b in itertools.pairwise(seen))  # never twice in a row


async def test_an_unexpected_error_gets_a_reference_and_no_traceback(core, store, caplog):
    # A real fault: the database refuses to remember which message was picked, which
    # happens on the store's thread after the rejection row was written.
    await store.db.execute(
        "CREATE TRIGGER broken BEFORE INSERT ON message_history"
        " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    with caplog.at_level(logging.ERROR):
        replies = await core.rejected(in_channel(), company="Acme")
    text = text_of(replies)
    ref = text.split("reference ")[1].split(" ")[0]
    assert "disk on fire" not in text and "Traceback" not in text
    assert any(ref in record.getMessage() for record in caplog.records)
    await store.db.execute("DROP TRIGGER broken")
    assert await rejection_count(core) == 0  # the transaction rolled back


# -- sharing -----------------------------------------------------------------------------


async def test_sharing_posts_only_the_stage_and_by_choice_the_name(core):
    replies = await core.rejected(
        in_channel(), company="Acme", role="Analyst", stage="final", note="secret note"
    )
    ask = await core.press(in_channel(), action(replies, "share:ask"))
    named = await core.press(in_channel(), action(ask, "share:named"))
    anonymous = await core.press(in_channel(), action(ask, "share:anon"))
    for outcome in (named, anonymous):
        post = [r for r in outcome if r.where is Where.CHANNEL]
        assert len(post) == 1
        for secret in ("Acme", "Analyst", "secret note"):
            assert secret not in post[0].text.plain()
        assert "final round" in post[0].text.plain()
    assert "Alex" in named[-1].text.plain()
    assert "Alex" not in anonymous[-1].text.plain()


async def test_nobody_can_share_someone_elses_rejection(core):
    replies = await core.rejected(in_channel("Alex"), stage="final")
    stolen = await core.press(
        in_channel("Sam"), action(replies, "share:ask").replace("ask", "named")
    )
    assert not any(r.where is Where.CHANNEL for r in stolen)
    assert "someone else's" in text_of(stolen)


async def test_a_display_name_with_a_mention_is_marked_as_typed(core):
    replies = await core.rejected(in_channel("@everyone"), stage="screen")
    ask = await core.press(in_channel("@everyone"), action(replies, "share:ask"))
    post = (await core.press(in_channel("@everyone"), action(ask, "share:named")))[-1]
    typed = [text for text, by_person in post.text.parts if by_person]
    assert typed == ["@everyone"]


# -- reflection --------------------------------------------------------------------------


async def start_reflection(core, feeling=3, stage="final"):
    logged = await core.rejected(in_channel(), company="Acme", stage=stage, feeling=feeling)
    return await core.press(in_channel(), action(logged, "reflect:start"))


async def test_reflect_now_sends_the_first_prompt_to_dms(core):
    replies = await start_reflection(core)
    assert [r.where for r in replies] == [Where.PRIVATE, Where.DM]
    assert "1 of 3" in replies[1].title.plain()


async def test_prompt_count_follows_how_the_person_feels(core):
    low = await start_reflection(core, feeling=1)
    assert "1 of 2" in low[1].title.plain()
    assert "Taking care of yourself" in low[1].title.plain()  # a low day starts with care
    steady = await start_reflection(core, feeling=5)
    assert "1 of 4" in steady[1].title.plain()


async def test_a_whole_reflection_saves_answers_earns_points_and_offers_a_next_step(core, store):
    replies = await start_reflection(core)
    replies = await core.dm_text(in_dm(), "I talked too fast about the migration project")
    assert "2 of 3" in replies[0].title.plain()
    replies = await core.press(in_dm(), action(replies, "reflect:skip"))
    assert "3 of 3" in replies[0].title.plain()
    closing = await core.dm_text(in_dm(), "I liked the hiring manager a lot")
    text = text_of(closing)
    assert re.search(r"2 of 3 questions|2 answers written", text)
    assert "1 week" in text
    me = await store.people.find("test", "alex")
    assert (await store.effort.streak(me.id)).total_points == 5
    journal = text_of(await core.journal(in_channel()))
    assert "I talked too fast about the migration project" in journal
    assert "I liked the hiring manager a lot" in journal


async def test_next_step_button_schedules_a_reminder_at_ten_local(core, store, clock):
    await core.settings(in_channel(), timezone="America/New_York")
    await start_reflection(core, feeling=1)
    await core.dm_text(in_dm(), "tired but okay after a long walk")
    closing = await core.dm_text(in_dm(), "my sister helped me see it clearly")
    done = await core.press(in_dm(), action(closing, "step:when:").rsplit(":", 1)[0] + ":3")
    assert "I'll remind you on Sunday 29 November, 10:00" in text_of(done)
    me = await store.people.find("test", "alex")
    [reminder] = [
        r for r in await store.reminders.for_person(me.id, ["pending"]) if r.kind == "next_step"
    ]
    assert reminder.due_at == datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


async def test_a_typed_next_step_with_a_day_replaces_the_suggestion(core, store):
    await start_reflection(core, feeling=1)
    await core.dm_text(in_dm(), "fine, mostly, after some sleep")
    await core.dm_text(in_dm(), "friends who check in on me")
    replies = await core.dm_text(in_dm(), "redo the SQL exercise by monday")
    assert 'Got it: "redo the SQL exercise". I\'ll remind you on Monday 30 November' in text_of(
        replies
    )
    undated = await core.dm_text(in_dm(), "anything else")
    assert "I'm here whenever you need me" in text_of(undated)  # the flow ended


async def test_stop_and_resume_where_you_left_off(core):
    replies = await start_reflection(core)
    await core.dm_text(in_dm(), "first answer")
    stopped = await core.press(
        in_dm(), f"reflect:stop:{action(replies, 'reflect:stop').split(':')[2]}"
    )
    assert "Paused and saved" in text_of(stopped)
    assert "I'm here" in text_of(await core.dm_text(in_dm(), "hello?"))
    resumed = await core.reflect(in_channel())
    assert "question 2 of 3" in text_of(resumed)
    assert "2 of 3" in resumed[-1].title.plain()


async def test_an_old_skip_button_does_not_skip_the_current_prompt(core):
    replies = await start_reflection(core)
    old_skip = action(replies, "reflect:skip")
    await core.dm_text(in_dm(), "answered the first")
    again = await core.press(in_dm(), old_skip)
    assert "2 of 3" in again[0].title.plain()


async def test_an_answer_that_is_too_long_is_refused_and_the_prompt_stays(core):
    await start_reflection(core)
    refused = await core.dm_text(in_dm(), "x" * 4001)
    assert "4001 characters" in text_of(refused)
    replies = await core.dm_text(in_dm(), "a shorter answer that fits")
    assert "2 of 3" in replies[0].title.plain()


# -- check-ins and follow-ups ------------------------------------------------------------


async def test_checkin_without_mood_asks_with_five_buttons(core):
    replies = await core.checkin(in_channel())
    assert [b.action_id for b in replies[0].buttons] == [f"checkin:mood:{n}" for n in range(1, 6)]
    saved = await core.press(in_channel(), "checkin:mood:4")
    assert "Check-in saved" in text_of(saved)


async def test_checkin_refuses_a_note_without_a_mood_so_the_note_is_not_lost(core, store):
    replies = await core.checkin(in_channel(), note="rough week")
    assert "Add a mood from 1 to 5" in text_of(replies)
    await core.checkin(in_channel(), mood=2, note="rough week")
    me = await store.people.find("test", "alex")
    assert await count_held(store, me.id, "checkins") == 1


async def test_followup_is_due_next_business_day_at_ten_with_a_filled_draft(core, store, clock):
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))  # a Friday
    replies = await core.followup_add(in_channel(), contact="Dana", company="Acme", role="QA")
    text = text_of(replies)
    assert "Monday 30 November, 10:00" in text
    assert "Dana" in text and "Acme" in text and "{" not in text
    me = await store.people.find("test", "alex")
    [reminder] = await store.reminders.for_person(me.id, ["pending"])
    assert reminder.kind == "followup"


async def test_a_draft_reads_naturally_without_contact_or_company(core):
    logged = await core.rejected(in_channel(), stage="final")
    replies = await core.press(in_channel(), action(logged, "followup:new"))
    text = text_of(replies)
    assert "final round" in text.lower() or "interviews" in text
    assert "{" not in text and " ," not in text


async def test_marking_a_followup_sent_earns_three_points_and_closes_its_reminder(core, store):
    replies = await core.followup_add(in_channel(), contact="Dana")
    sent = await core.press(in_channel(), action(replies, "followup:sent"))
    assert "Sent." in text_of(sent)
    me = await store.people.find("test", "alex")
    assert (await store.effort.streak(me.id)).total_points == 3
    [first] = await store.reminders.for_person(me.id, ["done"])
    assert first.key.startswith("followup:")
    # A week on, the question what it led to; no stay-in-touch note unless asked for.
    # Beside the month's ledger review (planned with any effort), the question:
    pending = await store.reminders.for_person(me.id, ["pending"])
    assert "ledger" in {r.kind for r in pending}
    [later] = [r for r in pending if r.kind != "ledger"]
    assert (later.kind, later.due_at) == ("followup_outcome", datetime(2026, 12, 3, 10, tzinfo=UTC))
    assert "On Thursday 3 December I'll ask whether Dana replied" in text_of(sent)
    hello = await core.press(in_channel(), action(sent, "outcome:hello"))
    assert "Thursday 7 January" in text_of(hello)
    again = await core.press(in_channel(), action(replies, "followup:sent"))
    assert "already" in text_of(again)


async def test_snooze_moves_the_followup_to_tomorrow_at_ten(core, store):
    # Due today (a snooze never moves a note due later forward: issue 14, item 5).
    replies = await core.followup_add(in_channel(), contact="Dana", when_text="today")
    snoozed = await core.press(in_channel(), action(replies, "followup:snooze"))
    assert "Friday 27 November, 10:00" in text_of(snoozed)
    listing = text_of(await core.followup_list(in_channel()))
    assert "Dana" in listing and "Friday 27 November" in listing


async def test_followup_list_and_skip(core):
    assert "No follow-ups waiting" in text_of(await core.followup_list(in_channel()))
    await core.followup_add(in_channel(), contact="Dana")
    await core.followup_add(in_channel(), contact="Lee", channel="linkedin")
    listing = await core.followup_list(in_channel())
    assert "Lee" in text_of(listing) and "LinkedIn" in text_of(listing)
    skipped = await core.press(in_channel(), action(listing, "followup:skip"))
    assert "Skipped" in text_of(skipped)
    assert "Dana" not in text_of(await core.followup_list(in_channel()))


async def test_followup_bad_channel_and_bad_day(core):
    assert "email, linkedin, phone, other" in text_of(
        await core.followup_add(in_channel(), channel="pigeon")
    )
    assert 'couldn\'t read "whenever"' in text_of(
        await core.followup_add(in_channel(), when_text="whenever")
    )


# -- streaks and the leaderboard ---------------------------------------------------------


async def test_streak_grows_across_weeks_and_breaks_after_a_missed_one(core, clock):
    assert "No streak yet" in text_of(await core.streak(in_channel()))
    await core.checkin(in_channel(), mood=3)
    clock.advance(timedelta(days=7))
    await core.checkin(in_channel(), mood=3)
    text = text_of(await core.streak(in_channel()))
    assert "Current streak: 2 weeks" in text
    clock.advance(timedelta(days=14))
    text = text_of(await core.streak(in_channel()))
    assert "Current streak: 0 weeks" in text and "Best streak: 2 weeks" in text


async def test_logging_a_rejection_earns_nothing(core, store):
    await core.rejected(in_channel(), stage="final")
    me = await store.people.find("test", "alex")
    assert (await store.effort.streak(me.id)).total_points == 0


async def test_leaderboard_invites_people_who_have_not_joined_and_never_ranks_them(core):
    await core.checkin(in_channel("Alex"), mood=4)
    replies = await core.leaderboard(in_channel("Alex"))
    text = text_of(replies)
    assert "Join to appear" in text and "You're number" not in text
    assert "Alex" not in text
    assert replies[0].buttons[0].action_id == "board:join"


async def send_followups(core: Rebound, name: str, count: int) -> None:
    """Earn points the way people do several times a day: follow-ups sent (3 points each)."""
    for _ in range(count):
        planned = await core.followup_add(in_channel(name), contact="Dana")
        await core.press(in_channel(name), action(planned, "followup:sent"))


async def test_leaderboard_ranks_effort_points_and_equal_points_share_a_place(core, clock):
    for name, sent in (("Cleo", 2), ("Bea", 1), ("Ada", 1), ("Dev", 3)):
        await send_followups(core, name, sent)
        await core.leaderboard(in_channel(name), "join")
    text = text_of(await core.leaderboard(in_channel("Ada"), view="all"))
    rows = [line.split(":")[0] for line in text.splitlines() if ". " in line[:4]]
    assert rows == ["1. Dev", "2. Cleo", "3. Ada", "3. Bea"]
    assert "You're number 3 of 4" in text
    # A new week: only this week's effort counts on the weekly board.
    clock.advance(timedelta(days=7))
    await core.checkin(in_channel("Bea"), mood=3)
    week = text_of(await core.leaderboard(in_channel("Ada")))
    assert [line for line in week.splitlines() if ". " in line[:4]] == [
        "1. Bea: 1 point, streak 2 weeks"
    ]
    assert "Nothing is logged for you this week yet" in week


async def test_leaderboard_shows_neighbours_of_someone_far_from_the_top(core):
    for index in range(20):
        name = f"P{index:02d}"
        await send_followups(core, name, 20 - index)
        await core.leaderboard(in_channel(name), "join")
    text = text_of(await core.leaderboard(in_channel("P15")))
    assert "P09" in text and "P10" not in text.split("…")[0]
    for neighbour in ("P13", "P14", "P15", "P16", "P17"):
        assert neighbour in text
    assert "P18" not in text
    assert "You're number 16 of 20" in text


async def test_leaderboard_leave_and_dm_refusal(core):
    await core.leaderboard(in_channel(), "join")
    assert "You're off the board" in text_of(await core.leaderboard(in_channel(), "leave"))
    assert "belongs to a community" in text_of(await core.leaderboard(in_dm()))
    assert "show, join, leave" in text_of(await core.leaderboard(in_channel(), "top"))


async def test_boards_of_two_communities_never_mix(core):
    other = COMMUNITY.__class__("test", "guild-2", "Other")
    await core.checkin(in_channel("Alex"), mood=3)
    await core.leaderboard(in_channel("Alex"), "join")
    from bot.models import Context

    text = text_of(await core.leaderboard(Context(person("Sam"), other, "c")))
    assert "Alex" not in text


# -- settings, journal, export, forget ---------------------------------------------------


async def test_settings_change_and_show(core):
    replies = await core.settings(
        in_channel(),
        timezone="europe/berlin",
        quiet="22:00-07:00",
        reminders="off",
        leaderboard="on",
    )
    text = text_of(replies)
    assert "Timezone: Europe/Berlin" in text
    assert "22:00–07:00" in text
    assert "Reminders in DMs: off" in text
    assert "On this community's board: on" in text


async def test_settings_bad_values_suggest_and_change_nothing(core):
    text = text_of(await core.settings(in_channel(), timezone="Europe/Berln", quiet="22:00-07:00"))
    assert "Did you mean Europe/Berlin?" in text
    shown = text_of(await core.settings(in_channel()))
    assert "21:00–08:00" in shown  # the quiet hours given with the bad timezone were not saved
    assert "on or off" in text_of(await core.settings(in_channel(), reminders="maybe"))
    assert "21:00-08:00, or off" in text_of(await core.settings(in_channel(), quiet="evenings"))


async def test_journal_is_private_to_its_owner(core):
    await start_reflection(core)
    await core.dm_text(in_dm(), "my private thought")
    assert "my private thought" not in text_of(await core.journal(in_channel("Sam")))


async def test_export_holds_everything_and_forget_erases_everything(core, store):
    await start_reflection(core)
    await core.dm_text(in_dm(), "an answer")
    await core.checkin(in_channel(), mood=2, note="tired")
    await core.followup_add(in_channel(), contact="Dana")
    await core.leaderboard(in_channel(), "join")
    await core.applied(in_channel(), company="Initech", source="referral")
    await core.skills_add(in_channel(), name="window functions")
    await core.skills_step(in_channel(), id=1, text="two katas", when_text="friday")
    await core.rejected(in_channel("Sam"), company="Other Co")
    await core.applied(in_channel("Sam"), company="Sam's Co")

    exported = await core.export(in_channel())
    [attachment] = exported[0].attachments
    data = json.loads(attachment.data)["tables"]
    assert data["rejections"][0]["company"] == "Acme"
    assert data["reflection_answers"][0]["answer"] == "an answer"
    assert data["checkins"][0]["note"] == "tired"
    assert data["applications"][0]["company"] == "Initech"
    assert data["skill_gaps"][0]["name"] == "window functions"
    assert data["skill_steps"][0]["text"] == "two katas"
    assert "Other Co" not in attachment.data.decode()
    assert "Sam's Co" not in attachment.data.decode()

    me = await store.people.find("test", "alex")
    confirm = await core.forget(in_channel())
    assert action(confirm, "forget:confirm") == "forget:confirm"
    assert await store.people.find("test", "alex") is not None  # nothing happens before confirm
    await core.press(in_channel(), "forget:confirm")
    assert await store.people.find("test", "alex") is None
    for table, _column in PERSONAL_TABLES:
        assert await count_held(store, me.id, table) == 0, table
    sam = await store.people.find("test", "sam")
    assert await count_held(store, sam.id, "rejections") == 1
    assert await count_held(store, sam.id, "applications") == 1


# -- the command spec --------------------------------------------------------------------


async def test_commands_check_names_options_and_subcommands(core):
    ctx = in_channel()
    assert "Did you mean /rejected?" in text_of(await commands.run(core, ctx, "rejectd", None, {}))
    assert 'no option "colour"' in text_of(
        await commands.run(core, ctx, "rejected", None, {"colour": "red"})
    )
    assert "should be a number" in text_of(
        await commands.run(core, ctx, "checkin", None, {"mood": "good"})
    )
    assert "takes options written as name:value" in text_of(
        await commands.run(core, ctx, "streak", "now", {})
    )
    assert "add, list, sent, snooze, skip" in text_of(
        await commands.run(core, ctx, "followup", "remove", {})
    )
    assert "No follow-ups waiting" in text_of(await commands.run(core, ctx, "followup", None, {}))
    assert "What Rebound can do" in text_of(await commands.run(core, ctx, "help", None, {}))


async def test_unknown_buttons_are_refused_kindly(core):
    for action_id in ("nonsense", "reflect:start:abc", "followup:sent:999", "board:join:1"):
        replies = await core.press(in_channel(), action_id)
        assert replies[0].private
        assert "Traceback" not in text_of(replies)
