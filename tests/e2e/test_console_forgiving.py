"""Issue 14: the terminal forgives how people type commands (item 11)."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_commands_typed_the_way_people_type_them(tmp_path):
    result = run(
        tmp_path,
        [
            "/rejected Acme data analyst final round",
            "/checkin 3",
            "/leaderboard month",
            '/followup contact:"Sam Lee" company:Initech',
            "/followup sent 1",
            "/followup sent 1 2",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Logged: a no from Acme at the final round stage" in out
    assert "takes options written as name:value" in out  # only for the stray "2"
    assert out.count("takes options written as name:value") == 1
    assert 'doesn\'t have "month"' not in out and "this month" in out
    assert "Hi Sam," in out or "Hello Sam," in out  # greeted by first name
    assert "Sent. " in out
    assert "Text(" not in out


def test_three_rejections_in_one_day_bring_one_checkin_that_names_them(tmp_path):
    result = run(
        tmp_path,
        [
            "/settings nudges:off",
            "/rejected company:Acme stage:screen",
            "/rejected company:Initech stage:final",
            "/rejected company:Umbrella stage:application",
            ":advance 2d",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Checking in") == 1
    assert "On Thursday you logged several at once: Acme, Initech and Umbrella." in out


def test_streak_and_board_words_agree_and_checkins_count_once_a_day(tmp_path):
    result = run(
        tmp_path,
        [
            "/leaderboard join",
            "/leaderboard",
            "/checkin 3",
            "/checkin 4 a walk helped",
            "/streak",
            ":advance 21d",
            "/streak",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Nobody has joined" not in out and "No one has points here yet (this week)" in out
    assert "today's point is already counted" in out
    first, later = out.split("The clock now reads", 1)
    assert "Points this week: 1" in first
    assert "Your streak is paused for now. Your best run of 1 week still stands" in later
    assert "No streak yet" not in later
