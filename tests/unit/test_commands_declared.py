"""Each command's options are declared once (bot/commands.py); every adapter offers just those."""

from __future__ import annotations

import ast
import inspect
import pathlib
import re
from types import SimpleNamespace
from typing import Any

import pytest
from discord import AppCommandOptionType, app_commands

from adapters.console.parse import CommandLine, parse_line
from adapters.discord.client import NAMES, ReboundDiscord, RejectedModal
from adapters.slack import blocks
from adapters.slack.listeners import OWN_SLASH
from bot import commands
from bot.content import ContentError, load_content
from bot.core import ADMIN_OPTIONS, Rebound
from bot.freetext import Parsed
from tests.conftest import edit_copy, in_channel

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The use case `commands.run` calls for a command (and subcommand) that has options.
USE_CASES = {
    ("rejected", None): Rebound.rejected,
    ("checkin", None): Rebound.checkin,
    ("followup", "add"): Rebound.followup_add,
    ("leaderboard", "show"): Rebound.leaderboard,
    ("settings", None): Rebound.settings,
}


def leaves() -> list[tuple[commands.Command, str | None]]:
    """Every command, or each subcommand of one that has them."""
    out: list[tuple[commands.Command, str | None]] = []
    for command in commands.COMMANDS.values():
        out += [(command, sub) for sub in command.subcommands] or [(command, None)]
    return out


@pytest.fixture
def tree(content) -> app_commands.CommandTree:
    app = SimpleNamespace(core=None, content=content)
    return ReboundDiscord(app, SimpleNamespace(discord_guild_id=None)).tree  # type: ignore[arg-type]


def discord_leaf(tree, command: commands.Command, sub: str | None) -> app_commands.Command | None:
    made = tree.get_command(NAMES.get(command.name, command.name))
    assert made is not None, command.name
    if sub is None:
        return made
    assert isinstance(made, app_commands.Group)
    return made.get_command(sub)


@pytest.mark.parametrize(("command", "sub"), leaves(), ids=lambda v: getattr(v, "name", v))
def test_the_discord_tree_offers_exactly_the_declared_options(tree, content, command, sub):
    leaf = discord_leaf(tree, command, sub)
    if sub in command.typed_only:
        assert leaf is None  # on Discord the buttons of /followup list do these
        return
    assert isinstance(leaf, app_commands.Command)
    declared = command.options_of(sub)
    assert [p.name for p in leaf.parameters] == [o.name for o in declared]
    texts = content.commands[command.name]
    assert leaf.description == (texts.subcommands[sub] if sub else texts.description)
    for param, option in zip(leaf.parameters, declared, strict=True):
        assert not param.required
        assert param.description == texts.options[option.name]
        assert [(c.value, c.name) for c in param.choices] == option.choice_names(content.label)
        assert param.autocomplete == (option.kind == "timezone")
        if option.kind == "channel":
            assert param.type is AppCommandOptionType.channel
        elif option.kind == "int":
            assert param.type is AppCommandOptionType.integer
            assert (param.min_value, param.max_value) == (option.low, option.high)
        else:
            assert param.type is AppCommandOptionType.string
            if option.high is not None:
                assert (param.min_value, param.max_value) == (1, option.high)
    assert (leaf.default_permissions is not None) == command.admin
    assert leaf.guild_only == command.admin


def test_every_discord_command_is_declared_and_its_name_resolves_back(tree):
    names = {c.name for c in tree.get_commands()}
    assert names == {NAMES.get(n, n) for n in commands.COMMANDS}
    for shown, name in NAMES.items():
        assert commands.resolve(name).name == shown


async def test_the_rejected_forms_have_one_field_per_declared_option(content):
    declared = [o.name for o in commands.COMMANDS["rejected"].form]
    modal = RejectedModal(SimpleNamespace(app=SimpleNamespace(content=content)))  # type: ignore[arg-type]
    assert list(modal.fields) == declared
    slack = blocks.rejected_modal(content, "C1", Parsed())
    assert [b["block_id"] for b in slack["blocks"]] == declared
    assert all(o.form in content.messages for o in commands.COMMANDS["rejected"].form)
    # Discord's forms hold five fields: the outcome is an option of the command, not a field.
    assert len(declared) <= 5
    assert "outcome" not in declared
    assert "outcome" in commands.COMMANDS["rejected"].option_names()


class Recorder:
    """A core that records which use case was called with which keywords."""

    def __init__(self, content: Any) -> None:
        self.content = content
        self.calls: list[tuple[str, tuple, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        async def use_case(ctx: Any, *args: Any, **kwargs: Any) -> list:
            self.calls.append((name, args, kwargs))
            return []

        return use_case


@pytest.mark.parametrize(("name", "sub"), list(USE_CASES), ids=str)
async def test_run_hands_every_declared_option_to_its_use_case(content, name, sub):
    command = commands.COMMANDS[name]
    declared = command.options_of(sub)
    core = Recorder(content)
    typed = {o.name: "2" if o.kind == "int" else (o.choices or ("x",))[0] for o in declared}
    await commands.run(core, in_channel(), name, sub, typed)  # type: ignore[arg-type]
    [(_, _, kwargs)] = core.calls
    assert set(kwargs) == {o.param or o.name for o in declared}
    assert set(kwargs) <= set(inspect.signature(USE_CASES[(name, sub)]).parameters)


def test_admin_options_are_the_settings_the_admin_use_case_changes():
    assert [o.name for o in commands.COMMANDS["admin"].options] == list(ADMIN_OPTIONS)


@pytest.mark.parametrize(("command", "sub"), leaves(), ids=lambda v: getattr(v, "name", v))
def test_the_console_reads_every_declared_option(command, sub):
    for option in command.options_of(sub):
        line = f'/{command.name}{f" {sub}" if sub else ""} {option.name}:"a b"'
        parsed = parse_line(line)
        assert parsed == CommandLine(command.name, sub, {option.name: "a b"})
        if option.kind != "int":
            assert commands.check_options(command, sub, parsed.options)[1] == {option.name: "a b"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('shoutouts = "Cele', 'surprise = "Cele', "[settings].options: missing shoutouts"),
        ("[reflect]\n", '[dance]\ndescription = "Dance"\n\n[reflect]\n', "unknown key dance"),
        ('show = "Show the board"\n', "", "[leaderboard].subcommands: missing show"),
    ],
)
def test_command_texts_must_match_the_command_set(prompts_copy, old, new, expected):
    edit_copy(prompts_copy, "commands.toml", old, new)
    with pytest.raises(ContentError) as caught:
        commands.check_texts(load_content(prompts_copy).commands)
    assert "prompts/commands.toml" in str(caught.value)
    assert expected in str(caught.value)


def test_the_shipped_command_texts_match_the_command_set(content):
    commands.check_texts(content.commands)


def module_imports(path: pathlib.Path) -> set[str]:
    """The project modules a module imports anywhere: at the top, in a function, for types."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.split(".")[0] in ("bot", "adapters")}


def test_the_vocabulary_imports_nothing_of_the_project_and_content_not_the_commands():
    assert module_imports(ROOT / "bot" / "vocab.py") == set()
    assert module_imports(ROOT / "bot" / "actions.py") <= {"bot.vocab", "bot.vocab.DIGITS_MAX"}
    assert not any(m.startswith("bot.commands") for m in module_imports(ROOT / "bot/content.py"))


def test_the_modules_of_bot_import_one_another_without_a_circle():
    modules = {p.stem: p for p in (ROOT / "bot").glob("*.py") if p.stem != "__init__"}
    graph = {
        name: {m.split(".")[1] for m in module_imports(path) if m.count(".") >= 1} & set(modules)
        for name, path in modules.items()
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or reaches(n, goal, seen | {n}) for n in graph[start] - seen)

    assert [name for name in graph if reaches(name, name, set())] == []


def test_slack_offers_its_own_slashes_and_every_other_command_under_rebound():
    manifest = (ROOT / "adapters" / "slack" / "manifest.yml").read_text()
    slashes = re.findall(r"- command: /(\S+)", manifest)
    assert slashes == [*OWN_SLASH, "rebound"]
    described = re.search(r"/rebound\n.*\n\s+description: \"Everything else: ([^\"]+)\"", manifest)
    assert described is not None
    others = [n for n in commands.COMMANDS if n not in OWN_SLASH]
    assert sorted(described.group(1).split(", ")) == sorted(others)
