import pathlib
import re

import pytest

from bot.content import (
    BANDS,
    MESSAGES,
    STAGES,
    THEMES,
    ContentError,
    Template,
    load_content,
    make_template,
)
from bot.models import Text
from tests.conftest import edit_copy

DISCORD_MESSAGE_LIMIT = 2000
LONG = "W" * 120  # the longest name or company a person may type
ROOT = pathlib.Path(__file__).resolve().parents[2]


def all_pools(content):
    for (stage, feeling_band), pool in content.encouragement.items():
        yield f"encouragement {stage}.{feeling_band}", pool
    for key, theme in content.themes.items():
        yield f"themes.{key}.reframes", theme.reframes
        yield f"themes.{key}.next_steps", theme.next_steps
        yield f"themes.{key}.acknowledgements", theme.acknowledgements
        yield f"themes.{key}.interview_steps", theme.interview_steps
        yield f"themes.{key}.prompts.ask", [p.ask for p in theme.prompts]
        yield f"themes.{key}.prompts.follow_up", [p.follow_up for p in theme.prompts]
    yield "checkins.questions", content.checkin_questions
    for mood, pool in content.checkin_responses.items():
        yield f"checkins.responses.{mood}", pool
    for kind, draft in content.drafts.items():
        yield f"drafts.{kind}", draft.texts
    yield "reflection.closings", content.closings
    for weeks, pool in content.milestones_dm.items():
        yield f"milestones.dm.{weeks}", pool
    for weeks, pool in content.milestones_channel.items():
        yield f"milestones.channel.{weeks}", pool


def test_every_template_renders_with_and_without_optional_values(content):
    for where, pool in all_pools(content):
        for template in pool:
            full = template.render({name: LONG for name in template.names}).plain()
            bare = template.render({name: LONG for name in template.required}).plain()
            for rendered in (full, bare):
                assert "{" not in rendered and "}" not in rendered, (where, rendered)
                assert len(rendered) <= DISCORD_MESSAGE_LIMIT, where
                for line in rendered.splitlines():
                    # A missing optional value must not leave a gap or a stray space before
                    # punctuation behind.
                    assert "  " not in line.strip(), (where, line)
                    assert not re.search(r" [,.!?]", line), (where, line)
            assert LONG not in bare or template.required, where


def test_every_message_renders_within_the_strictest_limit(content):
    for key, template in content.messages.items():
        rendered = template.render({name: LONG for name in MESSAGES[key]}).plain()
        assert "{" not in rendered, key
        assert len(rendered) <= DISCORD_MESSAGE_LIMIT, key


def test_stage_map_and_pools_cover_every_stage_band_and_theme(content):
    assert set(content.stage_themes) == set(STAGES)
    for stage in STAGES:
        assert set(content.stage_themes[stage]) <= set(THEMES)
        for feeling_band in BANDS:
            assert len(content.encouragement[(stage, feeling_band)]) >= 6
    assert set(content.themes) == set(THEMES)
    for theme in content.themes.values():
        assert len(theme.prompts) >= 10 and theme.reframes and theme.next_steps
    assert set(content.milestones_dm) == set(content.milestones_channel) == {4, 8, 12, 26, 52}


def test_optional_parts_read_naturally_when_values_are_missing():
    template = make_template(
        "t",
        "Thanks{? {contact}}, for the chat{? about {role}}.",
        frozenset({"contact", "role"}),
        "t",
    )
    assert template.render(contact="Dana", role=None).plain() == "Thanks Dana, for the chat."
    assert template.render(contact="", role="QA").plain() == "Thanks, for the chat about QA."


def test_plurals_and_literal_braces():
    template = make_template("t", "{n} {n|week|weeks} {{ok}", frozenset({"n"}), "t")
    assert template.render(n=1).plain() == "1 week {ok}"
    assert template.render(n=3).plain() == "3 weeks {ok}"


def test_typed_values_stay_marked_for_escaping():
    template = make_template("t", "Hi {name}!", frozenset({"name"}), "t")
    rendered = template.render(name="@everyone")
    assert rendered.render(lambda s: s.replace("@", "@\u200b")) == "Hi @\u200beveryone!"
    assert template.render(name=Text.of("ours")).render(str.upper) == "Hi ours!"


def test_a_missing_required_value_is_a_bug_not_a_blank():
    template = make_template("t", "Hi {name}", frozenset({"name"}), "t")
    with pytest.raises(KeyError):
        template.render()


def test_every_message_key_is_used_by_the_code():
    source = "".join(
        p.read_text()
        for p in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("adapters").rglob("*.py")]
        if not p.name.startswith("message_keys")  # the lists of keys themselves
    )
    derived = (
        "stage.",
        "followup.channel.",
        "reminder.kind.",
        "board.view.",
        "board.unranked.",
        "outcome.",
        "writing.day.",
        "timeline.stage_button.",
        "insights.reached.",
        "insights.suggest.",
        "skills.ordinal.",
        "skills.status.",
        "connect.answer.",
        "connect.button.",
        "ledger.",
        "hired.",
    )
    derived += ("buddy.focus.", "buddy.agenda.", "buddy.questions.")
    unused = [k for k in MESSAGES if f'"{k}"' not in source and not k.startswith(derived)]
    assert unused == []


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "messages.toml",
            'saved = "Saved."',
            'saved = "Saved."\nsurprise = "hi"',
            "unknown key settings.surprise",
        ),
        ("messages.toml", 'saved = "Saved."', "", "missing settings.saved"),
        (
            "messages.toml",
            'saved = "Saved."',
            'saved = "Saved {when}."',
            "unknown placeholder {when}",
        ),
        ("messages.toml", 'saved = "Saved."', 'saved = "  "', "settings.saved: the text is empty"),
        (
            "themes.toml",
            'offer = ["direction", "fit", "resilience", "network"]\n',
            "",
            "missing offer",
        ),
        (
            "themes.toml",
            '"resilience", "direction", "skills", "network"]',
            '"resilience", "hope"]',
            "unknown theme hope",
        ),
        (
            "encouragement.toml",
            "Noted{? about {company}}.",
            "Noted about {company}.",
            "must sit inside",
        ),
        ("drafts.toml", "Best wishes,\n{name}", "Best wishes,\n{name", "bad placeholder"),
        ("checkins.toml", '"Wonderful. Enjoy it.', '"{? Wonderful. Enjoy it.', "not closed"),
    ],
)
def test_broken_wording_stops_start_up_naming_file_and_key(prompts_copy, file, old, new, expected):
    edit_copy(prompts_copy, file, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(prompts_copy)
    assert f"prompts/{file}" in str(caught.value)
    assert expected in str(caught.value)


def test_template_keys_change_with_the_text_so_edits_reset_variety(content):
    keys = [t.key for _, pool in all_pools(content) for t in pool if isinstance(t, Template)]
    encouragement_keys = [t.key for pool in content.encouragement.values() for t in pool]
    assert len(set(encouragement_keys)) == len(encouragement_keys)
    assert all(re.fullmatch(r"[a-z_.0-9]+#[0-9a-f]{10}|[a-z_]+\.[pf]", k) for k in keys)
