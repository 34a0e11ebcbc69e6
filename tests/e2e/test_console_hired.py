"""/hired in the terminal: the celebration, the journey card, and the three choices after it."""

from __future__ import annotations

import json

from tests.e2e.test_console import run


def test_a_yes_is_celebrated_with_the_journey_and_the_choices_after_it_work(tmp_path):
    result = run(
        tmp_path,
        [
            "/rejected company:Acme stage:final",
            "/rejected company:Umbrella stage:screen",
            "/applied Initech",
            "/applied Hooli",
            '/hired company:Initech role:"Data analyst"',
            "1",  # Share with my name
            "/hired",
            "3",  # Pause my reminders
            ":reminders",
            "/hired company:Initech",
            "4",  # I'd help others
            "/export",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[private] You got a yes" in out
    assert "Congratulations, you: a yes from Initech, for Data analyst." in out
    assert "I told you so" not in out
    assert "journey.png (Journey card: Applications: 2; No's along the way: 2;" in out
    assert "[1] Share with my name" in out and "[5] Not right now" in out
    [post] = [b for b in out.split("\n[#general]\n")[1:]]
    assert post.startswith("  you just got a yes.")
    # The shout-out names no company: not the yes's, and never a past no's.
    shout = post.split("\n")[0]
    assert "Acme" not in shout and "Umbrella" not in shout and "Initech" not in shout
    assert "Reminders are paused." in out
    assert "paused" in out.split("Your upcoming reminders", 1)[1]
    assert "Thank you. Someone a few steps behind you" in out
    assert "Traceback" not in out + result.stderr
    [export] = (tmp_path / "files").glob("rebound-export-*.json")
    tables = json.loads(export.read_text())["tables"]
    assert [h["company"] for h in tables["hires"]] == ["Initech", None, "Initech"]
    assert [h["willing"] for h in tables["helpers"]] == [1]
