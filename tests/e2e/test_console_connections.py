"""Follow-ups that become connections, in the terminal: the DM a week on, and what follows."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_a_week_after_sending_rebound_asks_and_a_reply_plans_the_hello(tmp_path):
    result = run(
        tmp_path,
        [
            "/followup add contact:Priya company:Acme",
            "/followup sent 1",
            ":reminders",
            ":advance 7d",
            "4",  # Not yet
            ":advance 7d",
            "1",  # They replied
            ":reminders",
            "/followup add contact:Sam company:Hooli",
            "/followup sent 3",
            ":advance 7d",
            "5",  # No reply
            "1",  # Plan a stay-in-touch hello anyway
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "On Thursday 3 December I'll ask whether Priya replied" in out
    # No stay-in-touch note is planned just because a note was sent.
    first_list = out.split("Your upcoming reminders", 2)[1].split("you>")[0]
    assert "did your note get a reply?" in first_list and "follow-up note" not in first_list
    assert "[DM · Thursday 3 December, 10:00] Did Priya reply?" in out
    assert "[1] They replied" in out and "[5] No reply" in out
    assert "I'll ask about Priya once more next week" in out
    assert "[DM · Thursday 10 December, 10:00] Did Priya reply?" in out
    assert "Priya replied. That's a connection now" in out
    assert "I'll remind you to say hello again around Thursday 21 January" in out
    assert "No reply isn't a verdict on the note or on you" in out
    assert out.count("I'll remind you to say hello again around") == 2
    assert "Traceback" not in out + result.stderr
