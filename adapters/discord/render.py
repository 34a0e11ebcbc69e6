"""A Reply as discord.py message arguments: content or embed, buttons, files, no pings."""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from bot.models import Button, Reply, Style

PREFIX = "rb:"
COLOUR = 0x5EEAA0
_STYLES = {
    Style.PRIMARY: discord.ButtonStyle.primary,
    Style.SECONDARY: discord.ButtonStyle.secondary,
    Style.DANGER: discord.ButtonStyle.danger,
}


# Every character Discord's markdown gives a meaning to. discord.utils.escape_markdown escapes a
# link or a quote only when one string holds all of it, so "[Acme" and "](https://x)" typed into
# two fields would still meet as a masked link; escaping each character alone cannot be combined.
_MARKUP = re.compile(r"[\\*_~`|\[\]()<>#-]")
# Inside a web address only what could reach past it is escaped, so the address still works.
_URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
_IN_URL = re.compile(r"[\\*`|\[\]>]")


def escape(text: str) -> str:
    """Text a person typed, made inert: every markdown character escaped, no mentions."""
    out, start = [], 0
    for url in _URL.finditer(text):
        out.append(_MARKUP.sub(r"\\\g<0>", text[start : url.start()]))
        out.append(_IN_URL.sub(r"\\\g<0>", url.group()))
        start = url.end()
    out.append(_MARKUP.sub(r"\\\g<0>", text[start:]))
    return discord.utils.escape_mentions("".join(out))


class ReboundButton(discord.ui.DynamicItem[discord.ui.Button], template=r"rb:(?P<action>.+)"):
    """A button whose custom_id carries its action, so a press works after any restart."""

    def __init__(self, action: str, label: str = "", style: Style = Style.SECONDARY) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80] or "…", style=_STYLES[style], custom_id=PREFIX + action
            )
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any
    ) -> ReboundButton:
        """Rebuild the button from a press on any message, old or new."""
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the press to the client, which asks the core."""
        await interaction.client.on_press(interaction, self.action)  # type: ignore[attr-defined]


def view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """A persistent view of the reply's buttons (Discord allows 25)."""
    if not buttons:
        return None
    holder = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        holder.add_item(ReboundButton(button.action_id, button.label, button.style))
    return holder


def mention(user_id: str, name: str) -> str:
    """A mention of a Discord user (allowed_mentions none: it names them, never pings)."""
    return f"<@{user_id}>" if user_id.isdigit() else escape(name)


def message(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for send_message, followup.send or channel.send."""
    text = reply.text.render(escape, mention)
    files = [
        discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description[:1024])
        for a in reply.attachments
    ]
    kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none(), "files": files}
    buttons = view(reply.buttons)
    if buttons is not None:
        kwargs["view"] = buttons
    if reply.title is not None or reply.fields:
        embed = discord.Embed(description=text[:4096], colour=COLOUR)
        if reply.title is not None:
            embed.title = reply.title.render(escape)[:256]
        for name, value in reply.fields[:25]:
            embed.add_field(
                name=name.render(escape)[:256], value=value.render(escape, mention)[:1024]
            )
        image = next((a for a in reply.attachments if a.content_type == "image/png"), None)
        if image is not None:
            embed.set_image(url=f"attachment://{image.filename}")
        kwargs["embed"] = embed
    else:
        kwargs["content"] = text[:2000]
    return kwargs
