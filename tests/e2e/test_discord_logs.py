"""The real discord.py client at LOG_LEVEL=DEBUG: no word a person typed reaches a log."""

# The fixtures are imported from their own modules, and pytest passes them in by name.
# ruff: noqa: F401, F811

from __future__ import annotations

import logging

from tests.e2e.logcheck import debug_logs, leaked, records
from tests.e2e.test_discord import (
    ADA,
    custom_ids,
    double,
    next_callback,
    running,
    settings,
)

TYPED = ("Vantablack Widgets", "marmalade lighthouse keeper", "periwinkle harbour answer")


async def test_a_journey_at_debug_logs_none_of_the_words_typed(double, settings, debug_logs):
    async with running(double, settings):
        options = [
            {"name": "company", "type": 3, "value": TYPED[0]},
            {"name": "stage", "type": 3, "value": "final"},
            {"name": "note", "type": 3, "value": TYPED[1]},
        ]
        await double.dispatch("INTERACTION_CREATE", double.command("rejected", options))
        logged = await next_callback(double, 0)
        await double.dispatch("INTERACTION_CREATE", double.press(custom_ids(logged)[0]))
        await next_callback(double, 1)
        await double.wait_for(lambda calls: double.dm_channels.get(ADA))
        dm_channel = double.dm_channels[ADA]
        await double.dispatch(
            "MESSAGE_CREATE",
            {
                **double.message(dm_channel, {"content": TYPED[2]}),
                "author": {"id": ADA, "username": "Ada", "discriminator": "0", "avatar": None},
            },
        )
        await double.wait_for(
            lambda calls: (
                len([c for c in calls if c.path == f"/channels/{dm_channel}/messages"]) >= 2
            )
        )
    logged = records(debug_logs)
    # The log was at DEBUG, and discord.py's own records were captured.
    assert any(r.levelno == logging.DEBUG for r in logged)
    assert any(r.name.startswith("discord") for r in logged)
    assert leaked(debug_logs, TYPED) == []
