"""A reflection that listens, end to end: scripted sessions piped into `rebound console`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.process import rebound


def console(tmp_path: Path, lines: list[str]) -> str:
    """Everything the terminal printed for a script; the process must end cleanly."""
    # The clock starts on Thursday 26 November 2026, 15:00 UTC.
    result: subprocess.CompletedProcess = rebound(
        tmp_path, "console", stdin="\n".join(lines) + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_typed_skip_and_pause_act_like_the_buttons(tmp_path):
    out = console(
        tmp_path,
        [
            "/rejected company:Umbrella stage:final feeling:3",
            "1",  # Reflect now
            "skip",
            "later",
            "/reflect",
            "skip",
            "skip",
            "/streak",
        ],
    )
    assert "Paused and saved" in out
    assert "We were on question 2 of 3" in out
    assert "No answers this time" in out
    assert "Points this week: 0" in out


def test_a_note_typed_after_todays_checkin_goes_to_todays_checkin(tmp_path):
    out = console(
        tmp_path,
        [
            "/rejected company:Umbrella stage:final feeling:2",
            ":advance 2d",  # the nudge, then Saturday's check-in
            "2",  # a mood of 2 on Saturday; no note follows
            ":advance 5d",  # Thursday's check-in arrives
            "slept well and sent two applications",
            "4",
        ],
    )
    thursday = out.split("[DM · Thursday 3 December, 10:00] Checking in", 1)[1]
    assert "Added to your check-in" not in thursday
    assert "And if you had to give today a number, from 1 (rough) to 5 (good)?" in thursday
    assert "Check-in saved." in thursday


def after(out: str, typed: str) -> list[str]:
    """The lines printed in answer to one typed line, up to the next prompt."""
    return out.split(f"you> {typed}\n", 1)[1].split("you>", 1)[0].splitlines()


def test_one_question_a_turn_a_follow_up_after_a_short_answer_and_an_acknowledgement(tmp_path):
    answers = [
        "not sure",
        "I rushed the system design question and lost the thread",
        "the recruiter and the team lead were both generous with time",
    ]
    out = console(
        tmp_path,
        ["/rejected company:Umbrella stage:final feeling:3", "1", *answers],  # 1: Reflect now
    )
    assert "A line or two is plenty" not in "\n".join(after(out, "1"))  # one question
    follow_up = after(out, answers[0])
    assert follow_up[0] == "[DM] Reflection on Umbrella · 1 of 3 · Interview skills"
    assert "A line or two is plenty, or type skip to move on." in follow_up[3]
    moved_on = after(out, answers[1])
    assert moved_on[0].startswith("[DM] Reflection on Umbrella · 2 of 3")
    assert "A line or two is plenty" not in "\n".join(moved_on)
    acks = [after(out, typed)[1].strip() for typed in answers]
    assert all(acks) and len(set(acks)) == 3  # each answer acknowledged, never the same twice


def test_the_header_names_the_no_and_reflect_asks_which_one(tmp_path):
    out = console(
        tmp_path,
        [
            "/reflect",  # nothing logged yet: a general reflection
            "stop",
            "/rejected company:Acme stage:final feeling:3",
            "1",  # Reflect now
            "I rushed the system design question and lost the thread",
            "stop",
            "/rejected company:Umbrella stage:application feeling:3",
            "/reflect",
            "2",  # Start on the newer one
        ],
    )
    general = after(out, "/reflect")
    assert general[2].startswith("[DM] Reflection · 1 of 3")
    assert "this will be a general reflection" in general[3]
    assert "[DM] Reflection on Acme · 2 of 3" in out
    which = out.rsplit("you> /reflect\n", 1)[1].split("you>", 1)[0]  # the second /reflect
    assert (
        "You paused a reflection on Acme at question 2 of 3, and you haven't looked at "
        "Umbrella yet." in which
    )
    assert "[1] Carry on where I paused" in which and "[2] Start on the newer one" in which
    assert "[DM] Reflection on Umbrella · 1 of 3" in after(out, "2")[2]


def test_the_closing_step_follows_from_what_was_written(tmp_path):
    out = console(
        tmp_path,
        [
            "/rejected company:Umbrella stage:final feeling:3",
            "1",  # Reflect now: interview, fit, network
            "The hardest question was about conflict and my answer wandered",
            "skip",
            "skip",
        ],
    )
    closing = out.rsplit("you> skip\n", 1)[1]
    assert "You wrote most about interview skills, so here is one small step" in closing
    assert "Pick the question you found hardest" in closing
