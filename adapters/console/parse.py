"""The terminal's input syntax, one line at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from bot import commands
from bot.models import Text
from bot.vocab import UserError

_SPAN = re.compile(r"(\d+)\s*([wdhm])")
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
          "m": timedelta(minutes=1)}  # fmt: skip
MAX_ADVANCE_DAYS = 3660
MAX_ADVANCE = timedelta(days=MAX_ADVANCE_DAYS)
# No span past MAX_ADVANCE needs more digits than this, and no message has this many buttons.
# Counting digits first keeps int() away from numbers it refuses (4,300 digits) or that
# overflow a timedelta.
MAX_DIGITS = 6


class LineError(ValueError):
    """A line that cannot be understood; the message key says why, value shows what."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class CommandLine:
    """`/name [sub] key:value key:"quoted value"`."""

    name: str
    sub: str | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Press:
    """A bare number: press that button of the last message."""

    number: int


@dataclass(frozen=True, slots=True)
class SwitchPerson:
    """`:as NAME`."""

    name: str


@dataclass(frozen=True, slots=True)
class Advance:
    """`:advance 2d` / `3h` / `45m` (parts may be combined: `1d 2h`)."""

    by: timedelta


@dataclass(frozen=True, slots=True)
class ListReminders:
    """`:reminders`."""


@dataclass(frozen=True, slots=True)
class Quit:
    """`:quit`."""


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """Any other line: a reply to Rebound in DMs."""

    text: str


Line = CommandLine | Press | SwitchPerson | Advance | ListReminders | Quit | DirectMessage | None


def parse_advance(value: str) -> timedelta:
    """A span such as `2d`, `3h`, `45m` or `1d 12h`."""
    text = value.strip().lower()
    if not text or _SPAN.sub("", text).strip():
        raise LineError("console.bad_advance", value=value)
    total = timedelta(0)
    for count, unit in _SPAN.findall(text):
        if len(count.lstrip("0")) > MAX_DIGITS:
            raise _too_far()
        total += int(count) * _UNITS[unit]
        if total > MAX_ADVANCE:
            raise _too_far()
    if total <= timedelta(0):
        raise LineError("console.bad_advance", value=value)
    return total


def _too_far() -> LineError:
    return LineError("console.advance_too_far", days=f"{MAX_ADVANCE_DAYS:,}")


def parse_line(raw: str) -> Line:
    """Understand one line typed at the terminal; None for a blank line."""
    line = raw.strip()
    if not line:
        return None
    if line.startswith("/") and not line.startswith("//"):
        try:
            name, sub, options = commands.parse_invocation(line[1:])
        except UserError as exc:
            # Our own values (command names) come as Text: show their words, never the object.
            values = {
                k: v.plain() if isinstance(v, Text) else str(v) for k, v in exc.values.items()
            }
            raise LineError(exc.key, **values) from None
        return CommandLine(name, sub, options)
    # isascii first: "²" is a digit to Python but not a number anyone means to press.
    if line.isascii() and line.isdigit():
        if len(line.lstrip("0")) > MAX_DIGITS:
            raise LineError("console.number_too_long")
        return Press(int(line))
    if line.startswith(":"):
        verb, _, rest = line[1:].partition(" ")
        verb = verb.lower()
        if verb in ("quit", "q", "exit"):
            return Quit()
        if verb == "as":
            name = rest.strip()
            if not name or len(name) > 40:
                raise LineError("console.bad_as")
            return SwitchPerson(name)
        if verb == "advance":
            return Advance(parse_advance(rest))
        if verb == "reminders":
            return ListReminders()
        raise LineError("console.unknown_colon", value=line.split()[0])
    return DirectMessage(line)
