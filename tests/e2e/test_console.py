"""The terminal adapter end to end: a scripted session piped into `rebound console`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.process import environment

REBOUND = Path(sys.executable).with_name("rebound")


def run(
    tmp_path: Path, lines: list[str], *, command: str = "console", extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    # The clock starts on Thursday 26 November 2026, 15:00 UTC: dates read the same any day.
    env = environment(tmp_path, extra_env)
    return subprocess.run(
        [str(REBOUND), command],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env of the developer's is read
        env=env,
        timeout=60,
    )


def test_the_whole_rejection_journey_and_restart_persistence(tmp_path):
    first = run(
        tmp_path,
        [
            '/rejected company:Acme role:"Data analyst" stage:final feeling:3 '
            'note:"they went with someone senior"',
            "1",  # Reflect now
            "I explained the dashboard project too quickly",
            "1",  # skip the second prompt
            "The hiring manager asked sharp questions and I liked that",
            "ask Priya for a mock interview by friday",
            "/streak",
            ":advance 2d",
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "[private] Logged: a no from Acme at the final round stage" in out
    assert "[1] Reflect now" in out and "[3] Share with the community" in out
    assert "[DM] Reflection on Acme · 1 of 3" in out
    assert "[DM] Reflection on Acme · 3 of 3" in out
    assert "[DM] Reflection saved to your journal" in out
    assert re.search(r"2 of 3 questions|2 answers written", out)
    assert 'Got it: "ask Priya for a mock interview". I\'ll remind you on Friday 27 November' in out
    assert "Current streak: 1 week" in out
    assert "Points this week: 5" in out
    assert "The clock now reads Saturday 28 November" in out
    assert "Traceback" not in out + first.stderr

    second = run(tmp_path, ["/journal", "/streak", ":quit"])
    assert second.returncode == 0, second.stderr
    assert "I explained the dashboard project too quickly" in second.stdout
    assert "Next step: ask Priya for a mock interview, due Friday 27 November" in second.stdout
    assert "Current streak: 1 week" in second.stdout
    # The simulated clock kept its place: it is still Saturday after the restart.
    assert "The clock now reads Saturday 28 November" in run(tmp_path, [":advance 1m"]).stdout


def test_people_channels_and_bad_lines(tmp_path):
    result = run(
        tmp_path,
        [
            "/rejected stage:screen",
            "3",  # Share with the community
            "2",  # anonymously
            ":as Sam",
            "/leaderboard join",
            "/checkin mood:4",
            "/leaderboard",
            "/rejectd",
            "/rejected feeling:9",
            '/rejected note:"never closed',
            ":dance",
            "7",
            "/export",
        ],
    )
    assert result.returncode == 0  # end of input is a normal exit
    out = result.stdout
    assert "[#general]" in out and "Someone here just heard no" in out
    assert "You are now Sam." in out
    assert "1. Sam: 1 point, streak 1 week" in out
    assert "Did you mean /rejected?" in out
    assert "Feeling goes from 1 (awful) to 5" in out
    assert "[error] A quote is not closed" in out
    assert '[error] I don\'t know ":dance"' in out
    assert "[error] The last message has no buttons to press." in out
    saved = list((tmp_path / "files").glob("rebound-export-*.json"))
    assert len(saved) == 1 and "Sam" in saved[0].read_text()
    assert "Bye for now" in out


def test_run_without_tokens_starts_the_terminal_with_a_hint(tmp_path):
    result = run(tmp_path, [":quit"], command="run")
    assert result.returncode == 0
    assert result.stdout.startswith("No Discord or Slack token is configured")


@pytest.mark.parametrize(
    ("name", "value"), [("REBOUND_TIMEZONE", "Mars/Base"), ("LOG_LEVEL", "SHOUTY")]
)
def test_a_bad_setting_stops_start_up_with_one_line_and_status_2(tmp_path, name, value):
    result = run(tmp_path, [":quit"], extra_env={name: value})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rebound: {name}=")
    assert "Traceback" not in result.stderr


def test_reminders_arrive_at_ten_local_and_survive_a_restart(tmp_path):
    first = run(
        tmp_path,
        [
            "/settings timezone:Europe/Berlin",
            "/rejected company:Acme stage:final feeling:3",
            "2",  # Follow up with the recruiter: the draft is due the next business day
            ":reminders",
            ":advance 2d",
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Your upcoming reminders" in out
    # Each reminder arrives at its own local time, stamped with it, in due order.
    nudge = out.index("[DM · ")
    assert "A gentle nudge" in out[nudge : nudge + 200]
    assert "10:00] Checking in" in out
    assert "10:00] Time for your note" in out
    assert out.index("Time for your note") < out.index("Checking in")

    # Restart: the snoozed and still-pending reminders are all still there.
    second = run(tmp_path, [":reminders", ":advance 5d", ":quit"])
    assert second.returncode == 0, second.stderr
    assert "check-in" in second.stdout
    assert "10:00] Checking in" in second.stdout


def test_snooze_and_done_on_a_reminder(tmp_path):
    result = run(
        tmp_path,
        [
            "/followup add contact:Dana company:Acme",
            ":advance 1d",
            "4",  # Next week
            ":reminders",
            ":advance 8d",
            "1",  # I sent it
            ":reminders",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Okay, I'll bring it back on Friday 4 December, 10:00" in out
    assert "Friday 4 December, 10:00: follow-up note" in out
    assert out.count("Time for your note to Dana") == 2
    assert "Sent. " in out and "superpower" not in out
    assert "I'll ask whether Dana replied" in out
    last = out.rsplit("Your upcoming reminders", 1)[1]
    # Only the question what the note led to is left, a week out; no hello unless asked for.
    assert "did your note get a reply?" in last and "follow-up note" not in last


def test_rebound_reminders_lists_what_is_pending(tmp_path):
    run(tmp_path, ["/rejected stage:screen"])
    listing = run(tmp_path, [], command="reminders")
    assert listing.returncode == 0, listing.stderr
    # Two check-ins, a nudge, and the month's ledger.
    assert listing.stdout.count("pending ") == 4
    assert "4 pending, 0 sending, 0 failed, 0 undeliverable" in listing.stdout


def test_three_people_a_board_a_digest_and_cards(tmp_path):
    result = run(
        tmp_path,
        [
            "/admin channel:general day:friday hour:16 timezone:Europe/Berlin",
            ":as Ada",
            "/leaderboard join",
            "/checkin mood:4",
            "/followup add contact:Priya",
            "1",  # I sent it
            ":as Sam",
            "/leaderboard join",
            "/checkin mood:3",
            ":as Lee",
            "/checkin mood:2",  # never joins the board
            "/admin sharing:off",
            ":advance 2d",
            ":as Sam",
            "/leaderboard",
            "/streak",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Only this community's admins can change" in out
    assert "[#general · Friday 27 November, 16:00] This week in Terminal" in out
    assert "2 check-ins" not in out and "3 check-ins" in out and "1 follow-up sent" in out
    board = out.split("[private] Resilience board · Terminal: this week", 1)[1]
    assert "1. Ada: 4 points, streak 1 week" in board
    assert "2. Sam: 1 point, streak 1 week" in board
    assert "Lee" not in board.split("You're number")[0]
    assert "You're number 2 of 2." in board
    images = sorted(p.name for p in (tmp_path / "files").glob("*.png"))
    assert images == ["leaderboard.png", "streak.png"]
    assert "File saved: " in out and "(Resilience streak card. Current streak: 1 week." in out
