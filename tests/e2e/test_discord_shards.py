"""Discord sharding end to end: the real AutoShardedClient against the Discord double."""

from __future__ import annotations

import asyncio

import discord

from adapters.discord.client import ShardedReboundDiscord, discord_client, point_at
from bot.app import build
from bot.config import load_settings
from bot.ports import FixedClock
from tests.conftest import START
from tests.e2e.discord_double import GUILD_ID, TOKEN
from tests.e2e.test_discord import callbacks, double, next_callback, text_of

__all__ = ["double"]


def sharded(double, tmp_path, **extra: str):
    return load_settings(
        {
            "REBOUND_DB_PATH": str(tmp_path / "rebound.db"),
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_GUILD_ID": str(GUILD_ID),
            "DISCORD_API_URL": double.api_url,
            "DISCORD_GATEWAY_URL": double.gateway_url,
            **extra,
        },
        env_file=None,
    )


async def test_two_shards_identify_and_each_answers_what_reaches_it(double, tmp_path):
    settings = sharded(double, tmp_path, DISCORD_SHARD_COUNT="4", DISCORD_SHARD_IDS="1,0")
    async with build(settings, clock=FixedClock(START), schedule=False) as app:
        point_at(settings)
        client = discord_client(app, settings)
        assert isinstance(client, ShardedReboundDiscord)
        assert isinstance(client, discord.AutoShardedClient)
        task = asyncio.create_task(client.start(TOKEN))
        try:
            await double.wait_for(lambda calls: len(double.find("GATEWAY", "IDENTIFY")) == 2)
            identified = sorted(tuple(c.body["shard"]) for c in double.find("GATEWAY", "IDENTIFY"))
            assert identified == [(0, 4), (1, 4)]  # only this process's shards, of four
            await double.wait_for(lambda calls: len(double.shard_sockets) == 2 and calls)
            await asyncio.wait_for(client.synced.wait(), 10)
            await double.dispatch(
                "INTERACTION_CREATE",
                double.command(
                    "rejected",
                    [
                        {"name": "company", "type": 3, "value": "Initech"},
                        {"name": "stage", "type": 3, "value": "final"},
                    ],
                ),
                shard=1,
            )
            body = await next_callback(double, 0)
            assert "Logged: a no from Initech at the final round stage" in text_of(body)
            assert len(callbacks(double)) == 1  # answered once, by the shard it reached
        finally:
            await client.close()
            await task
    # Commands were synced once for the process, not once per shard.
    assert len(double.find("PUT", "/commands")) == 1


async def test_without_shard_settings_the_plain_client_runs(double, tmp_path):
    settings = sharded(double, tmp_path)
    assert settings.discord_shard_count is None
    async with build(settings, clock=FixedClock(START), schedule=False) as app:
        client = discord_client(app, settings)
        assert not isinstance(client, discord.AutoShardedClient)
        await client.close()
