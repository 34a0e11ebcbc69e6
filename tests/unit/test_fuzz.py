"""Thousands of generated inputs through every parser: nothing escapes, nothing pings."""

from __future__ import annotations

import contextlib
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.console.parse import LineError, parse_line
from adapters.discord.render import escape as discord_escape
from adapters.slack.blocks import escape as slack_escape
from bot import commands, when
from bot.freetext import parse_rejection
from bot.models import Text
from bot.vocab import UserError

NASTY = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<!channel>",
        "<!here>",
        "<@U123ABC>",
        "<@123456789012345678>",
        "<#C123>",
        "**bold**",
        "`code`",
        "~~x~~",
        "> quote",
        "||spoiler||",
        ":",
        '"',
        "\\",
        "\n",
        "key:value",
        'note:"',
        "/rejected",
        "\u200b",
        "\x1b[31m",
        "🎉",
        "𝕏",
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=20)), max_size=12).map("".join)
MANY = settings(max_examples=1000, deadline=None)

DISCORD_PING = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
SLACK_PING = re.compile(r"<[!@#]")


@MANY
@given(TEXT)
def test_command_lines_raise_only_kind_errors(line):
    with contextlib.suppress(UserError):
        commands.parse_invocation(line)


@MANY
@given(TEXT)
def test_terminal_lines_raise_only_kind_errors(line):
    with contextlib.suppress(LineError):
        parse_line(line)


@MANY
@given(TEXT)
def test_dates_timezones_and_quiet_hours_raise_only_when_errors(text):
    for parse in (
        lambda t: when.parse_day(t, date(2026, 11, 26)),
        when.parse_timezone,
        when.parse_quiet,
        lambda t: when.split_step_and_day(t, date(2026, 11, 26)),
    ):
        with contextlib.suppress(when.WhenError):
            parse(text)


@MANY
@given(TEXT)
def test_free_text_rejections_always_parse(text):
    parsed = parse_rejection(text)
    assert parsed.feeling is None or 1 <= parsed.feeling <= 5


@MANY
@given(TEXT)
def test_typed_text_never_pings_on_either_platform(text):
    message = Text.of("Shared: ") + Text.typed(text) + Text.of(" — thanks")
    assert not DISCORD_PING.search(message.render(discord_escape))
    assert not SLACK_PING.search(message.render(slack_escape))


@MANY
@given(TEXT, TEXT)
def test_safety_net_never_raises(content, a, b):
    content.safety.concerning(a, b, None)
