"""Whatever a person types, no reply on Discord or Slack mentions anyone or hides a link.

Generated text goes into every field that is echoed back, through the core's public use cases
on a real SQLite file, and each reply is rendered by both platforms' real renderers.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.discord import render
from adapters.slack import blocks
from bot import commands
from bot.content import Content, load_content
from bot.core import Rebound
from bot.models import Context, PersonRef, Reply
from bot.ports import FixedClock
from bot.store import open_store
from bot.vocab import UserError
from tests.conftest import COMMUNITY, START, action
from tests.markup import discord_markup, slack_markup

PIECES = st.sampled_from(
    [
        "[Acme",
        "](https://evil.example)",
        "[x](https://evil.example)",
        "<https://evil.example|Acme>",
        "<!channel>",
        "<!here>",
        "<@U123ABC>",
        "<@123456789012345678>",
        "<@&123456789012345678>",
        "<#C123>",
        "<t:1:R>",
        "@everyone",
        "@here",
        "@channel",
        "@",
        "<",
        ">",
        "&",
        "&lt;",
        "[",
        "]",
        "(",
        ")",
        "*",
        "_",
        "~",
        "`",
        "|",
        "#",
        "-",
        "\\",
        "\n",
        " ",
        ":",
        '"',
        "\u200b",
    ]
)
TYPED = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=6).map("".join)


@pytest.fixture(scope="module")
def wording() -> Content:
    return load_content()


async def every_reply(path: Path, wording: Content, typed: list[str]) -> list[Reply]:
    """Replies of the use cases that echo typed text, with typed text in each of its fields."""
    name, a, b, c = typed
    async with open_store(path) as store:
        core = Rebound(
            store, wording, FixedClock(START), default_timezone="UTC", rng=random.Random(7)
        )
        me = PersonRef("test", "typist", name or "Sam")  # a display name is typed too
        here = Context(me, COMMUNITY, "channel-1", is_admin=True)
        dm = Context(me)
        out = await core.rejected(here, company=a, role=b, stage="final", feeling=3, note=c)
        out += await core.rejected(here, company=a or "Acme", role=b, stage="final")
        asked = await core.press(here, action(out[-1:], "share:ask"))
        out += asked + await core.press(here, action(asked, "share:named"))
        out += await core.reflect(here)
        for answer in (a, b, c, f"{a} by friday"):
            out += await core.dm_text(dm, answer or "-")
        out += await core.journal(here)
        out += await core.followup_add(
            here, contact=a, company=b, role=c, channel=None, when_text=None, kind=None
        )
        out += await core.followup_list(here)
        out += await core.checkin(here, mood=3, note=a)
        out += await core.admin(here, support=b)
        out += await core.support(here)
        out += await core.home(here)
        line = f"{a} note:{b} {c}"
        try:
            command, sub, options = commands.parse_invocation(line)
        except UserError as exc:
            out.append(Reply(text=core.content.msg(exc.key, **exc.values)))
        else:
            out += await commands.run(core, here, command, sub, options)
    return out


def discord_texts(reply: Reply) -> list[str]:
    sent = render.message(reply)
    assert sent["allowed_mentions"].to_dict() == {"parse": []}
    embed = sent.get("embed")
    if embed is None:
        return [sent["content"]]
    fields = [text for field in embed.fields for text in (field.name, field.value)]
    return [embed.title or "", embed.description or "", *fields]


def slack_texts(reply: Reply) -> list[str]:
    fallback, made = blocks.render(reply)
    texts = [fallback]
    for block in made:
        if block.get("text", {}).get("type") == "mrkdwn":
            texts.append(block["text"]["text"])
        texts += [item["text"] for item in block.get("fields", [])]
    return texts


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=st.lists(TYPED, min_size=4, max_size=4))
@example(typed=["Sam", "[Acme", "](https://evil.example)", "<!channel> @everyone"])
@example(typed=["<@U1>", "<!channel> a:b", "[x](https://evil.example)", "`*_~|"])
def test_no_reply_mentions_anyone_or_hides_a_link(tmp_path_factory, wording, typed):
    path = tmp_path_factory.mktemp("markup") / "rebound.db"
    replies = asyncio.run(every_reply(path, wording, typed))
    assert len(replies) > 10
    for reply in replies:
        for text in discord_texts(reply):
            assert discord_markup(text) == [], text
        for text in slack_texts(reply):
            assert slack_markup(text) == [], text
