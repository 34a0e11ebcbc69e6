"""Practice buddies on the real discord.py client: join, the round's intro DM and its buttons."""

# The fixtures are imported from their own modules, and pytest passes them in by name.
# ruff: noqa: F401, F811
from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.test_discord import (
    ADA,
    EPHEMERAL,
    callbacks,
    custom_ids,
    double,
    next_callback,
    running,
    settings,
    text_of,
)

BO = "555000000000000002"
ROUND = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def join(zone: str) -> list[dict]:
    return [
        {
            "name": "join",
            "type": 1,
            "options": [
                {"name": "focus", "type": 3, "value": "mock"},
                {"name": "timezone", "type": 3, "value": zone},
            ],
        }
    ]


async def test_the_intro_dm_mentions_the_partner_and_its_buttons_work(double, settings):
    async with running(double, settings) as (app, _):
        turn_on = [
            {"name": "buddies", "type": 3, "value": "weekly"},
            {"name": "buddy_day", "type": 3, "value": "monday"},
            {"name": "buddy_hour", "type": 4, "value": 9},
        ]
        await double.dispatch(
            "INTERACTION_CREATE", double.command("rebound-admin", turn_on, admin=True)
        )
        assert "Practice buddies: every week, Mondays at 09:00" in text_of(
            await next_callback(double, 0)
        )
        for who, zone, seen in ((ADA, "Europe/Berlin", 1), (BO, "Europe/Paris", 2)):
            name = "Ada" if who == ADA else "Bo"
            await double.dispatch(
                "INTERACTION_CREATE", double.command("buddy", join(zone), user_id=who, name=name)
            )
            joined = await next_callback(double, seen)
            assert joined["data"]["flags"] & EPHEMERAL
            assert "You're in" in text_of(joined)
        app.clock.set(ROUND)
        assert await app.reminders.run_buddy_rounds() == 1
        tally = await app.reminders.tick()
        assert tally.sent == 2
        dms = [c for c in double.find("POST", "/channels/") if c.body.get("nonce")]
        by_text = {("Ada" if f"<@{BO}>" in text_of(c.body) else "Bo"): c.body for c in dms}
        ada_dm = by_text["Ada"]
        # The partner is a real mention, which names them and never pings.
        assert f"paired with <@{BO}>" in text_of(ada_dm)
        assert f"<@{ADA}>" in text_of(by_text["Bo"])
        assert ada_dm["allowed_mentions"] == {"parse": []}
        assert "Your time now: Monday 30 November, 10:00" in text_of(ada_dm)
        ids = custom_ids(ada_dm)
        assert [i.split(":")[2] for i in ids] == ["met", "missed", "another", "block"]
        assert ids[3].endswith(":" + str((await app.store.people.find("discord", BO)).id))
        labels = [c["label"] for row in ada_dm["components"] for c in row["components"]]
        assert labels == [
            "We met",
            "Couldn't make it",
            "Pair me with someone else next time",
            "Block Bo",
        ]
        seen = len(callbacks(double))
        await double.dispatch("INTERACTION_CREATE", double.press(ids[0], user_id=ADA, name="Ada"))
        met = await next_callback(double, seen)
        await double.dispatch("INTERACTION_CREATE", double.press(ids[3], user_id=ADA, name="Ada"))
        blocked = await next_callback(double, seen + 1)
    assert met["data"]["flags"] & EPHEMERAL
    assert f"Practising with <@{BO}> counts as effort" in text_of(met)
    assert "won't be paired with Bo again" in text_of(blocked)
