"""The real discord.py client, end to end, against the Discord double on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import discord
import pytest

from adapters.discord.client import DiscordMessenger, ReboundDiscord, point_at
from bot.app import App, build
from bot.config import load_settings
from bot.models import PersonRef
from bot.ports import FixedClock
from tests.conftest import START
from tests.e2e.discord_double import CHANNEL_ID, GUILD_ID, TOKEN, DiscordDouble

ADA = "555000000000000001"
EPHEMERAL = 64


@pytest.fixture
async def double(monkeypatch) -> AsyncIterator[DiscordDouble]:
    fake = DiscordDouble()
    await fake.start()
    # point_at changes discord.py's class-level URLs: put them back after the test.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket,
        "DEFAULT_GATEWAY",
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )
    yield fake
    await fake.stop()


@pytest.fixture
def settings(double, tmp_path):
    return load_settings(
        {
            "REBOUND_DB_PATH": str(tmp_path / "rebound.db"),
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_GUILD_ID": str(GUILD_ID),
            "DISCORD_API_URL": double.api_url,
            "DISCORD_GATEWAY_URL": double.gateway_url,
        },
        env_file=None,
    )


@asynccontextmanager
async def running(double: DiscordDouble, settings) -> AsyncIterator[tuple[App, ReboundDiscord]]:
    clock = FixedClock(START)
    async with build(settings, clock=clock, schedule=False) as app:
        point_at(settings)
        client = ReboundDiscord(app, settings)
        app.reminders.register("discord", DiscordMessenger(client))
        task = asyncio.create_task(client.start(TOKEN))
        await asyncio.wait_for(client.connected.wait(), 10)
        try:
            yield app, client
        finally:
            await client.close()
            await task


def callbacks(double: DiscordDouble) -> list:
    return double.find("POST", "/callback")


async def next_callback(double: DiscordDouble, seen: int) -> dict:
    found = await double.wait_for(lambda calls: len(callbacks(double)) > seen and callbacks(double))
    return found[seen].body


def text_of(body: dict) -> str:
    data = body.get("data", body)
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def custom_ids(body: dict) -> list[str]:
    data = body.get("data", body)
    return [c["custom_id"] for row in data.get("components") or [] for c in row["components"]]


async def test_commands_sync_once_then_only_when_they_change(double, settings):
    async with running(double, settings):
        pass
    [sync] = double.find("PUT", f"/guilds/{GUILD_ID}/commands")
    names = {c["name"]: c for c in sync.body}
    assert set(names) >= {
        "rejected",
        "reflect",
        "checkin",
        "followup",
        "streak",
        "leaderboard",
        "settings",
        "journal",
        "export",
        "forget",
        "support",
        "help",
        "rebound-admin",
        "buddy",
    }
    assert int(names["rebound-admin"]["default_member_permissions"]) == 1 << 5
    assert [o["name"] for o in names["followup"]["options"]] == ["add", "list"]
    async with running(double, settings):
        pass
    assert len(double.find("PUT", "/commands")) == 1  # same definitions: no second sync


async def test_rejected_with_options_answers_privately_with_persistent_buttons(double, settings):
    async with running(double, settings) as (_app, _):
        options = [
            {"name": "company", "type": 3, "value": "Acme @everyone"},
            {"name": "stage", "type": 3, "value": "final"},
            {"name": "feeling", "type": 4, "value": 2},
        ]
        await double.dispatch("INTERACTION_CREATE", double.command("rejected", options))
        body = await next_callback(double, 0)
    assert body["type"] == 4
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["allowed_mentions"] == {"parse": []}
    assert "Logged: a no from Acme @\u200beveryone at the final round stage" in text_of(body)
    assert custom_ids(body)[0] == "rb:reflect:start:1"


async def test_rejected_without_options_opens_the_modal_and_its_submission_logs(double, settings):
    async with running(double, settings):
        await double.dispatch("INTERACTION_CREATE", double.command("rejected"))
        modal = await next_callback(double, 0)
        assert modal["type"] == 9
        fields = [c["components"][0]["custom_id"] for c in modal["data"]["components"]]
        submit = double.interaction(
            5,
            {
                "custom_id": modal["data"]["custom_id"],
                "components": [
                    {
                        "type": 1,
                        "components": [{"type": 4, "custom_id": fields[0], "value": "Globex"}],
                    },
                    {"type": 1, "components": [{"type": 4, "custom_id": fields[1], "value": ""}]},
                    {
                        "type": 1,
                        "components": [{"type": 4, "custom_id": fields[2], "value": "screen"}],
                    },
                    {"type": 1, "components": [{"type": 4, "custom_id": fields[3], "value": "3"}]},
                    {"type": 1, "components": [{"type": 4, "custom_id": fields[4], "value": "ok"}]},
                ],
            },
        )
        await double.dispatch("INTERACTION_CREATE", submit)
        body = await next_callback(double, 1)
    assert "Logged: a no from Globex at the screening stage" in text_of(body)


async def test_a_button_pressed_after_a_restart_and_the_dm_reflection(double, settings):
    async with running(double, settings):
        await double.dispatch(
            "INTERACTION_CREATE",
            double.command("rejected", [{"name": "stage", "type": 3, "value": "final"}]),
        )
        first = await next_callback(double, 0)
    reflect_now = custom_ids(first)[0]

    async with running(double, settings):  # a new process: the old message's button still works
        await double.dispatch("INTERACTION_CREATE", double.press(reflect_now))
        ack = await next_callback(double, 1)
        assert "I've sent you a DM" in text_of(ack)
        prompt = await double.wait_for(
            lambda calls: [
                c for c in calls if c.method == "POST" and c.path.startswith("/channels/")
            ]
        )
        assert "Reflection on your final round no · 1 of 3" in text_of(prompt[0].body)
        dm_channel = double.dm_channels[ADA]
        await double.dispatch(
            "MESSAGE_CREATE",
            {
                **double.message(dm_channel, {"content": "I talked too fast"}),
                "author": {"id": ADA, "username": "Ada", "discriminator": "0", "avatar": None},
            },
        )
        second = await double.wait_for(
            lambda calls: (
                len(
                    [
                        c
                        for c in calls
                        if c.method == "POST" and c.path == f"/channels/{dm_channel}/messages"
                    ]
                )
                >= 2
                and calls
            )
        )
    sent = [
        c for c in second if c.method == "POST" and c.path == f"/channels/{dm_channel}/messages"
    ]
    assert "Reflection on your final round no · 2 of 3" in text_of(sent[1].body)


async def test_a_reminder_dm_carries_a_nonce_and_closed_dms_are_recorded(double, settings):
    double.closed_dms.add("555000000000000002")
    async with running(double, settings) as (app, _):
        for who in (
            {"user_id": ADA, "name": "Ada"},
            {"user_id": "555000000000000002", "name": "Bo"},
        ):
            await double.dispatch(
                "INTERACTION_CREATE",
                double.command(
                    "rejected", [{"name": "stage", "type": 3, "value": "screen"}], **who
                ),
            )
        await next_callback(double, 1)
        app.clock.advance(timedelta(days=1))
        tally = await app.reminders.tick()
        assert (tally.sent, tally.undeliverable) == (1, 1)
        sent = [c for c in double.find("POST", "/channels/") if c.body.get("nonce")]
        assert sent[0].body["enforce_nonce"] is True and len(sent[0].body["nonce"]) == 25
        assert "A gentle nudge" in text_of(sent[0].body)
        bo = await app.store.people.find("discord", "555000000000000002")
        [failed] = await app.store.reminders.for_person(bo.id, ["undeliverable"])
        assert "50007" in failed.last_error
        await double.dispatch(
            "INTERACTION_CREATE", double.command("streak", user_id="555000000000000002", name="Bo")
        )
        await double.wait_for(lambda calls: double.find("POST", "/webhooks/"))
        notice = double.find("POST", "/webhooks/")[0].body
    assert "couldn't reach you" in text_of(notice)


async def test_a_429_is_waited_out_and_retried(double, settings):
    async with running(double, settings) as (_app, client):
        double.rate_limit_next = 1
        messenger = DiscordMessenger(client)
        from bot.models import Reply, Text

        await messenger.send_dm(PersonRef("discord", ADA, "Ada"), Reply(text=Text.of("hello")))
    attempts = [c for c in double.find("POST", "/channels/") if c.body.get("content") == "hello"]
    assert len(attempts) == 2  # the 429, then the retry that landed


async def test_the_admin_command_is_refused_to_a_non_admin(double, settings):
    async with running(double, settings) as _:
        option = [{"name": "sharing", "type": 3, "value": "off"}]
        await double.dispatch("INTERACTION_CREATE", double.command("rebound-admin", option))
        refused = await next_callback(double, 0)
        await double.dispatch(
            "INTERACTION_CREATE",
            double.command(
                "rebound-admin",
                [*option, {"name": "channel", "type": 7, "value": str(CHANNEL_ID)}],
                admin=True,
            ),
        )
        allowed = await next_callback(double, 1)
    assert "Only this community's admins" in text_of(refused)
    assert refused["data"]["flags"] & EPHEMERAL
    assert "Sharing posts: off" in text_of(allowed)
    assert f"#{CHANNEL_ID}" in text_of(allowed)


async def test_streak_defers_then_follows_up_with_its_card(double, settings):
    async with running(double, settings):
        await double.dispatch("INTERACTION_CREATE", double.command("streak"))
        deferred = await next_callback(double, 0)
        followup = await double.wait_for(lambda calls: double.find("POST", "/webhooks/"))
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    body = followup[0].body
    assert body["attachments"][0]["filename"] == "streak.png"
    assert body["attachments"][0]["description"].startswith("Resilience streak card")
    assert body["embeds"][0]["image"]["url"] == "attachment://streak.png"


async def test_misbehaving_discord_ends_every_reminder_in_a_recorded_state(double, settings):
    from bot.reminders import MAX_ATTEMPTS

    people = {
        "555000000000000011": "ok",
        "555000000000000012": "storm",
        "555000000000000013": "broken",
        "555000000000000014": "closed",
    }
    double.broken_dms.add("555000000000000013")
    double.closed_dms.add("555000000000000014")
    async with running(double, settings) as (app, _):
        for user_id in people:
            person = await app.store.people.ensure(PersonRef("discord", user_id, "P"), START)
            await app.store.people.update(person.id, quiet_start="00:00", quiet_end="00:00")
            await app.store.reminders.schedule(
                person.id, kind="checkin", ref_id=None, key=f"k{user_id}", due=START, now=START
            )
        double.rate_limit_next = 3  # a storm of 429s, each waited out by discord.py
        for _ in range(MAX_ATTEMPTS + 2):
            await app.reminders.tick()
            app.clock.advance(timedelta(hours=2))
        states = {}
        for user_id, kind in people.items():
            reminder = await app.store.reminders.by_key(f"k{user_id}")
            states[kind] = (reminder.status, reminder.last_error or "")
    assert states["ok"][0] == "sent" and states["storm"][0] == "sent"
    assert states["broken"][0] == "failed" and "503" in states["broken"][1]
    assert states["closed"][0] == "undeliverable" and "50007" in states["closed"][1]


async def test_declined_is_its_own_command_and_an_outcome_of_rejected(double, settings):
    async with running(double, settings):
        [sync] = double.find("PUT", f"/guilds/{GUILD_ID}/commands")
        names = {c["name"]: c for c in sync.body}
        assert [o["name"] for o in names["declined"]["options"]] == [
            "company",
            "role",
            "feeling",
            "note",
        ]
        outcome = next(o for o in names["rejected"]["options"] if o["name"] == "outcome")
        assert [c["value"] for c in outcome["choices"]] == ["rejected", "declined"]
        options = [{"name": "company", "type": 3, "value": "Acme"}]
        await double.dispatch("INTERACTION_CREATE", double.command("declined", options))
        body = await next_callback(double, 0)
        picked = [
            {"name": "company", "type": 3, "value": "Initech"},
            {"name": "outcome", "type": 3, "value": "declined"},
        ]
        await double.dispatch("INTERACTION_CREATE", double.command("rejected", picked))
        second = await next_callback(double, 1)
    assert body["data"]["flags"] & EPHEMERAL
    assert "Logged: you declined an offer from Acme" in text_of(body)
    assert "a no" not in text_of(body)
    assert "Logged: you declined an offer from Initech" in text_of(second)


async def test_one_day_of_write_it_out_in_dms(double, settings):
    async with running(double, settings) as (app, _):
        await double.dispatch(
            "INTERACTION_CREATE",
            double.command("writeitout", [{"name": "hour", "type": 4, "value": 19}]),
        )
        offer = await next_callback(double, 0)
        assert offer["data"]["flags"] & EPHEMERAL and "not even your" in text_of(offer)
        start = next(i for i in custom_ids(offer) if i.startswith("rb:write:start:19"))
        await double.dispatch("INTERACTION_CREATE", double.press(start))
        assert "Day 1 opens in your DMs" in text_of(await next_callback(double, 1))
        app.clock.advance(timedelta(hours=4))  # 19:00
        assert (await app.reminders.tick()).sent == 1
        dm_channel = double.dm_channels[ADA]
        path = f"/channels/{dm_channel}/messages"

        def dms(calls: list) -> list:
            return [c for c in calls if c.method == "POST" and c.path == path]

        opened = (await double.wait_for(dms))[0].body
        assert "Write it out · day 1 of 5" in text_of(opened)
        assert custom_ids(opened)[0].startswith("rb:write:done:")
        # Each message waits for its answer: a part typed with no answer could race the "done".
        for typed, expected in (("The email came at lunch. It stung.", 2), ("done", 3)):
            await double.dispatch(
                "MESSAGE_CREATE",
                {
                    **double.message(dm_channel, {"content": typed}),
                    "author": {"id": ADA, "username": "Ada", "discriminator": "0", "avatar": None},
                },
            )
            sent = await double.wait_for(lambda c, n=expected: len(dms(c)) >= n and dms(c))
        replies = [text_of(c.body) for c in sent]
        person = await app.store.people.find("discord", ADA)
        [entry] = (await app.store.accounts.export(person.id))["writing_entries"]
    assert "Kept. Go on" in replies[1]
    assert "Day 1 is closed: 7 words. Day 2 opens on Friday 27 November, 19:00." in replies[2]
    assert (entry["text"], entry["words"]) == ("The email came at lunch. It stung.", 7)


# -- the growth ledger ---------------------------------------------------------------------


async def test_insights_defer_then_follow_up_privately_with_the_card(double, settings):
    async with running(double, settings):
        for company in ("Acme", "Initech"):
            option = [{"name": "company", "type": 3, "value": company}]
            await double.dispatch("INTERACTION_CREATE", double.command("applied", option))
        no = [{"name": "stage", "type": 3, "value": "technical"}]
        await double.dispatch("INTERACTION_CREATE", double.command("rejected", no))
        logged = await next_callback(double, 2)
        await double.dispatch("INTERACTION_CREATE", double.command("insights"))
        deferred = await next_callback(double, 3)
        followup = await double.wait_for(lambda calls: double.find("POST", "/webhooks/"))
    assert "Logged: a no at the technical interview stage" in text_of(logged)
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    body = followup[0].body
    assert "November: 2 applications, 1 no (1 technical interview)" in text_of(body)
    assert body["attachments"][0]["filename"] == "insights.png"
    assert body["attachments"][0]["description"].startswith("Insights card")
    assert body["embeds"][0]["image"]["url"] == "attachment://insights.png"


async def test_hired_celebrates_privately_with_the_journey_card_and_shares_only_on_a_press(
    double, settings
):
    async with running(double, settings):
        no = [{"name": "company", "type": 3, "value": "Acme"}]
        await double.dispatch("INTERACTION_CREATE", double.command("rejected", no))
        await next_callback(double, 0)
        yes = [{"name": "company", "type": 3, "value": "Initech"}]
        await double.dispatch("INTERACTION_CREATE", double.command("hired", yes))
        deferred = await next_callback(double, 1)
        followup = await double.wait_for(lambda calls: double.find("POST", "/webhooks/"))
        body = followup[0].body
        named = next(c for c in custom_ids(body) if "hired:named:" in c)
        await double.dispatch("INTERACTION_CREATE", double.press(named))
        # The private "shared" answers the press; the post follows it, for the channel to see.
        posted = await double.wait_for(
            lambda calls: (
                len(double.find("POST", "/webhooks/")) > 1 and double.find("POST", "/webhooks/")[1:]
            )
        )
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    assert body["flags"] & EPHEMERAL
    assert "Congratulations, Ada: a yes from Initech." in text_of(body)
    assert body["attachments"][0]["filename"] == "journey.png"
    assert body["attachments"][0]["description"].startswith("Journey card: Applications: 0;")
    assert "No's along the way: 1" in body["attachments"][0]["description"]
    # Nothing reached the channel before the press; then only the yes, no company.
    shout = text_of(posted[0].body)
    assert not (posted[0].body.get("flags") or 0) & EPHEMERAL
    assert "just got a yes" in shout and "Initech" not in shout and "Acme" not in shout
