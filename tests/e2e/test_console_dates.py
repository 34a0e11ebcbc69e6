"""Dates and times people mean, end to end in the terminal: a scripted `rebound console`."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_next_tuesday_on_a_monday_is_the_tuesday_of_the_following_week(tmp_path):
    # The console's clock starts on Thursday 26 November 2026, 15:00 UTC: four days on is Monday.
    result = run(
        tmp_path,
        [
            ":advance 4d",
            "/rejected company:Acme stage:final feeling:1",
            "1",  # Reflect now
            "tired but okay today, honestly",
            "my sister helped me think it through",
            "ask Priya for a mock interview by next tuesday",
            "/followup add contact:Dana when:tuesday",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The clock now reads Monday 30 November" in out
    assert (
        'Got it: "ask Priya for a mock interview". I\'ll remind you on Tuesday 8 December, 10:00'
        in out
    )
    assert "I'll remind you on Tuesday 1 December, 10:00" in out
    assert "Traceback" not in out + result.stderr


def test_a_day_typed_alone_after_when_keeps_the_step(tmp_path):
    result = run(
        tmp_path,
        [
            "/rejected company:Acme stage:final feeling:1",
            "1",  # Reflect now
            "tired but okay today, honestly",
            "my sister helped me think it through",
            "go climbing with Jo",
            "saturday",
            "/journal",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'Saved your step: "go climbing with Jo". When should I nudge you?' in out
    assert 'Got it: "go climbing with Jo". I\'ll remind you on Saturday 28 November, 10:00' in out
    assert "Next step: go climbing with Jo, due Saturday 28 November" in out
    assert "Next step: saturday" not in out


def test_a_new_timezone_keeps_reminders_at_the_same_local_time(tmp_path):
    result = run(
        tmp_path,
        [
            "/settings timezone:Europe/Berlin",
            "/followup add contact:Dana when:2026-12-02",
            "/settings timezone:Asia/Kolkata",
            ":reminders",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    listing = result.stdout.rsplit("Your upcoming reminders", 1)[1]
    assert "Wednesday 2 December, 10:00: follow-up note" in listing
    assert "14:30" not in listing


def test_the_reminder_list_shows_real_times_pauses_and_what_is_left_out(tmp_path):
    notes = [f'/followup add contact:Dana when:"{day} dec"' for day in range(1, 24)]
    result = run(
        tmp_path,
        [
            *notes,
            "/settings quiet:09:00-12:00",
            ":reminders",
            "/settings reminders:off",
            ":reminders",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    _, quiet, paused = result.stdout.split("Your upcoming reminders")
    assert "Tuesday 1 December, 12:00: follow-up note" in quiet
    assert "+3 more after these" in quiet
    assert "Reminders in DMs are off" in paused
    assert "Tuesday 1 December, 12:00: follow-up note (paused)" in paused


def test_timezones_typed_as_people_say_them(tmp_path):
    result = run(
        tmp_path,
        [
            "/settings timezone:GMT+5:30",
            "/settings timezone:Etc/GMT+5",
            "/settings timezone:EST",
            "/settings timezone:IST",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "At UTC+05:30 that could be Asia/Colombo, Asia/Kolkata." in out
    assert 'In "Etc/GMT+5" the sign is inverted: it means UTC−05:00' in out
    assert "Which is yours: America/New_York, America/Toronto, America/Panama?" in out
    assert "Brazil/West" not in out
    assert out.count("Timezone: Asia/Kolkata") == 1  # only IST was saved
