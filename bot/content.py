"""Loads the wording in prompts/*.toml and checks it against what the code uses."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from bot.message_keys import MESSAGES
from bot.models import Text
from bot.safety import PatternError, SafetyNet
from bot.templates import ContentError, Template, Value, make_template
from bot.vocab import DECLINED, STAGES

BANDS: tuple[str, ...] = ("low", "middling", "steady")
THEMES: tuple[str, ...] = ("fit", "interview", "skills", "resilience", "network", "direction")
# What a reflection prompt may take for granted: that a rejection was logged, or an interview.
ASSUMPTIONS: tuple[str, ...] = ("rejection", "interview")
MOODS: tuple[str, ...] = ("1", "2", "3", "4", "5")
DRAFT_KINDS: tuple[str, ...] = (
    "thank_you_screen",
    "thank_you_final",
    "feedback",
    "stay_in_touch",
    "future_roles",
    "thank_you_declined",
)

# The values each kind of template may use. Names outside a `{?...}` part must be supplied.
ENCOURAGEMENT_VALUES = frozenset({"name", "company", "role"})
THEME_VALUES = frozenset({"company", "role"})
CHECKIN_VALUES = frozenset({"name"})
DRAFT_VALUES = frozenset({"name", "contact", "first_name", "company", "role"})
CLOSING_VALUES = frozenset({"answered", "count", "themes"})
MILESTONE_VALUES = frozenset({"name", "weeks"})
MILESTONES: tuple[str, ...] = ("4", "8", "12", "26", "52")


def _pool(
    name: str, sources: Any, allowed: frozenset[str], where: str, required_ok: frozenset[str]
) -> tuple[Template, ...]:
    if not isinstance(sources, list) or not sources:
        raise ContentError(f"{where}: expected a non-empty list of texts")
    out = []
    seen: set[str] = set()
    for index, source in enumerate(sources):
        spot = f"{where}[{index}]"
        if not isinstance(source, str):
            raise ContentError(f"{spot}: expected text")
        if source in seen:
            raise ContentError(f"{spot}: the same text is already in this list")
        seen.add(source)
        digest = hashlib.sha1(source.encode()).hexdigest()[:10]
        template = make_template(f"{name}#{digest}", source, allowed, spot)
        loose = template.required - required_ok
        if loose:
            raise ContentError(
                f"{spot}: {', '.join(sorted(loose))} may be unknown, so it must sit inside "
                "an optional part {?...}"
            )
        out.append(template)
    return tuple(out)


def _table(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ContentError(f"{where}: expected a table")
    return data


def _exact_keys(data: Mapping[str, Any], expected: Sequence[str], where: str) -> None:
    missing = [k for k in expected if k not in data]
    extra = [k for k in data if k not in expected]
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    if extra:
        raise ContentError(f"{where}: unknown key {', '.join(extra)}")


@dataclass(frozen=True, slots=True)
class Prompt:
    """A reflection question with the gentler question that follows it."""

    key: str
    theme: str
    ask: Template
    follow_up: Template
    assumes: str | None = None  # "rejection" or "interview": what the words take for granted


@dataclass(frozen=True, slots=True)
class Theme:
    """One of the six angles a rejection can be looked at from."""

    key: str
    title: str
    angle: str
    reframes: tuple[Template, ...]
    prompts: tuple[Prompt, ...]
    next_steps: tuple[Template, ...]
    acknowledgements: tuple[Template, ...]
    words: tuple[str, ...] = ()  # a note using one of these (as a word's start) is about this
    interview_steps: tuple[Template, ...] = ()  # next steps that assume an interview happened


@dataclass(frozen=True, slots=True)
class Draft:
    """A message the person can copy to a recruiter or contact."""

    kind: str
    label: str
    texts: tuple[Template, ...]


@dataclass(frozen=True, slots=True)
class CommandText:
    """How a command, its subcommands and its options are described in a command picker."""

    description: str
    subcommands: dict[str, str]
    options: dict[str, str]


@dataclass(frozen=True, slots=True)
class Content:
    """Every piece of wording Rebound uses, checked."""

    encouragement: dict[tuple[str, str], tuple[Template, ...]]
    themes: dict[str, Theme]
    stage_themes: dict[str, tuple[str, ...]]
    checkin_questions: tuple[Template, ...]
    checkin_responses: dict[int, tuple[Template, ...]]
    drafts: dict[str, Draft]
    messages: dict[str, Template]
    closings: tuple[Template, ...]
    milestones_dm: dict[int, tuple[Template, ...]]
    milestones_channel: dict[int, tuple[Template, ...]]
    safety: SafetyNet
    commands: dict[str, CommandText] = field(default_factory=dict)

    def msg(self, key: str, /, **values: Value) -> Text:
        """Render the message `key`."""
        return self.messages[key].render(values)

    def label(self, key: str, /, **values: Value) -> str:
        """Render a short label of our own (a button, a field name) as a plain str."""
        return self.messages[key].render(values).plain()

    def prompt(self, key: str) -> Prompt:
        """The reflection prompt with this key."""
        theme, _, _ = key.partition(".")
        for prompt in self.themes[theme].prompts:
            if prompt.key == key:
                return prompt
        raise KeyError(key)


def _read(directory: Path | None, name: str) -> dict[str, Any]:
    try:
        if directory is None:
            raw = resources.files("prompts").joinpath(name).read_text(encoding="utf-8")
        else:
            raw = (directory / name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContentError(f"prompts/{name}: file is missing") from exc
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"prompts/{name}: not valid TOML ({exc})") from exc


def _load_encouragement(data: dict[str, Any]) -> dict[tuple[str, str], tuple[Template, ...]]:
    where = "prompts/encouragement.toml"
    # One section per stage, and one for an offer the person declined (not a no).
    pools = (*STAGES, DECLINED)
    _exact_keys(data, pools, where)
    out = {}
    for stage in pools:
        bands = _table(data[stage], f"{where} [{stage}]")
        _exact_keys(bands, BANDS, f"{where} [{stage}]")
        for band in BANDS:
            out[(stage, band)] = _pool(
                f"enc.{stage}.{band}",
                bands[band],
                ENCOURAGEMENT_VALUES,
                f"{where} {stage}.{band}",
                frozenset({"name"}),
            )
    return out


def _load_prompt(key: str, raw: Any, pspot: str) -> Prompt:
    item = _table(raw, pspot)
    _exact_keys(item, ("ask", "follow_up", *(["assumes"] if "assumes" in item else [])), pspot)
    assumes = item.get("assumes")
    if assumes not in (None, *ASSUMPTIONS):
        raise ContentError(f"{pspot}.assumes: one of {', '.join(ASSUMPTIONS)}")
    ask = make_template(f"{key}.p", item["ask"], THEME_VALUES, f"{pspot}.ask")
    follow = make_template(f"{key}.f", item["follow_up"], THEME_VALUES, f"{pspot}.follow_up")
    for template, part in ((ask, "ask"), (follow, "follow_up")):
        if template.required:
            raise ContentError(f"{pspot}.{part}: company and role go inside {{?...}}")
    digest = hashlib.sha1(item["ask"].encode()).hexdigest()[:10]
    return Prompt(f"{key}.{digest}", key, ask, follow, assumes)


def _load_themes(data: dict[str, Any]) -> tuple[dict[str, Theme], dict[str, tuple[str, ...]]]:
    where = "prompts/themes.toml"
    _exact_keys(data, ("stages", "themes"), where)
    stages = _table(data["stages"], f"{where} [stages]")
    _exact_keys(stages, STAGES, f"{where} [stages]")
    stage_themes: dict[str, tuple[str, ...]] = {}
    for stage in STAGES:
        listed = stages[stage]
        if not isinstance(listed, list) or len(listed) < 2:
            raise ContentError(f"{where} stages.{stage}: list at least two themes")
        bad = [t for t in listed if t not in THEMES]
        if bad:
            raise ContentError(f"{where} stages.{stage}: unknown theme {', '.join(map(str, bad))}")
        stage_themes[stage] = tuple(listed)
    themes_data = _table(data["themes"], f"{where} [themes]")
    _exact_keys(themes_data, THEMES, f"{where} [themes]")
    themes: dict[str, Theme] = {}
    none = frozenset()
    for key in THEMES:
        spot = f"{where} themes.{key}"
        entry = _table(themes_data[key], spot)
        parts = ("title", "angle", "reframes", "prompts", "next_steps", "acknowledgements", "words")
        _exact_keys(
            entry, (*parts, *(["interview_steps"] if "interview_steps" in entry else [])), spot
        )
        for text_key in ("title", "angle"):
            if not isinstance(entry[text_key], str) or not entry[text_key].strip():
                raise ContentError(f"{spot}.{text_key}: the text is empty")
        raw_prompts = entry["prompts"]
        if not isinstance(raw_prompts, list) or not raw_prompts:
            raise ContentError(f"{spot}.prompts: expected a non-empty list of prompts")
        prompts = [
            _load_prompt(key, raw, f"{spot}.prompts[{index}]")
            for index, raw in enumerate(raw_prompts)
        ]
        themes[key] = Theme(
            key=key,
            title=entry["title"].strip(),
            angle=entry["angle"].strip(),
            reframes=_pool(
                f"reframe.{key}", entry["reframes"], THEME_VALUES, f"{spot}.reframes", none
            ),
            prompts=tuple(prompts),
            next_steps=_pool(
                f"step.{key}", entry["next_steps"], THEME_VALUES, f"{spot}.next_steps", none
            ),
            acknowledgements=_pool(
                f"ack.{key}", entry["acknowledgements"], THEME_VALUES, f"{spot}.acks", none
            ),
            words=tuple(w.lower() for w in _text_list(entry["words"], f"{spot}.words", "word")),
            interview_steps=_pool(
                f"step.{key}", entry["interview_steps"], THEME_VALUES, f"{spot}.steps", none
            )
            if "interview_steps" in entry
            else (),
        )
    return themes, stage_themes


def _load_checkins(data: dict[str, Any]) -> tuple[tuple[Template, ...], dict[int, tuple]]:
    where = "prompts/checkins.toml"
    _exact_keys(data, ("questions", "responses"), where)
    questions = _pool(
        "checkin.q", data["questions"], CHECKIN_VALUES, f"{where} questions", CHECKIN_VALUES
    )
    responses = _table(data["responses"], f"{where} [responses]")
    _exact_keys(responses, MOODS, f"{where} [responses]")
    by_mood = {
        int(mood): _pool(
            f"checkin.{mood}",
            responses[mood],
            CHECKIN_VALUES,
            f"{where} responses.{mood}",
            CHECKIN_VALUES,
        )
        for mood in MOODS
    }
    return questions, by_mood


def _load_drafts(data: dict[str, Any]) -> dict[str, Draft]:
    where = "prompts/drafts.toml"
    _exact_keys(data, DRAFT_KINDS, where)
    drafts = {}
    for kind in DRAFT_KINDS:
        spot = f"{where} [{kind}]"
        entry = _table(data[kind], spot)
        _exact_keys(entry, ("label", "texts"), spot)
        if not isinstance(entry["label"], str) or not entry["label"].strip():
            raise ContentError(f"{spot}.label: the text is empty")
        drafts[kind] = Draft(
            kind=kind,
            label=entry["label"].strip(),
            texts=_pool(
                f"draft.{kind}", entry["texts"], DRAFT_VALUES, f"{spot}.texts", frozenset({"name"})
            ),
        )
    return drafts


def _load_closings(data: dict[str, Any]) -> tuple[Template, ...]:
    where = "prompts/reflection.toml"
    _exact_keys(data, ("closings",), where)
    return _pool("closing", data["closings"], CLOSING_VALUES, f"{where} closings", CLOSING_VALUES)


def _load_milestones(
    data: dict[str, Any],
) -> tuple[dict[int, tuple[Template, ...]], dict[int, tuple[Template, ...]]]:
    where = "prompts/milestones.toml"
    _exact_keys(data, ("dm", "channel"), where)
    out = []
    for part in ("dm", "channel"):
        table = _table(data[part], f"{where} [{part}]")
        _exact_keys(table, MILESTONES, f"{where} [{part}]")
        out.append(
            {
                int(weeks): _pool(
                    f"milestone.{part}.{weeks}",
                    table[weeks],
                    MILESTONE_VALUES,
                    f"{where} {part}.{weeks}",
                    MILESTONE_VALUES,
                )
                for weeks in MILESTONES
            }
        )
    return out[0], out[1]


def _text_list(items: Any, where: str, what: str = "phrase") -> list[str]:
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: expected a non-empty list of {what}s")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(f"{where}[{index}]: the {what} is empty")
    return items


def _safety_groups(
    data: Any, where: str, optional: Sequence[str] = ()
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Named groups of patterns, each with a one-line reason; and, per flag, the groups set true."""
    groups = _table(data, where)
    if not groups:
        raise ContentError(f"{where}: expected at least one group")
    out: dict[str, list[str]] = {}
    flagged: dict[str, list[str]] = {key: [] for key in optional}
    for name, group in groups.items():
        spot = f"{where}.{name}"
        if not re.fullmatch(r"[a-z_]+", name):
            raise ContentError(f"{spot}: a group name is lower-case letters and _")
        keys = ("why", "patterns", *(k for k in optional if k in _table(group, spot)))
        _exact_keys(group, keys, spot)
        if not isinstance(group["why"], str) or not group["why"].strip():
            raise ContentError(f"{spot} why: say in a line why this group exists")
        for key in keys[2:]:
            if not isinstance(group[key], bool):
                raise ContentError(f"{spot} {key}: expected true or false")
            if group[key]:
                flagged[key].append(name)
        out[name] = _text_list(group["patterns"], f"{spot} patterns", "pattern")
    return out, flagged


def _load_safety(data: dict[str, Any]) -> SafetyNet:
    where = "prompts/safety.toml"
    keys = ("resources", "words", "spelling", "negation", "intent", "crisis", "check", "except")
    _exact_keys(data, keys, where)
    if not isinstance(data["resources"], str) or not data["resources"].strip():
        raise ContentError(f"{where} resources: the text is empty")
    words = _table(data["words"], f"{where} [words]")
    for name, entries in words.items():
        _text_list(entries, f"{where} words.{name}")
    spelling = _table(data["spelling"], f"{where} [spelling]")
    _exact_keys(spelling, ("why", "same", "typos"), f"{where} [spelling]")
    same = _table(spelling["same"], f"{where} [spelling.same]")
    for word, entries in same.items():
        _text_list(entries, f"{where} spelling.same.{word}")
    negation = _table(data["negation"], f"{where} [negation]")
    _exact_keys(negation, ("why", "negators", "between"), f"{where} [negation]")
    intent = _table(data["intent"], f"{where} [intent]")
    _exact_keys(intent, ("why", "cues"), f"{where} [intent]")
    exceptions, flagged = _safety_groups(
        data["except"], f"{where} except", ("unless_intended", "still_check")
    )
    try:
        return SafetyNet.build(
            crisis=_safety_groups(data["crisis"], f"{where} crisis")[0],
            check=_safety_groups(data["check"], f"{where} check")[0],
            exceptions=exceptions,
            unless_intended=flagged["unless_intended"],
            still_check=flagged["still_check"],
            words=words,
            same=same,
            typos=_text_list(spelling["typos"], f"{where} spelling.typos", "word"),
            negators=_text_list(negation["negators"], f"{where} negation.negators"),
            between=_text_list(negation["between"], f"{where} negation.between"),
            cues=_text_list(intent["cues"], f"{where} intent.cues"),
            resources=data["resources"],
        )
    except PatternError as exc:
        raise ContentError(f"{where} {exc}") from exc


def _load_commands(data: dict[str, Any]) -> dict[str, CommandText]:
    # That the texts match the command set is checked next to it (bot/commands.py, check_texts);
    # here, that each entry has its parts and every text fits a picker.
    where = "prompts/commands.toml"
    out = {}
    for name, raw in data.items():
        spot = f"{where} [{name}]"
        entry = _table(raw, spot)
        parts = ("description", "subcommands", "options")
        _exact_keys(entry, [k for k in parts if k in entry or k == "description"], spot)
        texts = {"description": entry["description"]}
        subs = _table(entry.get("subcommands", {}), f"{spot}.subcommands")
        opts = _table(entry.get("options", {}), f"{spot}.options")
        for key, text in [*texts.items(), *subs.items(), *opts.items()]:
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"{spot} {key}: the text is empty")
            if len(text) > 100:
                raise ContentError(f"{spot} {key}: {len(text)} characters; pickers show 100")
        out[name] = CommandText(entry["description"], dict(subs), dict(opts))
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= _flatten(value, f"{full}.")
        else:
            out[full] = value
    return out


def _load_messages(data: dict[str, Any], *more: dict[str, Any]) -> dict[str, Template]:
    where = "prompts/messages.toml"
    flat = _flatten(data)
    for extra in more:
        # Another file of messages (writing.toml): its keys join these, none twice.
        extra_flat = _flatten(extra)
        twice = sorted(set(flat) & set(extra_flat))
        if twice:
            raise ContentError(f"{where} and prompts/writing.toml: both have {', '.join(twice)}")
        flat |= extra_flat
    _exact_keys(flat, tuple(MESSAGES), where)
    out = {}
    for key, allowed in MESSAGES.items():
        source = flat[key]
        if not isinstance(source, str):
            raise ContentError(f"{where} {key}: expected text")
        out[key] = make_template(key, source, allowed, f"{where} {key}")
    return out


def load_content(directory: Path | None = None) -> Content:
    """Load and check every prompts/*.toml file (from the installed package by default)."""
    encouragement = _load_encouragement(_read(directory, "encouragement.toml"))
    themes, stage_themes = _load_themes(_read(directory, "themes.toml"))
    questions, responses = _load_checkins(_read(directory, "checkins.toml"))
    drafts = _load_drafts(_read(directory, "drafts.toml"))
    messages = _load_messages(_read(directory, "messages.toml"), _read(directory, "writing.toml"))
    milestones_dm, milestones_channel = _load_milestones(_read(directory, "milestones.toml"))
    return Content(
        closings=_load_closings(_read(directory, "reflection.toml")),
        milestones_dm=milestones_dm,
        milestones_channel=milestones_channel,
        safety=_load_safety(_read(directory, "safety.toml")),
        commands=_load_commands(_read(directory, "commands.toml")),
        encouragement=encouragement,
        themes=themes,
        stage_themes=stage_themes,
        checkin_questions=questions,
        checkin_responses=responses,
        drafts=drafts,
        messages=messages,
    )


def band(feeling: int | None) -> str:
    """The feeling band of a 1-5 feeling; an unknown feeling reads as middling."""
    if feeling is None or feeling == 3:
        return "middling"
    return "low" if feeling <= 2 else "steady"
