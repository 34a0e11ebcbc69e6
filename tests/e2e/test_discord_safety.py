"""The real discord.py client against the Discord double: typed text never forms markup."""

from __future__ import annotations

from tests.e2e import test_discord as base
from tests.e2e.test_discord import next_callback, running, text_of
from tests.markup import discord_markup, discord_plain

# The same double and settings as test_discord.py.
double = base.double
settings = base.settings


async def test_two_typed_fields_never_compose_a_masked_link(double, settings):
    options = [
        {"name": "contact", "type": 3, "value": "Jo"},
        {"name": "role", "type": 3, "value": "[Acme"},
        {"name": "company", "type": 3, "value": "](https://evil.example)"},
    ]
    add = [{"name": "add", "type": 1, "options": options}]
    async with running(double, settings):
        await double.dispatch("INTERACTION_CREATE", double.command("followup", add))
        body = await next_callback(double, 0)
    shown = text_of(body)
    # The draft (either wording) reads both fields as typed, and they form no link together.
    assert "[Acme" in discord_plain(shown) and "](https://evil.example)" in discord_plain(shown)
    assert body["data"]["allowed_mentions"] == {"parse": []}
    assert discord_markup(shown) == []
