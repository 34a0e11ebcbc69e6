"""Block Kit built by small functions from Replies: sections, fields, buttons, modal, home."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.commands import COMMANDS
from bot.content import Content
from bot.freetext import Parsed
from bot.models import Button, Reply, Style
from bot.vocab import NAME_MAX

SECTION_LIMIT = 3000
MODAL_CALLBACK = "rejected_modal"


# mrkdwn has no escape for its formatting marks. A mark between two letters or digits is inert
# (jane_doe stays as typed); any other typed one is shown as a look-alike, so a typed "*" in
# one field cannot bold Rebound's words up to a "*" typed in the next.
_MARKS = re.compile(r"`|[*_~](?![^\W_])|(?<![^\W_])[*_~]")
_LOOKALIKE = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
# Slack parses a bare @channel, @here or #channel into a mention or channel link by itself;
# a zero-width space after an @ or # that starts a word stops it (jo@acme.com is left alone).
_MENTION = re.compile(r"(?<![^\W_])([@#])(?=[^\W_])")


def escape(text: str) -> str:
    """Text a person typed, made inert for mrkdwn: no mentions, no links, no formatting."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKS.sub(lambda mark: _LOOKALIKE[mark.group()], text)
    return _MENTION.sub("\\1\u200b", text)


_USER_ID = re.compile(r"[UW][A-Z0-9]+")


def mention(user_id: str, name: str) -> str:
    """A mention of a Slack user by id (a name that is not one is shown as typed text)."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape(name)


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit] or " ", "emoji": True}


def section(text: str) -> list[dict[str, Any]]:
    """One or more mrkdwn sections, split at paragraph breaks to stay under 3,000 characters."""
    out, chunk = [], ""
    for paragraph in text.split("\n\n"):
        candidate = f"{chunk}\n\n{paragraph}" if chunk else paragraph
        if len(candidate) > SECTION_LIMIT and chunk:
            out.append(chunk)
            candidate = paragraph
        chunk = candidate[:SECTION_LIMIT]
    if chunk:
        out.append(chunk)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in out]


def fields(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Label and value pairs as section fields (ten to a section)."""
    items = [{"type": "mrkdwn", "text": f"*{k}*\n{v}"[:2000]} for k, v in pairs]
    return [{"type": "section", "fields": items[i : i + 10]} for i in range(0, len(items), 10)]


def button(item: Button) -> dict[str, Any]:
    """A button whose action_id carries what it acts on, so old messages keep working."""
    made: dict[str, Any] = {
        "type": "button",
        "text": _plain(item.label, 75),
        "action_id": item.action_id,
        "value": item.action_id,
    }
    if item.style is Style.PRIMARY:
        made["style"] = "primary"
    elif item.style is Style.DANGER:
        made["style"] = "danger"
    return made


def actions(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    """Buttons in actions blocks (Slack allows 25 elements to a block)."""
    return [
        {"type": "actions", "elements": [button(b) for b in buttons[i : i + 25]]}
        for i in range(0, len(buttons), 25)
    ]


def render(reply: Reply) -> tuple[str, list[dict[str, Any]]]:
    """A reply as (notification text, blocks)."""
    text = reply.text.render(escape, mention)
    blocks: list[dict[str, Any]] = []
    title = reply.title.render(escape) if reply.title is not None else None
    if title:
        blocks.append({"type": "header", "text": _plain(reply.title.plain(), 150)})
    blocks += section(text)
    if reply.fields:
        blocks += fields([(k.render(escape), v.render(escape, mention)) for k, v in reply.fields])
    blocks += actions(reply.buttons)
    fallback = f"{title}\n{text}" if title else text
    return fallback[:3000], blocks


def _input(block_id: str, label: str, element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": "value"},
    }


def _select(options: list[tuple[str, str]], initial: str | None) -> dict[str, Any]:
    made: dict[str, Any] = {
        "type": "static_select",
        "options": [{"text": _plain(label, 75), "value": value} for value, label in options],
    }
    if initial is not None:
        made["initial_option"] = next(o for o in made["options"] if o["value"] == initial)
    return made


def rejected_modal(content: Content, channel_id: str | None, prefill: Parsed) -> dict[str, Any]:
    """The /rejected form, one field per option, filled with what was understood of the line."""
    label = content.label
    fields = []
    for option in COMMANDS["rejected"].form:
        known = getattr(prefill, option.name)  # Parsed has a field for each option
        element: dict[str, Any]
        if option.choices:
            element = _select(option.choice_names(label), known)
        elif option.kind == "int":
            numbers = [(str(n), str(n)) for n in range(option.low or 0, (option.high or 0) + 1)]
            element = _select(numbers, str(known) if known else None)
        else:
            element = _text_input(known, option.long, option.high or NAME_MAX)
        fields.append(_input(option.name, label(option.form), element))
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "private_metadata": json.dumps({"channel": channel_id}),
        "title": _plain(label("modal.title"), 24),
        "submit": _plain(label("slack.modal_submit"), 24),
        "blocks": fields,
    }


def _text_input(initial: str | None, multiline: bool, limit: int) -> dict[str, Any]:
    made: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": limit}
    if initial:
        made["initial_value"] = initial[:limit]
    return made


def modal_values(view: dict[str, Any]) -> dict[str, str | None]:
    """What the person entered in the /rejected form."""
    values: dict[str, str | None] = {}
    for block_id, entry in view.get("state", {}).get("values", {}).items():
        element = entry.get("value", {})
        chosen = element.get("selected_option")
        values[block_id] = (
            (chosen or {}).get("value") if "selected_option" in element else (element.get("value"))
        )
    return values


def home(replies: list[Reply], empty: str) -> dict[str, Any]:
    """The App Home tab from the overview's replies."""
    blocks: list[dict[str, Any]] = []
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += render(reply)[1]
    return {"type": "home", "blocks": blocks[:100] or section(empty)}
