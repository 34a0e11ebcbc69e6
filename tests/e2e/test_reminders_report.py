"""`rebound reminders`: the operator's listing says how many there are, not only what it shows."""

from __future__ import annotations

from tests.e2e.process import rebound
from tests.e2e.test_console import run


def test_the_listing_says_how_many_exist_in_all_when_it_shows_fewer(tmp_path):
    run(tmp_path, ["/rejected stage:screen", ":as Sam", "/rejected stage:final"])
    listing = rebound(tmp_path, "reminders", "--limit", "2")
    assert listing.returncode == 0, listing.stderr
    rows = [line for line in listing.stdout.splitlines() if " pending " in line]
    assert len(rows) == 2
    # Each no: two check-ins and a nudge; each person: the month's ledger.
    assert "Showing 2 of 8 reminders." in listing.stdout
    assert "8 pending, 0 sending, 0 failed, 0 undeliverable" in listing.stdout


def test_the_totals_count_only_the_states_asked_for(tmp_path):
    run(tmp_path, ["/rejected stage:screen"])
    listing = rebound(tmp_path, "reminders", "--status", "pending", "--limit", "1")
    assert listing.returncode == 0, listing.stderr
    assert "Showing 1 of 4 reminders." in listing.stdout
    assert listing.stdout.rstrip().endswith("\n4 pending")
