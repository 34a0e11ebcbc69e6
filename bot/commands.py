"""The command set as data: names, subcommands and options, declared once for every adapter.

Adapters that receive loose text (the terminal, Slack) hand the words over as strings and this
module checks them; typed adapters (Discord) build their option lists and forms from the same
declaration, and every adapter runs a command through `run`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bot.buddies import FOCUSES
from bot.content import CommandText, ContentError
from bot.freetext import parse_rejection
from bot.models import Context, Reply, Text
from bot.vocab import (
    BOARD_VIEWS,
    CHANNELS,
    DIGITS_MAX,
    FEELING_HIGH,
    FEELING_LOW,
    FOLLOWUP_TYPES,
    NAME_MAX,
    NOTE_MAX,
    ON_OFF,
    OUTCOMES,
    PERIODS,
    STAGES,
    UserError,
)
from bot.when import WEEKDAYS

if TYPE_CHECKING:
    from bot.core import Rebound


# What an option's value is: text; a whole number; a timezone (text a picker may suggest zone
# names for); a channel of the community (typed as its name or id, picked where a platform can).
Kind = Literal["text", "int", "timezone", "channel"]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a command: `name:value`, and what a picker needs to offer it."""

    name: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    # How the choices read in a picker when not as typed: one name per choice, or the prefix of
    # their labels in prompts/messages.toml (stage names are wording, kept with the wording).
    labels: tuple[str, ...] = ()
    label_key: str = ""
    # Bounds a picker can enforce as it is filled in: an int's smallest and largest value, a
    # text's longest length. The core checks them again with a kind message, whatever the path.
    low: int | None = None
    high: int | None = None
    # The use case's keyword for this option, where it is not the option's name.
    param: str = ""
    # Where the command is also a form (/rejected): the message keys of the field's label and
    # of its placeholder, in prompts/messages.toml.
    form: str = ""
    hint: str = ""

    def choice_names(self, label: Callable[[str], str]) -> list[tuple[str, str]]:
        """Each choice as (value, the name a picker shows); label renders a message key."""
        if self.label_key:
            return [(c, label(self.label_key + c)) for c in self.choices]
        return list(zip(self.choices, self.labels or self.choices, strict=True))

    @property
    def long(self) -> bool:
        """Text longer than a name: a form gives it a paragraph, not a line."""
        return self.kind == "text" and (self.high or 0) > NAME_MAX


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command with its options, or with subcommands that each have options."""

    name: str
    options: tuple[Option, ...] = ()
    subcommands: dict[str, tuple[Option, ...]] = field(default_factory=dict)
    default_sub: str | None = None
    # Subcommands that command pickers leave out: there, the buttons of `/followup list` do them.
    typed_only: tuple[str, ...] = ()
    # For the community's admins only, and never in DMs.
    admin: bool = False

    def options_of(self, sub: str | None) -> tuple[Option, ...]:
        """The options of the command, or of one of its subcommands."""
        return self.subcommands[sub] if sub is not None else self.options

    @property
    def form(self) -> tuple[Option, ...]:
        """The options a form for the command asks for (those with a field label)."""
        return tuple(o for o in self.options if o.form)

    def option_names(self) -> list[str]:
        """Every option name of the command and its subcommands, once each, in order."""
        every = (self.options, *self.subcommands.values())
        return list(dict.fromkeys(o.name for options in every for o in options))


# How often a community's buddy rounds come, or off (see bot/usecases/buddy_round.py).
BUDDY_CADENCES = ("weekly", "fortnightly", "off")

_ID = (Option("id", "int"),)


def _on_off(name: str) -> Option:
    return Option(name, choices=ON_OFF)


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "rejected",
            (
                Option("company", high=NAME_MAX, form="modal.company"),
                Option("role", high=NAME_MAX, form="modal.role"),
                Option(
                    "stage",
                    choices=STAGES,
                    label_key="stage.",
                    form="modal.stage",
                    hint="modal.stage_hint",
                ),
                Option("feeling", "int", low=FEELING_LOW, high=FEELING_HIGH, form="modal.feeling"),
                Option("note", high=NOTE_MAX, form="modal.note"),
                # Not in the form (Discord's hold five fields): /declined is the short way.
                Option("outcome", choices=OUTCOMES, label_key="outcome."),
            ),
        ),
        Command(
            "declined",
            (
                Option("company", high=NAME_MAX),
                Option("role", high=NAME_MAX),
                Option("feeling", "int", low=FEELING_LOW, high=FEELING_HIGH),
                Option("note", high=NOTE_MAX),
            ),
        ),
        Command("reflect"),
        Command(
            "checkin",
            (
                Option("mood", "int", low=FEELING_LOW, high=FEELING_HIGH),
                Option("note", high=NOTE_MAX),
            ),
        ),
        Command(
            "followup",
            subcommands={
                "add": (
                    Option("contact", high=NAME_MAX),
                    Option("company", high=NAME_MAX),
                    Option("role", high=NAME_MAX),
                    Option("channel", choices=CHANNELS),
                    Option("when", param="when_text"),
                    Option(
                        "type",
                        choices=FOLLOWUP_TYPES,
                        labels=tuple(t.replace("_", " ") for t in FOLLOWUP_TYPES),
                        param="kind",
                    ),
                ),
                "list": (),
                "sent": _ID,
                "snooze": _ID,
                "skip": _ID,
            },
            default_sub="list",
            typed_only=("sent", "snooze", "skip"),
        ),
        Command("streak"),
        Command(
            "leaderboard",
            subcommands={
                "show": (Option("view", choices=BOARD_VIEWS),),
                "join": (),
                "leave": (),
            },
            default_sub="show",
        ),
        Command(
            "settings",
            (
                Option("timezone", "timezone"),
                Option("quiet"),
                _on_off("reminders"),
                _on_off("leaderboard"),
                Option("checkins"),
                _on_off("nudges"),
                _on_off("weekends"),
                _on_off("shoutouts"),
            ),
        ),
        Command("journal"),
        Command("export"),
        Command("forget"),
        Command("support"),
        Command("help"),
        Command(
            "admin",
            (
                Option("channel", "channel"),
                Option("day", choices=WEEKDAYS, labels=tuple(d.title() for d in WEEKDAYS)),
                Option("hour", "int", low=0, high=23),
                Option("timezone", "timezone"),
                Option("period", choices=PERIODS),
                _on_off("leaderboard"),
                _on_off("sharing"),
                Option("support", high=NOTE_MAX),
                Option("buddies", choices=BUDDY_CADENCES),
                Option("buddy_day", choices=WEEKDAYS, labels=tuple(d.title() for d in WEEKDAYS)),
                Option("buddy_hour", "int", low=0, high=23),
            ),
            admin=True,
        ),
        Command("writeitout", (Option("hour", "int", low=0, high=23),)),
        # Practice buddies (bot/usecases/buddies.py).
        Command(
            "buddy",
            subcommands={
                "join": (Option("focus", choices=FOCUSES), Option("timezone", "timezone")),
                "leave": (),
                "pause": (Option("until", high=NAME_MAX),),
                "status": (),
                "block": (),
            },
            default_sub="status",
        ),
        # The growth ledger.
        Command(
            "rejections",
            subcommands={
                "list": (Option("page", "int", low=1),),
                "edit": (
                    *_ID,
                    Option("company", high=NAME_MAX),
                    Option("role", high=NAME_MAX),
                    Option("stage", choices=STAGES, label_key="stage."),
                    Option("note", high=NOTE_MAX),
                ),
                "delete": _ID,
            },
            default_sub="list",
        ),
        Command(
            "applied",
            (
                Option("company", high=NAME_MAX),
                Option("role", high=NAME_MAX),
                Option("source", high=NAME_MAX),
            ),
        ),
        Command("insights"),
        Command(
            "skills",
            subcommands={
                "list": (),
                "add": (Option("name", high=NAME_MAX),),
                "step": (*_ID, Option("text", high=NAME_MAX), Option("when", param="when_text")),
                "confident": _ID,
                "working": _ID,
            },
            default_sub="list",
        ),
        Command("ledger"),
        Command("hired", (Option("company", high=NAME_MAX), Option("role", high=NAME_MAX))),
    )
}


def check_texts(texts: Mapping[str, CommandText]) -> None:
    """Refuse prompts/commands.toml unless it describes exactly this command set."""
    where = "prompts/commands.toml"
    _same_keys(texts, list(COMMANDS), where)
    for name, command in COMMANDS.items():
        spot = f"{where} [{name}]"
        _same_keys(texts[name].subcommands, list(command.subcommands), f"{spot}.subcommands")
        _same_keys(texts[name].options, command.option_names(), f"{spot}.options")


def _same_keys(data: Mapping[str, Any], expected: Sequence[str], where: str) -> None:
    missing = [k for k in expected if k not in data]
    extra = [k for k in data if k not in expected]
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    if extra:
        raise ContentError(f"{where}: unknown key {', '.join(extra)}")


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
    """`name [sub] [value] key:value key:"quoted value"` as (name, sub, options)."""
    words = tokens(text)
    if not words:
        raise UserError("error.missing_command")
    name, rest = words[0].lstrip("/").lower(), words[1:]
    try:
        command: Command | None = resolve(name)
    except UserError:
        command = None  # `run` says so, with the closest name
    if command is not None and command.name == "rejected" and _free_text(command, rest):
        # `/rejected Acme data analyst final round`: the reader Slack's /rejected uses.
        return name, None, _rejection_options(text.strip().split(None, 1)[1:])
    bare: list[str] = []
    options: dict[str, str] = {}
    for word in rest:
        key, colon, value = word.partition(":")
        if colon and key:
            options[key.lower()] = value
        elif command is None and (bare or options):
            # No spec to place it by: a word after the first (or after options) is stray.
            raise UserError("error.positional", command=name, value=word)  # typed: escaped
        else:
            bare.append(word)
    if command is None:
        return name, (bare[0] if bare else None), options
    sub = _subcommand(command, bare, options)
    return name, sub, _place_bare(command, sub, bare, options)


def _free_text(command: Command, words: Sequence[str]) -> bool:
    """True when no word names one of the command's options: the line is prose."""
    names = set(command.option_names())
    return bool(words) and not any(w.partition(":")[0].lower() in names for w in words)


def _rejection_options(rest: Sequence[str]) -> dict[str, str]:
    parsed = parse_rejection(rest[0] if rest else "")
    found = {
        "company": parsed.company,
        "role": parsed.role,
        "stage": parsed.stage,
        "feeling": None if parsed.feeling is None else str(parsed.feeling),
        "note": parsed.note,
    }
    return {k: v for k, v in found.items() if v is not None}


def _subcommand(command: Command, bare: list[str], options: Mapping[str, str]) -> str | None:
    """The subcommand typed first, or the one the option names can only belong to."""
    if not command.subcommands:
        return None
    if bare and bare[0].lower() in command.subcommands:
        return bare.pop(0).lower()
    if options:
        # `/followup contact:Sam` can only mean `add`; ambiguous names are left to the default.
        fits = [s for s, opts in command.subcommands.items() if set(options) <= _names(opts)]
        if command.default_sub not in fits and len(fits) == 1:
            return fits[0]
    return command.default_sub


def _names(options: Sequence[Option]) -> set[str]:
    return {o.name for o in options}


def _place_bare(
    command: Command, sub: str | None, bare: Sequence[str], options: dict[str, str]
) -> dict[str, str]:
    """Give a bare value to the command's first option (`/checkin 3`, `/followup sent 1`).

    Words after it go to a note-length option, so `/checkin 2 rough week` keeps its words.
    """
    if not bare:
        return options
    declared = command.options_of(sub)
    label = Text.of(command.name + (f" {sub}" if sub else ""))
    if not declared or declared[0].name in options:
        raise UserError("error.positional", command=label, value=bare[0])
    placed = dict(options)
    placed[declared[0].name] = bare[0]
    if len(bare) > 1:
        note = next((o for o in declared[1:] if o.long and o.name not in options), None)
        if note is None:
            raise UserError("error.positional", command=label, value=bare[1])
        placed[note.name] = " ".join(bare[1:])
    return placed


async def run(
    core: Rebound, ctx: Context, name: str, sub: str | None, raw: Mapping[str, object]
) -> list[Reply]:
    """Check a command by its spec and run it on the core."""
    try:
        command = resolve(name)
        sub, opts = check_options(command, sub, raw)
    except UserError as exc:
        return [Reply(text=core.content.msg(exc.key, **exc.values))]
    # The options as the use case's keywords, each given (None when not typed or picked).
    args: dict[str, Any] = {o.param or o.name: opts.get(o.name) for o in command.options_of(sub)}
    match command.name, sub:
        case "rejected", _:
            return await core.rejected(ctx, **args)
        case "declined", _:
            return await core.declined(ctx, **args)
        case "reflect", _:
            return await core.reflect(ctx)
        case "checkin", _:
            return await core.checkin(ctx, **args)
        case "followup", "add":
            return await core.followup_add(ctx, **args)
        case "followup", "list":
            return await core.followup_list(ctx)
        case "followup", action:
            if "id" not in opts:
                return [Reply(text=core.content.msg("error.empty", field=Text.of("id")))]
            return await core.followup_mark(ctx, opts["id"], action or "")  # type: ignore[arg-type]
        case "streak", _:
            return await core.streak(ctx)
        case "leaderboard", action:
            return await core.leaderboard(ctx, action, **args)
        case "settings", _:
            return await core.settings(ctx, **args)
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
        case "writeitout", _:
            return await core.writeitout(ctx, **args)
        case "buddy", action:
            return await core.buddy(ctx, action, **args)
        case "rejections", "list":
            return await core.rejections_list(ctx, **args)
        case "rejections", "edit":
            return await core.rejections_edit(ctx, **args)
        case "rejections", "delete":
            return await core.rejections_delete(ctx, **args)
        case "applied", _:
            return await core.applied(ctx, **args)
        case "insights", _:
            return await core.insights(ctx)
        case "hired", _:
            return await core.hired(ctx, **args)
        case "ledger", _:
            return await core.ledger(ctx)
        case "skills", "list":
            return await core.skills_list(ctx)
        case "skills", "add":
            return await core.skills_add(ctx, **args)
        case "skills", "step":
            return await core.skills_step(ctx, **args)
        case "skills", ("confident" | "working") as status:
            return await core.skills_mark(ctx, **args, status=status)
        case _:
            return await core.help(ctx)
