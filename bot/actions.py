"""Button action ids as typed values: one format and one parse for every id Rebound sends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.vocab import DIGITS_MAX

# What adapters route to Rebound as a button press (Slack's Bolt listens by pattern). Every id
# Rebound sends matches; \d also lets a mangled id with other digits through to `parse`, which
# refuses it, so the person hears that the button is unknown instead of nothing at all.
PATTERN = re.compile(r"^[a-z]+:[a-z]+(:\d+)*$")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True, init=False)
class Action:
    """What a button does: a verb, how (sub), and the numbers it acts on (`reflect:skip:7:2`).

    The id carries everything the press needs, so buttons keep working after a restart, and
    its text form never changes: ids already sent in messages stay valid.
    """

    verb: str
    sub: str
    ids: tuple[int, ...]

    def __init__(self, verb: str, sub: str, *ids: int) -> None:
        # A button whose id `parse` would refuse is a bug: say so where it is made.
        if not (_WORD.fullmatch(verb) and _WORD.fullmatch(sub)):
            raise ValueError(f"action words must be a-z: {verb!r}, {sub!r}")
        if any(n < 0 or len(str(n)) > DIGITS_MAX for n in ids):
            raise ValueError(f"action numbers must be 0 to {DIGITS_MAX} digits: {ids!r}")
        object.__setattr__(self, "verb", verb)
        object.__setattr__(self, "sub", sub)
        object.__setattr__(self, "ids", ids)

    def format(self) -> str:
        """The id as sent with a button: `verb:sub[:n...]`."""
        return ":".join((self.verb, self.sub, *map(str, self.ids)))

    def arg(self, index: int) -> int | None:
        """The index-th number of the id, or None when it has fewer."""
        return self.ids[index] if index < len(self.ids) else None

    @classmethod
    def parse(cls, text: str) -> Action | None:
        """The action an id names, or None for anything Rebound never sent."""
        verb, _, rest = text.partition(":")
        sub, _, _ = rest.partition(":")
        if not (_WORD.fullmatch(verb) and _WORD.fullmatch(sub)):
            return None
        parts = text.split(":")[2:]
        # isascii first: "٣" is a digit to Python but never in an id Rebound sent; past
        # DIGITS_MAX no id is meant, and int() on thousands of digits is refused or slow.
        if not all(p.isascii() and p.isdigit() and len(p) <= DIGITS_MAX for p in parts):
            return None
        return cls(verb, sub, *map(int, parts))
