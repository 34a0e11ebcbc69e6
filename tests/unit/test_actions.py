"""Button action ids: one format and one parse, the same wire format as ever, refusals kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actions import PATTERN, Action
from bot.vocab import DIGITS_MAX
from tests.conftest import in_channel, text_of

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
IDS = st.lists(st.integers(min_value=0, max_value=10**DIGITS_MAX - 1), max_size=4)
# Ids as typed by anyone: our letters and digits, the separator, and look-alikes of each.
RAW = st.text(alphabet="abfjoinrstu:0179٣²+- AZ\u200b", max_size=40)


def before(text: str) -> tuple[str, str, list[int]] | None:
    """How `Rebound.press` read an id before Action existed (the oracle for no change)."""
    parts = text.split(":")
    verb, sub = [*parts, "", ""][:2]
    numbers = []
    for part in parts[2:]:
        if not (part.isascii() and part.isdigit() and len(part) <= DIGITS_MAX):
            return None
        numbers.append(int(part))
    return verb, sub, numbers


@given(WORDS, WORDS, IDS)
def test_every_action_formats_to_an_id_that_parses_back_to_it(verb, sub, ids):
    action = Action(verb, sub, *ids)
    text = action.format()
    assert Action.parse(text) == action
    assert PATTERN.fullmatch(text)  # Slack routes every id Rebound sends
    assert text == ":".join([verb, sub, *map(str, ids)])


@given(RAW)
def test_parse_reads_what_press_read_before_and_refuses_the_rest(text):
    old = before(text)
    new = Action.parse(text)
    if new is not None:
        assert old == (new.verb, new.sub, list(new.ids))
        assert Action.parse(new.format()) == new
    elif old is not None:
        # Refused now only where press matched nothing before: a verb or sub that is no word.
        verb, sub, _ = old
        assert not (verb.isascii() and verb.isalpha() and verb.islower()) or not (
            sub.isascii() and sub.isalpha() and sub.islower()
        )


@pytest.mark.parametrize(
    ("action", "wire"),
    [
        (Action("reflect", "start", 12), "reflect:start:12"),
        (Action("reflect", "skip", 3, 2), "reflect:skip:3:2"),
        (Action("step", "when", 4, 7), "step:when:4:7"),
        (Action("rem", "snooze", 5, 168), "rem:snooze:5:168"),
        (Action("followup", "sent", 9), "followup:sent:9"),
        (Action("checkin", "mood", 3), "checkin:mood:3"),
        (Action("board", "join"), "board:join"),
        (Action("forget", "confirm"), "forget:confirm"),
    ],
)
def test_ids_already_sent_keep_their_exact_form(action, wire):
    assert action.format() == wire
    assert Action.parse(wire) == action


@pytest.mark.parametrize(
    "text",
    [
        "reflect:start:٣",  # a digit to Python, never in an id we sent
        "reflect:start:²",
        "reflect:start:" + "9" * (DIGITS_MAX + 1),
        "reflect:start:" + "9" * 5000,
        "reflect:start:",
        "reflect:start:-1",
        "reflect::1",
        "reflect",
        "",
        "Reflect:start:1",
    ],
)
def test_parse_refuses_what_rebound_never_sent(text):
    assert Action.parse(text) is None


def test_an_action_rebound_could_not_read_back_is_a_bug_where_it_is_made():
    with pytest.raises(ValueError):
        Action("reflect", "start", 10**DIGITS_MAX)
    with pytest.raises(ValueError):
        Action("reflect:start", "x")
    with pytest.raises(ValueError):
        Action("reflect", "start", -1)


def test_arg_is_none_past_the_numbers_given():
    action = Action("reflect", "skip", 3)
    assert (action.arg(0), action.arg(1)) == (3, None)


async def test_every_button_core_sends_is_read_back_by_press(core):
    replies = await core.rejected(in_channel(), company="Acme", stage="final", feeling=4)
    ids = [b.action_id for r in replies for b in r.buttons]
    assert ids and all(Action.parse(i) is not None and PATTERN.fullmatch(i) for i in ids)
    reply = await core.press(in_channel(), next(i for i in ids if i.startswith("reflect:")))
    assert "recognise that button" not in text_of(reply)
    assert "reflection" in text_of(reply).lower()
