"""/insights in the terminal: a promise while data is thin, then months, stage, trend, card."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_insights_wait_for_three_data_points_then_show_months_stage_trend_and_card(tmp_path):
    result = run(
        tmp_path,
        [
            "/insights",
            "/applied Acme",
            "/applied Initech",
            "/rejected Acme screen",
            "/rejected Initech final",
            ":advance 6d",  # into December, a new month in the same quarter
            "/applied Umbrella",
            "/rejected Umbrella final round",
            "/insights",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Not much to go on yet: 0 entries so far." in out
    assert "[private] Your insights" in out
    assert "September to December 2026, newest month first:" in out
    assert "December: 1 application, 1 no (1 final round)" in out
    assert "November: 2 applications, 2 no's (1 screening, 1 final round)" in out
    assert "October: 0 applications, 0 no's" in out
    assert "Most no's came at the final round stage: 2 of 3." in out
    assert "saying plainly that you want the role" in out
    assert "You reached the final round 2 times this quarter and 0 times last quarter." in out
    assert "You're getting further into the process more often." in out
    assert "File saved: " in out and "insights.png (Insights card:" in out
    assert (tmp_path / "files" / "insights.png").stat().st_size < 200_000
    assert "Traceback" not in out + result.stderr
