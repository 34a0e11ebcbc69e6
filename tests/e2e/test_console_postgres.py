"""The terminal adapter on PostgreSQL: REBOUND_DATABASE_URL, a journey, a restart, a bad URL."""

from __future__ import annotations

from tests.e2e.test_console import run

UNREACHABLE = "postgresql://rebound:s3cret@127.0.0.1:1/rebound"


def test_an_unreachable_database_stops_start_up_with_one_line_naming_it(tmp_path):
    result = run(tmp_path, [":quit"], extra_env={"REBOUND_DATABASE_URL": UNREACHABLE})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rebound: cannot use the database at REBOUND_DATABASE_URL ")
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "rebound.db").exists()  # the URL wins: no SQLite file was made


def test_the_rejection_journey_on_postgresql_survives_a_restart(tmp_path, pg_url):
    on_pg = {"REBOUND_DATABASE_URL": pg_url}
    first = run(
        tmp_path,
        [
            '/rejected company:Acme role:"Data analyst" stage:final feeling:3',
            "1",  # Reflect now
            "I explained the dashboard project too quickly",
            "1",  # skip the second prompt
            "The hiring manager asked sharp questions and I liked that",
            "ask Priya for a mock interview by friday",
            "/leaderboard join",
            ":advance 2d",
            ":quit",
        ],
        extra_env=on_pg,
    )
    assert first.returncode == 0, first.stderr
    assert "[private] Logged: a no from Acme at the final round stage" in first.stdout
    assert "[DM] Reflection saved to your journal" in first.stdout
    assert "The clock now reads Saturday 28 November" in first.stdout
    assert not (tmp_path / "rebound.db").exists()

    second = run(tmp_path, ["/journal", "/streak", "/leaderboard", ":quit"], extra_env=on_pg)
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert "I explained the dashboard project too quickly" in out
    assert "Next step: ask Priya for a mock interview, due Friday 27 November" in out
    assert "Current streak: 1 week" in out
    assert "Traceback" not in out + first.stderr + second.stderr
