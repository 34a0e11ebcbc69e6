"""The command set as data: names, subcommands and options, shared by every adapter.

Adapters that receive loose text (the terminal, Slack) hand the words over as strings and this
module checks them; typed adapters (Discord) can build their option lists from the same specs.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.content import STAGES
from bot.core import CHANNELS, DIGITS_MAX, FOLLOWUP_TYPES, Rebound, UserError
from bot.models import Context, Reply, Text


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a command: `name:value`."""

    name: str
    kind: str = "text"  # text | int
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command with its options, or with subcommands that each have options."""

    name: str
    options: tuple[Option, ...] = ()
    subcommands: dict[str, tuple[Option, ...]] = field(default_factory=dict)
    default_sub: str | None = None


_ID = (Option("id", "int"),)

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "rejected",
            (
                Option("company"),
                Option("role"),
                Option("stage", choices=STAGES),
                Option("feeling", "int"),
                Option("note"),
            ),
        ),
        Command("reflect"),
        Command("checkin", (Option("mood", "int"), Option("note"))),
        Command(
            "followup",
            subcommands={
                "add": (
                    Option("contact"),
                    Option("company"),
                    Option("role"),
                    Option("channel", choices=CHANNELS),
                    Option("when"),
                    Option("type", choices=FOLLOWUP_TYPES),
                ),
                "list": (),
                "sent": _ID,
                "snooze": _ID,
                "skip": _ID,
            },
            default_sub="list",
        ),
        Command("streak"),
        Command(
            "leaderboard",
            subcommands={
                "show": (Option("view", choices=("week", "month", "all")),),
                "join": (),
                "leave": (),
            },
            default_sub="show",
        ),
        Command(
            "settings",
            (
                Option("timezone"),
                Option("quiet"),
                Option("reminders", choices=("on", "off")),
                Option("leaderboard", choices=("on", "off")),
                Option("checkins"),
                Option("nudges", choices=("on", "off")),
                Option("weekends", choices=("on", "off")),
                Option("shoutouts", choices=("on", "off")),
            ),
        ),
        Command("journal"),
        Command("export"),
        Command("forget"),
        Command("support"),
        Command(
            "admin",
            (
                Option("channel"),
                Option("day"),
                Option("hour", "int"),
                Option("timezone"),
                Option("period", choices=("week", "day")),
                Option("leaderboard", choices=("on", "off")),
                Option("sharing", choices=("on", "off")),
                Option("support"),
            ),
        ),
        Command("help"),
    )
}


# Other names people (and Discord, where the command is /rebound-admin) use for a command.
ALIASES = {"rebound-admin": "admin", "rejection": "rejected", "reject": "rejected"}


def resolve(name: str) -> Command:
    """The command called name; an unknown name suggests the closest one."""
    key = name.strip().lstrip("/").lower()
    key = ALIASES.get(key, key)
    if key in COMMANDS:
        return COMMANDS[key]
    close = difflib.get_close_matches(key, list(COMMANDS), n=1, cutoff=0.5)
    if close:
        raise UserError("error.unknown_command", command=name, suggestion=Text.of("/" + close[0]))
    raise UserError("error.unknown_command_plain", command=name)


def check_options(
    command: Command, sub: str | None, raw: Mapping[str, object]
) -> tuple[str | None, dict[str, object]]:
    """Check a subcommand and option names against the spec; return (sub, options)."""
    options = command.options
    if command.subcommands:
        sub = (sub or command.default_sub or "").lower() or None
        if sub is None:
            raise UserError(
                "error.missing_subcommand",
                command=Text.of(command.name),
                choices=Text.of(", ".join(command.subcommands)),
            )
        if sub not in command.subcommands:
            raise UserError(
                "error.unknown_subcommand",
                command=Text.of(command.name),
                value=sub,
                choices=Text.of(", ".join(command.subcommands)),
            )
        options = command.subcommands[sub]
    elif sub:
        raise UserError("error.positional", command=Text.of(command.name), value=sub)
    known = {o.name: o for o in options}
    values: dict[str, object] = {}
    for name, value in raw.items():
        option = known.get(name.lower())
        if option is None:
            raise UserError(
                "error.unknown_option",
                command=Text.of(command.name + (f" {sub}" if sub else "")),
                option=name,
                choices=Text.of(", ".join(known) or "none"),
            )
        if option.kind == "int" and isinstance(value, str):
            digits = value.strip().lstrip("+-")
            if digits.isascii() and digits.isdigit() and len(digits) > DIGITS_MAX:
                raise UserError("error.number_too_long", field=Text.of(option.name), value=value)
            try:
                value = int(value.strip())
            except ValueError:
                raise UserError(
                    "error.not_a_number", field=Text.of(option.name), value=value
                ) from None
        values[option.name] = value
    return sub, values


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
        raise UserError("error.unclosed_quote")
    if started:
        out.append("".join(current))
    return out


def parse_invocation(text: str) -> tuple[str, str | None, dict[str, str]]:
    """`name [sub] key:value key:"quoted value"` as (name, sub, options)."""
    words = tokens(text)
    if not words:
        raise UserError("error.missing_command")
    name, rest = words[0].lstrip("/").lower(), words[1:]
    sub = None
    options: dict[str, str] = {}
    for word in rest:
        key, colon, value = word.partition(":")
        if colon and key:
            options[key.lower()] = value
        elif sub is None and not options:
            sub = word
        else:
            raise UserError("error.positional", command=name, value=word)  # typed: escaped
    return name, sub, options


async def run(
    core: Rebound, ctx: Context, name: str, sub: str | None, raw: Mapping[str, object]
) -> list[Reply]:
    """Check a command by its spec and run it on the core."""
    try:
        command = resolve(name)
        sub, opts = check_options(command, sub, raw)
    except UserError as exc:
        return [Reply(text=core.content.msg(exc.key, **exc.values))]
    text = {k: v for k, v in opts.items() if isinstance(v, str) or v is None}
    match command.name, sub:
        case "rejected", _:
            return await core.rejected(
                ctx,
                company=text.get("company"),
                role=text.get("role"),
                stage=text.get("stage"),
                feeling=opts.get("feeling"),  # type: ignore[arg-type]
                note=text.get("note"),
            )
        case "reflect", _:
            return await core.reflect(ctx)
        case "checkin", _:
            return await core.checkin(
                ctx,
                mood=opts.get("mood"),  # type: ignore[arg-type]
                note=text.get("note"),
            )
        case "followup", "add":
            return await core.followup_add(
                ctx,
                contact=text.get("contact"),
                company=text.get("company"),
                role=text.get("role"),
                channel=text.get("channel"),
                when_text=text.get("when"),
                kind=text.get("type"),
            )
        case "followup", "list":
            return await core.followup_list(ctx)
        case "followup", action:
            if "id" not in opts:
                return [Reply(text=core.content.msg("error.empty", field=Text.of("id")))]
            return await core.followup_mark(ctx, opts["id"], action or "")  # type: ignore[arg-type]
        case "streak", _:
            return await core.streak(ctx)
        case "leaderboard", action:
            return await core.leaderboard(ctx, action, text.get("view"))
        case "settings", _:
            return await core.settings(
                ctx,
                timezone=text.get("timezone"),
                quiet=text.get("quiet"),
                reminders=text.get("reminders"),
                leaderboard=text.get("leaderboard"),
                checkins=text.get("checkins"),
                nudges=text.get("nudges"),
                weekends=text.get("weekends"),
                shoutouts=text.get("shoutouts"),
            )
        case "journal", _:
            return await core.journal(ctx)
        case "export", _:
            return await core.export(ctx)
        case "forget", _:
            return await core.forget(ctx)
        case "support", _:
            return await core.support(ctx)
        case "admin", _:
            options = {k: str(v) for k, v in opts.items() if v is not None}
            return await core.admin(ctx, **options)
        case _:
            return await core.help(ctx)
