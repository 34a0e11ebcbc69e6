"""The monthly ledger in the terminal: /ledger any time, and a DM on the first Monday."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_ledger_shows_the_month_so_far_and_the_review_comes_on_the_first_monday(tmp_path):
    first = run(
        tmp_path,
        [
            "/ledger",
            "/rejected company:Acme stage:final",
            "/applied Initech",
            "/followup add contact:Priya company:Acme",
            "/followup sent 1",
            "/skills add name:negotiation",
            "/skills confident 1",
            "/ledger",
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Nothing logged in November 2026 yet." in out
    assert "[private] Your ledger for November 2026, so far" in out
    for line in (
        "· 1 no logged",
        "· 1 application sent",
        "· 1 skill gap worked on",
        "· 1 skill gap you're confident in now",
        "· 1 follow-up note sent",
    ):
        assert line in out
    assert "ledger.png (Ledger card for November 2026: No's logged: 1; Applications: 1;" in out

    # Across a restart, the review of November comes on Monday 7 December at 10:00.
    second = run(tmp_path, [":reminders", ":advance 7d", "2", ":advance 5d", "/ledger", ":quit"])
    out = second.stdout
    assert "Monday 7 December, 10:00: your monthly ledger" in out
    assert "A referral from Priya" in out
    assert "[DM · Monday 7 December, 10:00] Your ledger for November 2026" in out
    november = out.split("[DM · Monday 7 December, 10:00] Your ledger for November 2026", 1)[1]
    assert "· 1 no logged" in november
    # December has only the referral so far.
    december = out.rsplit("Your ledger for December 2026, so far", 1)[1]
    assert "What your notes led to: 1 referral" in december
    assert "Traceback" not in out + second.stderr
