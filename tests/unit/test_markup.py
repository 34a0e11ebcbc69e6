"""Typed text rendered for each platform shows as typed and never becomes markup."""

from __future__ import annotations

from adapters.discord import render
from adapters.slack import blocks
from bot.models import Reply, Text
from tests.markup import (
    discord_formatting,
    discord_markup,
    discord_plain,
    slack_emphasis,
    slack_markup,
)


def slack_text(reply: Reply) -> str:
    return blocks.render(reply)[1][0]["text"]["text"]


def test_typed_marks_on_slack_never_style_rebound_words():
    reply = Reply(
        text=Text.of("A no from ")
        + Text.typed("*Acme")
        + Text.of(" at the final round, for ")
        + Text.typed("`data_analyst*")
    )
    shown = slack_text(reply)
    assert slack_emphasis(shown) == []
    assert "Acme" in shown and "data_analyst" in shown  # a mark inside a word stays as typed


def test_typed_mentions_on_slack_cannot_be_parsed_but_addresses_survive():
    reply = Reply(text=Text.of("Note: ") + Text.typed("@channel @here ping <!here> jo@acme.com"))
    shown = slack_text(reply)
    assert slack_markup(shown) == []
    assert "jo@acme.com" in shown  # an email address is left as it was typed


def test_typed_markup_on_discord_is_shown_as_typed_not_formatted():
    typed = (
        "# big\n> quote **bold** `code` ||spoiler|| __u__ ~~x~~ -# small [x](https://evil.example)"
    )
    shown = render.message(Reply(text=Text.of("Note: ") + Text.typed(typed)))["content"]
    assert discord_markup(shown) == [] and discord_formatting(shown) == []
    assert discord_plain(shown) == "Note: " + typed


def test_web_addresses_typed_on_discord_still_work():
    typed = "portfolio: https://example.com/my_work~1 (updated)"
    shown = render.message(Reply(text=Text.typed(typed)))["content"]
    assert "https://example.com/my_work~1 " in shown
    assert discord_plain(shown) == typed
