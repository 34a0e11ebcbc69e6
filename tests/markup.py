"""What a platform would read as markup in rendered text: mentions and links, nothing else."""

from __future__ import annotations

import re

# Discord shows any punctuation after a backslash as it is.
_DISCORD_ESCAPED = re.compile(r"\\[^0-9A-Za-z\s]")
_DISCORD = re.compile(r"@(?:everyone|here)|<[@#!&:]|<t:|\[[^\]]*\]\(")
# In Slack mrkdwn, every <...> is a mention, a channel, a link or a date.
_SLACK = re.compile(r"<[^<>]*>|<[!@#]")


def discord_markup(text: str) -> list[str]:
    """Mentions and masked links Discord would find in text, escaped characters aside."""
    return _DISCORD.findall(_DISCORD_ESCAPED.sub("\x00", text))


def slack_markup(text: str) -> list[str]:
    """Mentions, channels, links and dates Slack would find in mrkdwn text."""
    return _SLACK.findall(text)
