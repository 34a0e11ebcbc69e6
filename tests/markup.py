"""What a platform would read as markup in rendered text, for tests that say there is none."""

from __future__ import annotations

import re

# Discord shows any punctuation after a backslash as it is.
_DISCORD_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")
_DISCORD_MARKUP = re.compile(r"@(?:everyone|here)|<[@#!&:]|<t:|\[[^\]]*\]\(")
_DISCORD_FORMATTING = re.compile(r"[*_~`|]|^\s*[#>-]", re.MULTILINE)
# In Slack mrkdwn every <...> is a mention, a channel, a link or a date, and an @ that starts
# a word may be parsed into a mention by Slack itself.
_SLACK_MARKUP = re.compile(r"<[^<>]*>|<[!@#]|(?<![^\W_])@[^\W_]")
_SLACK_EMPHASIS = re.compile(r"(?<![^\W_])([*_~])(?=\S)[^\n]*?(?<=\S)\1(?![^\W_])|`[^`]*`")


def _discord_unescaped(text: str) -> str:
    return _DISCORD_ESCAPED.sub("\x00", text)


def discord_plain(text: str) -> str:
    """What Discord shows: each backslash-escaped character as itself."""
    return _DISCORD_ESCAPED.sub(r"\1", text)


def discord_markup(text: str) -> list[str]:
    """Mentions and masked links Discord would find in text, escaped characters aside."""
    return _DISCORD_MARKUP.findall(_discord_unescaped(text))


def discord_formatting(text: str) -> list[str]:
    """Characters Discord would read as formatting: emphasis, code, spoilers, headings, quotes."""
    return _DISCORD_FORMATTING.findall(_discord_unescaped(text))


def slack_markup(text: str) -> list[str]:
    """Mentions, channels, links and dates Slack would find in mrkdwn text."""
    return _SLACK_MARKUP.findall(text)


def slack_emphasis(text: str) -> list[str]:
    """Spans Slack would show bold, italic, struck through or as code."""
    return [m.group() for m in _SLACK_EMPHASIS.finditer(text)]
