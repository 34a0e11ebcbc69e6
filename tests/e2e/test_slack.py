"""The real Bolt AsyncApp served over HTTP on 127.0.0.1, its client pointed at a Slack double."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import web

from adapters.slack.app import SlackMessenger, build_app
from bot.app import App, build
from bot.config import load_settings
from bot.ports import FixedClock
from tests.conftest import START
from tests.e2e.slack_double import (
    BOT_TOKEN,
    SECRET,
    TEAM,
    SlackDouble,
    command_body,
    interactive_body,
    post,
    sign,
)

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def double() -> AsyncIterator[SlackDouble]:
    fake = SlackDouble()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(double, tmp_path) -> AsyncIterator[tuple[str, App]]:
    settings = load_settings(
        {
            "REBOUND_DB_PATH": str(tmp_path / "rebound.db"),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{double.base}/api",
        },
        env_file=None,
    )
    async with build(settings, clock=FixedClock(START), schedule=False) as app:
        bolt = build_app(app, settings)
        app.reminders.register("slack", SlackMessenger(bolt.client))
        runner = web.AppRunner(bolt.web_app(path="/slack/events"))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}/slack/events", app
        await runner.cleanup()


def text_of(body: dict) -> str:
    parts = [body.get("text") or ""]
    for block in body.get("blocks") or body.get("view", {}).get("blocks", []):
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
    return "\n".join(parts)


def action_ids(body: dict) -> list[str]:
    return [
        e["action_id"]
        for b in body.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def pressing(double: SlackDouble, action_id: str) -> dict:
    """A block_actions payload: U1 pressing the button with this action id in C1."""
    button = {"block_id": "b", "type": "button", "action_ts": "1"}
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1", "name": "u1"},
        "api_app_id": "A1",
        "trigger_id": "t",
        "channel": {"id": "C1"},
        "container": {"type": "message", "channel_id": "C1"},
        "response_url": f"{double.base}/respond/press",
        "actions": [{**button, "action_id": action_id, "value": action_id}],
    }


def event(event_id: str, payload: dict) -> str:
    return json.dumps(
        {
            "token": "t",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": payload,
        }
    )


def press_body(double: SlackDouble, action_id: str) -> str:
    """The form body of one button press by U1 in C1."""
    return interactive_body(pressing(double, action_id))


async def test_rejected_with_free_text_is_understood_and_answered_privately(double, slack):
    url, _ = slack
    line = "Acme, data analyst, final round - they went with someone senior <!channel>"
    status, _ = await post(url, command_body(double, "/rejected", line), FORM)
    assert status == 200
    [reply] = await double.wait_for(lambda calls: [c for c in calls if c.method == "response_url"])
    assert reply.body["response_type"] == "ephemeral"
    assert "Logged: a no from Acme at the final round stage" in text_of(reply.body)
    assert action_ids(reply.body)[0] == "reflect:start:1"
    assert "<!channel>" not in json.dumps(reply.body)  # typed text never mentions anyone


async def test_rejected_with_no_text_opens_the_modal_and_its_submission_logs(double, slack):
    url, _ = slack
    await post(url, command_body(double, "/rejected", ""), FORM)
    [opened] = await double.wait_for(lambda calls: double.called("views.open"))
    view = opened.body["view"]
    assert view["callback_id"] == "rejected_modal"
    assert [b["block_id"] for b in view["blocks"]] == [
        "company",
        "role",
        "stage",
        "feeling",
        "note",
    ]
    submission = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U1", "name": "u1"},
        "api_app_id": "A1",
        "trigger_id": "t",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "rejected_modal",
            "team_id": TEAM,
            "private_metadata": view["private_metadata"],
            "hash": "h",
            "state": {
                "values": {
                    "company": {"value": {"type": "plain_text_input", "value": "Globex"}},
                    "role": {"value": {"type": "plain_text_input", "value": None}},
                    "stage": {
                        "value": {"type": "static_select", "selected_option": {"value": "screen"}}
                    },
                    "feeling": {"value": {"type": "static_select", "selected_option": None}},
                    "note": {"value": {"type": "plain_text_input", "value": "fine"}},
                }
            },
        },
    }
    status, _ = await post(url, interactive_body(submission), FORM)
    assert status == 200
    [posted] = await double.wait_for(lambda calls: double.called("chat.postEphemeral"))
    assert "Logged: a no from Globex at the screening stage" in text_of(posted.body)


async def test_unclear_text_opens_the_modal_prefilled(double, slack):
    url, _ = slack
    await post(url, command_body(double, "/rejected", "Acme, analyst, remote, contract"), FORM)
    [opened] = await double.wait_for(lambda calls: double.called("views.open"))
    company = opened.body["view"]["blocks"][0]["element"]
    assert company["initial_value"] == "Acme"


async def test_a_button_press_starts_the_reflection_in_dms_and_a_dm_answer_continues(double, slack):
    url, _ = slack
    await post(url, command_body(double, "/rejected", "Initech, QA, technical"), FORM)
    [reply] = await double.wait_for(lambda calls: double.called("response_url"))
    assert (await post(url, press_body(double, action_ids(reply.body)[0]), FORM))[0] == 200
    [prompt] = await double.wait_for(
        lambda calls: [c for c in double.called("chat.postMessage") if c.body["channel"] == "DU1"]
    )
    assert "Reflection on Initech · 1 of 3" in text_of(prompt.body)
    answer = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU1",
        "user": "U1",
        "text": "I froze on the SQL question",
        "ts": "2.0",
    }
    assert (await post(url, event("Ev1", answer), "application/json"))[0] == 200
    found = await double.wait_for(
        lambda calls: [c for c in double.called("chat.postMessage") if "2 of 3" in text_of(c.body)]
    )
    assert found


async def test_a_retried_event_is_handled_once(double, slack):
    url, _ = slack
    hello = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU2",
        "user": "U2",
        "text": "hello",
        "ts": "3.0",
    }
    body = event("EvRetry", hello)
    await post(url, body, "application/json")
    await double.wait_for(lambda calls: double.called("chat.postMessage"))
    status, _ = await post(
        url,
        body,
        "application/json",
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout", **sign(body)},
    )
    assert status == 200
    # A later, different event proves the retry would have been handled by now.
    await post(url, event("EvNext", {**hello, "ts": "4.0"}), "application/json")
    await double.wait_for(lambda calls: len(double.called("chat.postMessage")) >= 2)
    assert len(double.called("chat.postMessage")) == 2


async def test_app_home_shows_streak_reminders_journal_and_board(double, slack):
    url, _ = slack
    opened = {
        "type": "app_home_opened",
        "user": "U3",
        "channel": "DU3",
        "tab": "home",
        "event_ts": "5.0",
    }
    assert (await post(url, event("EvHome", opened), "application/json"))[0] == 200
    [published] = await double.wait_for(lambda calls: double.called("views.publish"))
    assert published.body["user_id"] == "U3"
    home = text_of(published.body)
    for part in (
        "Your resilience streak",
        "Nothing is scheduled",
        "journal is empty",
        "Resilience board",
    ):
        assert part in home


async def test_forged_signatures_and_stale_timestamps_are_refused(double, slack):
    url, _ = slack
    body = command_body(double, "/rejected", "Acme")
    forged = sign(body, secret="not-the-secret")
    assert (await post(url, body, FORM, **forged))[0] == 401
    stale = sign(body, timestamp=int(time.time()) - 10 * 60)
    assert (await post(url, body, FORM, **stale))[0] == 401
    assert not double.called("response_url")


async def test_a_dm_that_fails_is_recorded_and_explained(double, slack):
    url, app = slack
    double.closed_dms.add("U9")
    await post(url, command_body(double, "/rejected", "Hooli, final", user="U9"), FORM)
    await double.wait_for(lambda calls: double.called("response_url"))
    app.clock.advance(timedelta(days=1))
    tally = await app.reminders.tick()
    assert tally.undeliverable == 1
    person = await app.store.people.find("slack", "U9")
    [failed] = await app.store.reminders.for_person(person.id, ["undeliverable"])
    assert failed.last_error == "slack cannot_dm_bot"
    # Interactive: /reflect explains privately in the channel and keeps the prompt there.
    await post(url, command_body(double, "/reflect", "", user="U9"), FORM)
    replies = await double.wait_for(
        lambda calls: (
            [c for c in double.called("response_url") if "Reflection on Hooli ·" in text_of(c.body)]
            and double.called("response_url")
        )
    )
    texts = [text_of(r.body) for r in replies]
    assert any("couldn't reach you" in t for t in texts)
    assert any("couldn't open a DM with you" in t for t in texts)
    assert person.timezone == "Europe/Berlin"  # taken from users.info


async def test_misbehaving_slack_ends_every_reminder_in_a_recorded_state(double, slack):
    from bot.models import PersonRef
    from bot.reminders import MAX_ATTEMPTS
    from tests.conftest import START

    _, app = slack
    people = {"UOK": "ok", "USTORM": "storm", "UBROKEN": "broken", "UCLOSED": "closed"}
    double.limited["USTORM"] = 2  # 429s, retried after Retry-After by slack_sdk
    double.failing["UBROKEN"] = 1
    double.closed_dms.add("UCLOSED")
    for user_id in people:
        person = await app.store.people.ensure(PersonRef("slack", user_id, "P"), START)
        await app.store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")
        await app.store.reminders.schedule(
            person.id, kind="checkin", ref_id=None, key=f"k{user_id}", due=START, now=START
        )
    for _ in range(MAX_ATTEMPTS + 2):
        await app.reminders.tick()
        app.clock.advance(timedelta(hours=2))
    states = {}
    for user_id, kind in people.items():
        reminder = await app.store.reminders.by_key(f"k{user_id}")
        states[kind] = (reminder.status, reminder.last_error or "")
    assert states["ok"][0] == "sent" and states["storm"][0] == "sent"
    assert states["broken"][0] == "failed" and "fatal_error" in states["broken"][1]
    assert states["closed"] == ("undeliverable", "slack cannot_dm_bot")


async def test_declined_through_rebound_is_logged_with_its_own_words(double, slack):
    url, _ = slack
    status, _ = await post(url, command_body(double, "/rebound", "declined company:Acme"), FORM)
    assert status == 200
    [reply] = await double.wait_for(lambda calls: [c for c in calls if c.method == "response_url"])
    assert reply.body["response_type"] == "ephemeral"
    assert "Logged: you declined an offer from Acme" in text_of(reply.body)
    assert "a no" not in text_of(reply.body)


async def test_one_day_of_write_it_out_in_dms(double, slack):
    url, app = slack
    await post(url, command_body(double, "/rebound", "writeitout hour:19"), FORM)
    [offer] = await double.wait_for(lambda calls: double.called("response_url"))
    assert "not even your community's admins" in text_of(offer.body)
    start = next(a for a in action_ids(offer.body) if a.startswith("write:start:19"))
    assert (await post(url, press_body(double, start), FORM))[0] == 200
    await double.wait_for(lambda calls: len(double.called("response_url")) >= 2)
    assert "Day 1 opens in your DMs" in text_of(double.called("response_url")[1].body)
    app.clock.advance(timedelta(hours=3))  # 19:00 in Berlin, the timezone users.info gave

    def dms() -> list:
        return [c for c in double.called("chat.postMessage") if c.body["channel"] == "DU1"]

    assert (await app.reminders.tick()).sent == 1
    [opened] = await double.wait_for(lambda calls: dms())
    assert "Write it out · day 1 of 5" in text_of(opened.body)
    assert action_ids(opened.body)[0].startswith("write:done:")
    # Each message waits for its answer: a part typed with no answer could race the "done".
    for n, (typed, expected) in enumerate((("The email came at lunch. It stung.", 2), ("done", 3))):
        dm = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1"}
        dm |= {"text": typed, "ts": f"3.{n}"}
        assert (await post(url, event(f"EvW{n}", dm), "application/json"))[0] == 200
        await double.wait_for(lambda calls, want=expected: len(dms()) >= want)
    replies = [text_of(c.body) for c in dms()]
    assert "Kept. Go on" in replies[1]
    assert "Day 1 is closed: 7 words. Day 2 opens on Friday 27 November, 19:00." in replies[2]
    person = await app.store.people.find("slack", "U1")
    [entry] = (await app.store.accounts.export(person.id))["writing_entries"]
    assert (entry["text"], entry["words"]) == ("The email came at lunch. It stung.", 7)


# -- the growth ledger ---------------------------------------------------------------------


async def test_insights_answer_ephemerally_and_send_the_card_to_the_dm(double, slack):
    url, _ = slack
    for line in ("applied company:Acme", "applied company:Initech"):
        assert (await post(url, command_body(double, "/rebound", line), FORM))[0] == 200
    await post(url, command_body(double, "/rejected", "Acme, analyst, technical"), FORM)
    await double.wait_for(lambda calls: len(double.called("response_url")) >= 3)
    assert (await post(url, command_body(double, "/rebound", "insights"), FORM))[0] == 200
    completed = await double.wait_for(lambda calls: double.called("files.completeUploadExternal"))
    answers = [c.body for c in double.called("response_url")]
    [insight] = [text_of(a) for a in answers if "Your insights" in text_of(a)]
    assert all(a["response_type"] == "ephemeral" for a in answers)
    assert "November: 2 applications, 1 no (1 technical interview)" in insight
    # Files cannot be ephemeral: the card goes to the person's DM with Rebound, with alt text.
    [upload] = double.called("files.getUploadURLExternal")
    assert upload.body["filename"] == "insights.png"
    assert upload.body["alt_txt"].startswith("Insights card")
    assert completed[0].body["channel_id"].startswith("D")
    assert not double.called("chat.postMessage")


async def test_hired_celebrates_ephemerally_sends_the_card_to_the_dm_and_shares_on_a_press(
    double, slack
):
    url, _ = slack
    await post(url, command_body(double, "/rejected", "Acme, analyst, final"), FORM)
    await double.wait_for(lambda calls: double.called("response_url"))
    await post(url, command_body(double, "/rebound", "hired company:Initech"), FORM)
    await double.wait_for(lambda calls: double.called("files.completeUploadExternal"))
    [reply] = [c for c in double.called("response_url") if "You got a yes" in text_of(c.body)]
    assert reply.body["response_type"] == "ephemeral"
    assert ": a yes from Initech. However long the road was" in text_of(reply.body)
    [upload] = double.called("files.getUploadURLExternal")
    assert upload.body["filename"] == "journey.png"
    assert upload.body["alt_txt"].startswith("Journey card:")
    assert not double.called("chat.postMessage")  # nothing in the channel before a press
    named = next(a for a in action_ids(reply.body) if a.startswith("hired:named:"))
    press = pressing(double, named)
    assert (await post(url, interactive_body(press), FORM))[0] == 200
    [shout] = await double.wait_for(
        lambda calls: [c for c in double.called("chat.postMessage") if c.body["channel"] == "C1"]
    )
    assert "just got a yes" in text_of(shout.body)
    assert "Initech" not in text_of(shout.body) and "Acme" not in text_of(shout.body)


async def test_skills_and_the_ledger_answer_under_rebound(double, slack):
    url, _ = slack
    for line in ("applied company:Acme", 'skills add name:"SQL window functions"', "ledger"):
        assert (await post(url, command_body(double, "/rebound", line), FORM))[0] == 200
    await post(url, command_body(double, "/rebound", "skills"), FORM)
    await double.wait_for(lambda calls: len(double.called("response_url")) >= 4)
    answers = [text_of(c.body) for c in double.called("response_url")]
    [ledger] = [a for a in answers if "Your ledger for November 2026, so far" in a]
    assert "1 application sent" in ledger and "1 skill gap worked on" in ledger
    [skills] = [a for a in answers if "Your skill gaps" in a]
    assert "#1 SQL window functions" in skills
    uploaded = await double.wait_for(lambda calls: double.called("files.getUploadURLExternal"))
    assert [u.body["filename"] for u in uploaded] == ["ledger.png"]
