from datetime import timedelta

import pytest

from adapters.console.parse import (
    Advance,
    CommandLine,
    DirectMessage,
    LineError,
    Press,
    Quit,
    SwitchPerson,
    parse_line,
)


def test_command_with_plain_and_quoted_options():
    line = parse_line('/rejected company:Acme role:"Data analyst" note:"they said \\"no\\""')
    assert line == CommandLine(
        "rejected", None, {"company": "Acme", "role": "Data analyst", "note": 'they said "no"'}
    )


def test_values_may_contain_colons_and_apostrophes():
    line = parse_line("/settings quiet:21:00-08:00 timezone:America/New_York")
    assert line == CommandLine(
        "settings", None, {"quiet": "21:00-08:00", "timezone": "America/New_York"}
    )
    assert parse_line('/checkin mood:3 note:"it\'s fine"') == CommandLine(
        "checkin", None, {"mood": "3", "note": "it's fine"}
    )


def test_a_subcommand_is_the_first_bare_word():
    assert parse_line("/followup add contact:Dana") == CommandLine(
        "followup", "add", {"contact": "Dana"}
    )
    assert parse_line("/leaderboard join") == CommandLine("leaderboard", "join", {})


def test_other_line_kinds():
    assert parse_line("2") == Press(2)
    assert parse_line(":as Sam") == SwitchPerson("Sam")
    assert parse_line(":advance 2d") == Advance(timedelta(days=2))
    assert parse_line(":advance 1d 12h") == Advance(timedelta(days=1, hours=12))
    assert parse_line(":advance 45m") == Advance(timedelta(minutes=45))
    assert parse_line(":quit") == Quit()
    assert parse_line("I think I rushed it") == DirectMessage("I think I rushed it")
    assert parse_line("   ") is None


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('/rejected note:"open', "error.unclosed_quote"),
        ("/", "error.missing_command"),
        (":advance soon", "console.bad_advance"),
        (":advance 0m", "console.bad_advance"),
        (":dance", "console.unknown_colon"),
        (":as", "console.bad_as"),
        ("/rejected company:Acme stray", "error.positional"),
    ],
)
def test_lines_that_cannot_be_understood_say_why(line, key):
    with pytest.raises(LineError) as caught:
        parse_line(line)
    assert caught.value.key == key


def test_digits_that_are_not_ascii_are_a_dm_not_a_button():
    assert parse_line("²") == DirectMessage("²")
