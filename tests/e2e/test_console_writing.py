"""Write it out in the real terminal adapter: five days moved through with `:advance`."""

from __future__ import annotations

from tests.e2e.test_console import run

DAYS = [
    ["The call came at lunch. Eight weeks of interviews and a two-line email.", "It stung."],
    ["What still has a hold on me is how sure I was."],
    ["It touches money, and how I talk to my dad about work."],
    ["It means I want a place that answers people."],
    ["I can be let down and keep going.", "To a friend: you were not silly to hope."],
]


def script() -> list[str]:
    lines = ["/writeitout", "1", ":advance 4h"]  # 15:00 to 19:00 on Thursday
    for index, parts in enumerate(DAYS):
        lines += [*parts, "done"]
        if index < len(DAYS) - 1:
            lines.append(":advance 1d")
    return [*lines, "1", "/export", ":quit"]  # day 1 and day 5 side by side, then export


def test_five_days_each_opened_at_the_chosen_hour_closed_with_done_and_the_close(tmp_path):
    result = run(tmp_path, script())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Start, at 19:00 each day" in out
    assert "Day 1 opens in your DMs on Thursday 26 November, 19:00" in out
    for day, date in enumerate(
        ["Thursday 26 November", "Friday 27 November", "Saturday 28 November"], start=1
    ):
        assert f"[DM · {date}, 19:00] Write it out · day {day} of 5" in out
    assert "[DM · Monday 30 November, 19:00] Write it out · day 5 of 5" in out
    assert "Day 1 is closed: 15 words. Day 2 opens on Friday 27 November, 19:00." in out
    assert "Day 4 is closed: 9 words. Day 5 opens on Monday 30 November, 19:00." in out
    assert "Write it out · five days" in out
    assert "day by day: 15, 12, 12, 9 and 17." in out
    side = out.split("Day 1 and day 5\n", 1)[1]
    assert "Eight weeks of interviews" in side and "not silly to hope" in side
    assert "how I talk to my dad" not in side
    assert out.count("Kept. Go on") == 5  # one quiet acknowledgement a day, no grading
    assert "Traceback" not in out + result.stderr
    exported = next((tmp_path / "files").glob("*.json")).read_text()
    assert "how I talk to my dad about work" in exported
    # The points are effort's: 5 a day, and the words never reach the channel.
    assert "[#general]" not in out


def test_a_missed_day_in_the_terminal_is_asked_about_once_and_opens_a_day_later(tmp_path):
    result = run(
        tmp_path,
        ["/writeitout hour:20", "1", ":advance 5h", ":advance 1d", "1", ":advance 1d", ":quit"],
    )
    out = result.stdout
    assert "[DM · Thursday 26 November, 20:00] Write it out · day 1 of 5" in out
    assert "Day 1 didn't happen yesterday, and that's all right" in out
    assert "Tomorrow at 20:00, then." in out
    assert "[DM · Saturday 28 November, 20:00] Write it out · day 1 of 5" in out
