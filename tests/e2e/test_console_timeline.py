"""The timeline in the terminal: a bare /rejected asks the stage; /rejections edits, deletes."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_a_bare_rejected_asks_for_the_stage_and_logs_the_one_picked(tmp_path):
    result = run(tmp_path, ["/rejected", "4", "/rejections", ":quit"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Which stage did it come at?" in out
    assert "[4] Final round" in out and "[6] Somewhere else" in out
    assert "Logged: a no at the final round stage" in out
    # Asking logged nothing: the one no is the one picked.
    assert "1 in all" in out and "#1 · no company given · final round · Thu 26 Nov 2026" in out


def test_the_timeline_pages_edits_and_deletes_and_keeps_the_points(tmp_path):
    lines = [f"/rejected company:Co{n} stage:screen" for n in range(6)]
    first = run(
        tmp_path,
        [
            *lines,
            "/rejected company:Acme stage:technical",
            "1",  # Reflect now
            "I froze on the SQL question but talked through it",
            # Skip the rest (two to four questions), then the next step's reminder: done.
            *["skip"] * 4,
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    second = run(
        tmp_path,
        [
            "/rejections",
            "1",  # Older
            '/rejections edit id:1 company:Umbrella role:"Data analyst" stage:final',
            "/rejections edit id:1",
            "/rejections edit id:1 role:" + "r" * 121,
            "/rejections delete id:7",
            "2",  # Keep it
            "/rejections delete id:7",
            "1",  # Delete it
            "/rejections",
            "/streak",
            "/rejections page:x",
            "/rejections page:0",
            ":quit",
        ],
    )
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert "Your rejections · page 1 of 2 · 7 in all" in out
    assert "#7 · Acme · technical interview · Thu 26 Nov 2026 · reflected on" in out
    assert "#6 · Co5 · screening · Thu 26 Nov 2026 · not reflected on yet" in out
    assert "[1] Older" in out
    assert "Your rejections · page 2 of 2 · 7 in all" in out and "[1] Newer" in out
    assert "Saved. #1 now reads: Umbrella (Data analyst) · final round" in out
    assert "Nothing to change on #1 yet" in out
    assert "That role is 121 characters; I can keep up to 120" in out
    assert "Delete #7, Acme at the technical interview stage" in out
    assert "Okay, #7 stays as it is." in out
    assert "Deleted #7. Your reflections and points are untouched." in out
    assert "Your rejections · page 1 of 2 · 6 in all" in out
    assert "Points this week: 5" in out
    assert 'The page should be a number; "x" isn\'t one.' in out
    assert '"0" isn\'t a page number' in out
    assert "Traceback" not in out + second.stderr
    # Kept across a restart: the correction and the deletion.
    third = run(tmp_path, ["/rejections 2", ":quit"]).stdout
    assert "#1 · Umbrella (Data analyst) · final round" in third
