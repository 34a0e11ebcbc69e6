"""The terminal's input syntax, one line at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

_SPAN = re.compile(r"(\d+)\s*([wdhm])")
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
          "m": timedelta(minutes=1)}  # fmt: skip


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


def tokens(text: str) -> list[str]:
    r"""Split on spaces, keeping double-quoted parts together; `\"` is a literal quote."""
    out: list[str] = []
    current: list[str] = []
    quoted = False
    started = False
    index = 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and index + 1 < len(text) and text[index + 1] == '"':
            current.append('"')
            index += 2
            continue
        if char == '"':
            quoted = not quoted
            started = True
        elif char.isspace() and not quoted:
            if started:
                out.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        index += 1
    if quoted:
        raise LineError("console.unclosed_quote")
    if started:
        out.append("".join(current))
    return out


def parse_advance(value: str) -> timedelta:
    """A span such as `2d`, `3h`, `45m` or `1d 12h`."""
    text = value.strip().lower()
    if not text or _SPAN.sub("", text).strip():
        raise LineError("console.bad_advance", value=value)
    total = timedelta(0)
    for count, unit in _SPAN.findall(text):
        total += int(count) * _UNITS[unit]
    if total <= timedelta(0) or total > timedelta(days=3660):
        raise LineError("console.bad_advance", value=value)
    return total


def parse_line(raw: str) -> Line:
    """Understand one line typed at the terminal; None for a blank line."""
    line = raw.strip()
    if not line:
        return None
    if line.startswith("/") and not line.startswith("//"):
        words = tokens(line[1:])
        if not words:
            raise LineError("console.missing_command")
        name, rest = words[0], words[1:]
        sub = None
        options: dict[str, str] = {}
        for word in rest:
            key, colon, value = word.partition(":")
            if colon and key:
                options[key.lower()] = value
            elif sub is None and not options:
                sub = word
            else:
                raise LineError("error.positional", command=name, value=word)
        return CommandLine(name.lower(), sub, options)
    if line.isdigit():
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
