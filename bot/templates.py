"""Rebound's template language: parse once, check the values used, fill safely.

Template syntax: `{name}` is a value the code always supplies; `{?...}` is an optional part,
printed only when every value inside it is known (so a missing company never prints
`{company}` or a dangling "at"); `{n|week|weeks}` picks a word by whether n is 1; `{{` is a
literal brace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.models import Text


class ContentError(Exception):
    """The wording in prompts/ is broken; the message names the file and key."""


_NAME = re.compile(r"[a-z_]+")
_PLURAL = re.compile(r"([a-z_]+)\|([^|{}]*)\|([^|{}]*)")


@dataclass(frozen=True, slots=True)
class _Var:
    name: str


@dataclass(frozen=True, slots=True)
class _Plural:
    name: str
    one: str
    other: str


@dataclass(frozen=True, slots=True)
class _Opt:
    nodes: tuple[_Node, ...]


_Node = str | _Var | _Plural | _Opt


def _parse(source: str, where: str) -> tuple[_Node, ...]:
    """Parse a template into literal text, values and optional parts."""
    pos = 0

    def parse_until(closing: bool) -> tuple[_Node, ...]:
        nonlocal pos
        nodes: list[_Node] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                nodes.append("".join(literal))
                literal.clear()

        while pos < len(source):
            char = source[pos]
            if source.startswith("{{", pos):
                literal.append("{")
                pos += 2
            elif source.startswith("{?", pos):
                flush()
                pos += 2
                nodes.append(_Opt(parse_until(closing=True)))
            elif char == "{":
                end = source.find("}", pos)
                name = source[pos + 1 : end] if end != -1 else ""
                plural = _PLURAL.fullmatch(name)
                if not _NAME.fullmatch(name) and not plural:
                    raise ContentError(f"{where}: bad placeholder near {source[pos : pos + 20]!r}")
                flush()
                nodes.append(_Plural(*plural.groups()) if plural else _Var(name))
                pos = end + 1
            elif char == "}" and closing:
                pos += 1
                flush()
                return tuple(nodes)
            else:
                literal.append(char)
                pos += 1
        if closing:
            raise ContentError(f"{where}: an optional part {{?...}} is not closed")
        flush()
        return tuple(nodes)

    return parse_until(closing=False)


def _names(nodes: Sequence[_Node], *, top_only: bool) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, _Var | _Plural):
            found.add(node.name)
        elif isinstance(node, _Opt) and not top_only:
            found |= _names(node.nodes, top_only=False)
    return found


Value = str | Text | int | None


def _as_text(value: Value) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, int):
        return Text.of(str(value))
    # A bare str is text a person typed: adapters will escape it. Our own values come as Text.
    return Text.typed(value or "")


def _known(value: Value) -> bool:
    if value is None:
        return False
    if isinstance(value, Text):
        return bool(value)
    if isinstance(value, str):
        return bool(value.strip())
    return True


@dataclass(frozen=True, slots=True)
class Template:
    """One piece of wording, ready to be filled."""

    key: str
    source: str
    nodes: tuple[_Node, ...] = field(repr=False)
    # Wording with nothing to fill (button labels, hints) is rendered once.
    static: Text | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if all(isinstance(node, str) for node in self.nodes):
            object.__setattr__(self, "static", Text(tuple((n, False) for n in self.nodes if n)))

    @property
    def required(self) -> set[str]:
        """Values that must be supplied."""
        return _names(self.nodes, top_only=True)

    @property
    def names(self) -> set[str]:
        """Every value the template can use."""
        return _names(self.nodes, top_only=False)

    def render(self, values: Mapping[str, Value] | None = None, /, **more: Value) -> Text:
        """Fill the template; str values count as typed by a person and are escaped later."""
        if self.static is not None:
            return self.static
        merged = dict(values or {}, **more)
        parts: list[tuple[str, bool]] = []

        # Parts are gathered in one list and joined once: replies render several templates
        # per command, and building a Text per piece was most of a command's own time.
        def walk(nodes: Sequence[_Node]) -> None:
            for node in nodes:
                if isinstance(node, str):
                    parts.append((node, False))
                elif isinstance(node, _Var):
                    if node.name not in merged:
                        raise KeyError(f"{self.key}: no value for {{{node.name}}}")
                    parts.extend(_as_text(merged[node.name]).parts)
                elif isinstance(node, _Plural):
                    if node.name not in merged:
                        raise KeyError(f"{self.key}: no value for {{{node.name}}}")
                    count = merged[node.name]
                    parts.append((node.one if str(count).strip() == "1" else node.other, False))
                elif all(_known(merged.get(n)) for n in _names(node.nodes, top_only=False)):
                    walk(node.nodes)

        walk(self.nodes)
        return Text(tuple(part for part in parts if part[0]))


def make_template(key: str, source: str, allowed: frozenset[str], where: str) -> Template:
    """Parse and check one template: non-empty, known values only."""
    if not isinstance(source, str) or not source.strip():
        raise ContentError(f"{where}: the text is empty")
    template = Template(key=key, source=source, nodes=_parse(source, where))
    unknown = template.names - allowed
    if unknown:
        raise ContentError(
            f"{where}: unknown placeholder {', '.join(sorted('{' + n + '}' for n in unknown))}"
            f" (this text may use {', '.join(sorted(allowed)) or 'none'})"
        )
    return template
