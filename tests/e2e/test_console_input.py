"""Absurd numbers typed at `rebound console` are refused kindly, and the session goes on."""

from __future__ import annotations

import pytest

from tests.e2e.test_console import run

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int(): int() itself raises


@pytest.mark.parametrize(
    "line",
    [
        ":advance 99999999999999999999d",
        f":advance {HUGE}m",
        # Each part fits a timedelta; together they pass its limit of 999,999,999 days.
        ":advance " + " ".join(["999999w"] * 150),
        ":advance 3661d",
    ],
    ids=["twenty-digit days", "5000-digit minutes", "many parts past the calendar", "just over"],
)
def test_advancing_the_clock_too_far_is_refused_and_the_clock_stays(tmp_path, line):
    result = run(tmp_path, [line, ":advance 1m", ":quit"])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    out = result.stdout
    assert "[error] That's further than I can move the clock in one go" in out
    assert "up to 3,660 days" in out
    # Nothing moved: a minute later it is still Thursday afternoon.
    assert "The clock now reads Thursday 26 November, 15:01" in out


def test_a_five_thousand_digit_number_is_refused_as_a_button(tmp_path):
    result = run(tmp_path, ["/rejected stage:screen", HUGE, "99999999999999999999", "1", ":quit"])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    out = result.stdout
    assert out.count("[error] That number is too long to be a button") == 2
    assert HUGE not in out.replace(f"you> {HUGE}", "")  # the refusal does not echo it back
    assert (
        "[DM] Reflection on your screening no · 1 of 3" in out
    )  # the buttons still work afterwards
