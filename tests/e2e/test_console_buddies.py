"""Practice buddies in the terminal: four people join, the clock reaches the round, DMs arrive."""

from __future__ import annotations

import re

from tests.e2e.test_console import run


def test_four_people_join_and_each_gets_a_dm_naming_their_partner_at_the_round(tmp_path):
    # The clock starts on Thursday 26 November 2026, 15:00 UTC; the round is Monday at 09:00.
    result = run(
        tmp_path,
        [
            "/admin buddies:weekly buddy_day:monday buddy_hour:9",
            "/buddy join focus:mock timezone:Europe/London",
            ":as Sam",
            "/buddy join focus:mock timezone:Europe/Berlin",
            ":as Priya",
            "/buddy join focus:accountability timezone:Asia/Kolkata",
            ":as Lee",
            "/buddy join focus:either",
            "/buddy status",
            ":advance 4d",
            "1",  # Lee presses "We met" on the intro
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Practice buddies: every week, Mondays at 09:00" in out
    assert out.count("You're in. Each round I'll pair you") == 4
    # Lee gave no timezone: asked for one, and nothing about anyone else in the pool.
    assert "what's your timezone?" in out
    status = out.split("Lee> /buddy status")[1].split("Lee> ")[0]
    assert "You're in, with mock interviews or accountability" in status
    assert not any(name in status for name in ("Sam", "Priya", "you,"))
    intros = re.findall(
        r"\[DM(?: to (\w+))? · Monday 30 November, [0-9:]+\] Your practice buddy", out
    )
    # Lee, typing now, reads theirs untagged; the others' DMs say whom they went to.
    assert sorted(i or "Lee" for i in intros) == ["Lee", "Priya", "Sam", "you"]
    blocks = out.split("[DM")
    named = {}
    for block in blocks:
        if "Your practice buddy for this round" not in block:
            continue
        who = re.match(r"(?: to (\w+))?", block).group(1) or "Lee"
        partner = re.search(r"paired with (\w+)", block).group(1)
        named[who] = partner
        assert "[1] We met" in block and "[2] Couldn't make it" in block
        assert f"Block {partner}" in block
        assert re.search(r"Your time now: Monday 30 November, \d\d:\d\d", block)
    # Close clocks meet: London with Berlin, Kolkata with Lee (on the community's UTC).
    assert named["you"] == "Sam" and named["Sam"] == "you"
    assert named["Priya"] == "Lee" and named["Lee"] == "Priya"
    assert "Sam's time now: Monday 30 November, 10:00" in out
    assert "A plan for half an hour" in out  # Priya and Lee: accountability (Lee said either)
    assert "Practising with Priya counts as effort" in out
