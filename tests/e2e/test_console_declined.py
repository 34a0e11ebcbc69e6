"""Issue 14 item 14 in the terminal: an offer turned down is logged, and followed up, as such."""

from __future__ import annotations

from tests.e2e.test_console import run


def test_an_offer_turned_down_is_never_called_a_no(tmp_path):
    result = run(
        tmp_path,
        [
            "/declined company:Acme role:Analyst feeling:3",
            "/rejected company:Initech stage:final outcome:declined",
            "/rejected company:Umbrella stage:offer outcome:declined",
            ":advance 1d",
            ":quit",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Logged: you declined an offer from Acme" in out
    assert 'goes with the offer stage, not "final"' in out  # refused, kindly
    assert "Logged: you declined an offer from Umbrella" in out
    assert "Yesterday you turned down an offer from Acme." in out
    assert "a no from" not in out
