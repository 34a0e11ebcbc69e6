"""Practice buddies on the real Bolt app: join, the round's intro DM and its buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e import test_slack as base
from tests.e2e.slack_double import TEAM, command_body, interactive_body, post
from tests.e2e.test_slack import FORM, action_ids, text_of
from tests.e2e.test_slack_safety import admin

# The same double and Bolt app as test_slack.py.
double = base.double
slack = base.slack

ROUND = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def press(action_id: str, user: str, response: str) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "name": user.lower()},
        "api_app_id": "A1",
        "trigger_id": "t",
        "channel": {"id": f"D{user}"},
        "container": {"type": "message", "channel_id": f"D{user}"},
        "response_url": response,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "type": "button",
                "value": action_id,
                "action_ts": "1",
            }
        ],
    }


async def test_the_intro_dm_mentions_the_partner_and_its_buttons_work(double, slack):
    url, app = slack
    double.admins.add("UADM")
    shown = await admin(double, url, "buddies:weekly buddy_day:monday buddy_hour:9")
    assert "Practice buddies*\nevery week, Mondays at 09:00" in shown
    for user in ("U1", "U2"):
        seen = len(double.called("response_url"))
        await post(url, command_body(double, "/rebound", "buddy join focus:mock", user=user), FORM)
        answers = await double.wait_for(
            lambda calls, seen=seen: (
                len(double.called("response_url")) > seen and double.called("response_url")
            )
        )
        assert "You're in" in text_of(answers[seen].body)
    app.clock.set(ROUND)
    assert await app.reminders.run_buddy_rounds() == 1
    assert (await app.reminders.tick()).sent == 2
    dms = {c.body["channel"]: c.body for c in double.called("chat.postMessage")}
    intro = dms["DU1"]
    # The partner is a Slack mention by id; the name they typed never becomes markup.
    assert "paired with <@U2>" in text_of(intro)
    assert "<@U1>" in text_of(dms["DU2"])
    assert "Your time now*\nMonday 30 November, 10:00" in text_of(intro)
    ids = action_ids(intro)
    assert [i.split(":")[1] for i in ids] == ["met", "missed", "another", "block"]
    labels = [
        e["text"]["text"] for b in intro["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == [
        "We met",
        "Couldn't make it",
        "Pair me with someone else next time",
        "Block Person U2",
    ]
    await post(url, interactive_body(press(ids[0], "U1", f"{double.base}/respond/m")), FORM)
    # A press in the DM is answered in the DM.
    [met] = await double.wait_for(
        lambda calls: [
            c for c in double.called("chat.postMessage") if "counts as effort" in text_of(c.body)
        ]
    )
    assert met.body["channel"] == "DU1"
    assert "Practising with <@U2> counts as effort" in text_of(met.body)
    person = await app.store.people.find("slack", "U2")
    streak = await app.store.effort.streak(person.id)
    assert streak.total_points == 3  # "We met" counted for the partner too
