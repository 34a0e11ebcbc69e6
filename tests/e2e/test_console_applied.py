"""/applied in the terminal: one line logs an application, a point a day, kept across restarts."""

from __future__ import annotations

import json

from tests.e2e.test_console import run


def test_applications_log_in_one_line_and_earn_one_point_a_day(tmp_path):
    first = run(
        tmp_path,
        [
            '/applied company:Acme role:"Data analyst" source:LinkedIn',
            "/applied Initech",
            "/applied company:" + "c" * 121,
            ":advance 1d",
            "/applied Hooli source:referral",
            "/applied colour:red",
            "/streak",
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "[private] Application logged" in out
    assert "Logged: Acme (Data analyst), via LinkedIn. That's 1 application this week." in out
    assert "Logged: Initech. That's 2 applications this week." in out
    assert "Today's application point is already counted" in out
    assert "That company is 121 characters; I can keep up to 120" in out
    assert "Logged: Hooli, via referral. That's 3 applications this week." in out
    assert 'no option "colour"' in out
    # One point on Thursday, one on Friday: three applications, two points.
    assert "Points this week: 2" in out
    assert "Traceback" not in out + first.stderr
    second = run(tmp_path, ["/export", ":quit"])
    [export] = (tmp_path / "files").glob("rebound-export-*.json")
    held = json.loads(export.read_text())["tables"]["applications"]
    assert [a["company"] for a in held] == ["Acme", "Initech", "Hooli"]
    assert second.returncode == 0
