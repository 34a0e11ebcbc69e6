"""The benchmark at tiny sizes, so `make bench` cannot rot: every figure comes out, and sane."""

from benchmarks.run import SMOKE, run_all, table
from tests import pg

POSTGRES = {"pg_commands", "pg_reminders", "pg_leaderboard"}


async def test_every_benchmark_runs_at_smoke_size(tmp_path):
    results = await run_all(SMOKE, tmp_path)
    sqlite = {"commands", "reminders", "leaderboard", "buddies", "startup", "safety"}
    assert set(results) == sqlite | (POSTGRES if pg.server_url() else set())
    assert results["commands"]["calls"] == SMOKE.callers * SMOKE.calls_each
    assert results["commands"]["throughput_per_s"] > 0
    commands = results["commands"]
    assert commands["flat_out_p99_ms"] >= commands["flat_out_p50_ms"] > 0
    for load in ("200_per_s", "800_per_s", "half_floor"):
        assert commands[f"at_{load}_p99_ms"] >= commands[f"at_{load}_p50_ms"] > 0
    assert results["reminders"]["sent"] == SMOKE.reminders  # every due reminder went out
    assert results["reminders"]["apscheduler_add_s"] > 0
    assert results["leaderboard"]["p99_ms_at_1000_rows"] > 0
    assert results["startup"]["ready_s"] > 0
    assert results["safety"]["mean_us_per_sentence"] > 0
    buddies = results["buddies"]
    assert buddies["large_round_1_s"] > 0 and buddies["large_unplaced"] == 0
    # Every placed person gets an intro and a follow-through: two DMs each, in both rounds.
    assert buddies["many_dms_planned"] == 2 * 2 * SMOKE.buddy_communities * SMOKE.buddy_members
    rendered = table(results)
    assert "target:" in rendered and "speedup_schedule_plus_restart" in rendered
    if pg.server_url():
        assert results["pg_commands"]["throughput_per_s"] > 0
        assert results["pg_commands"]["floor_insert_commit_per_s"] > 0
        assert results["pg_reminders"]["dispatch_s_2_process"] > 0  # every reminder was sent
        assert results["pg_leaderboard"]["p99_ms_at_1000_rows"] > 0
