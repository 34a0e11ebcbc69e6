"""Plain values that cross the boundary between the core and the adapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class PersonRef:
    """Who: a person on one platform."""

    platform: str
    user_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class CommunityRef:
    """Where: a Discord guild, a Slack workspace, or the terminal's one community."""

    platform: str
    community_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """The person, and the community and channel a command came from (None in a DM)."""

    person: PersonRef
    community: CommunityRef | None = None
    channel_id: str | None = None
    # Set by the adapter from the platform's own permissions (Manage Server, workspace admin).
    is_admin: bool = False

    @property
    def in_dm(self) -> bool:
        """True when the command or text came from a direct message."""
        return self.community is None


@dataclass(frozen=True, slots=True)
class Text:
    """Wording from prompts/ mixed with text a person typed; adapters escape only the latter.

    Each part is (text, typed_by_person). Keeping the two apart lets every adapter neutralise
    mentions and markup in echoed text its own way, without touching our own formatting. A
    mention's part is (display name, the person's platform user id): an adapter that can
    mention renders it as one, any other shows the name as typed text.
    """

    parts: tuple[tuple[str, bool | str], ...] = ()

    @classmethod
    def of(cls, text: str) -> Text:
        """Wording of our own."""
        return cls(((text, False),)) if text else cls()

    @classmethod
    def typed(cls, text: str) -> Text:
        """Text a person typed."""
        return cls(((text, True),)) if text else cls()

    @classmethod
    def mention(cls, user_id: str, display_name: str) -> Text:
        """A person named so their platform can mention them (a display name elsewhere)."""
        return cls(((display_name, user_id),))

    def __add__(self, other: Text | str) -> Text:
        """Concatenate; a plain str counts as our own wording."""
        other_text = Text.of(other) if isinstance(other, str) else other
        return Text(self.parts + other_text.parts)

    def __radd__(self, other: str) -> Text:
        """A plain str before a Text counts as our own wording."""
        return Text.of(other) + self

    def __bool__(self) -> bool:
        """True when there is any text."""
        return any(text for text, _ in self.parts)

    def render(
        self, escape: Callable[[str], str], mention: Callable[[str, str], str] | None = None
    ) -> str:
        """The whole text, the person's parts escaped; mention(user_id, name) renders mentions."""
        out = []
        for text, kind in self.parts:
            if isinstance(kind, str):
                out.append(mention(kind, text) if mention else escape(text))
            else:
                out.append(escape(text) if kind else text)
        return "".join(out)

    def plain(self) -> str:
        """The whole text as it reads, nothing escaped."""
        return "".join(text for text, _ in self.parts)


class Where(StrEnum):
    """Where a reply goes."""

    PRIVATE = "private"  # only the person sees it, where they typed the command
    CHANNEL = "channel"  # everyone in the channel the command came from
    DM = "dm"  # the person's direct messages with Rebound


class Style(StrEnum):
    """How a button looks."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Button:
    """A button; action_id carries what it acts on so it works after a restart."""

    label: str
    action_id: str
    style: Style = Style.SECONDARY


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply: an export, or an image with its alt text as description."""

    filename: str
    data: bytes
    content_type: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from Rebound, rendered by each adapter in its own way."""

    text: Text
    title: Text | None = None
    fields: tuple[tuple[Text, Text], ...] = ()
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    where: Where = Where.PRIVATE

    @property
    def private(self) -> bool:
        """True unless the reply is posted for the channel to see."""
        return self.where is not Where.CHANNEL
