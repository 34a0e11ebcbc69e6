"""`rebound copy --to postgresql://…`: a SQLite history moves up whole, into an empty target."""

from __future__ import annotations

import json

from bot.store import open_store
from tests.contract.conftest import NOW
from tests.contract.test_accounts import write_everything
from tests.e2e.process import rebound


def canonical(export: dict) -> dict:
    """An export with each section's rows in a fixed order (databases may list them in any)."""
    return {
        kind: sorted(json.dumps(row, sort_keys=True, default=str) for row in found)
        for kind, found in export.items()
    }


async def test_a_copy_round_trip_keeps_every_export_and_refuses_a_second_copy(tmp_path, pg_url):
    db = tmp_path / "rebound.db"
    async with open_store(db) as sqlite:
        people = [await write_everything(sqlite, name) for name in ("Ada", "Bob")]
        ids = [p["person"].id for p in people]
        before = [canonical(await sqlite.accounts.export(i)) for i in ids]
        board_before = await sqlite.boards.view(
            people[0]["community_id"],
            window_key="all",
            period="week",
            index=1,
            me=ids[0],
            top=10,
            around=2,
        )

    copied = rebound(tmp_path, "copy", "--to", pg_url)
    assert copied.returncode == 0, copied.stderr
    lines = copied.stdout.splitlines()
    assert lines[0].startswith(f"Copied {db} into postgresql://")
    assert any(line.split()[:3] == ["rejections", "2", "rows"] for line in lines)
    assert any(line.split()[0] == "board_rows" for line in lines)  # rebuilt, and counted
    assert lines[-1].startswith("All ") and lines[-1].endswith(" tables match.")

    async with open_store(pg_url) as pg:
        after = [canonical(await pg.accounts.export(i)) for i in ids]
        assert after == before  # export before = export after, for every person
        board_after = await pg.boards.view(
            people[0]["community_id"],
            window_key="all",
            period="week",
            index=1,
            me=ids[0],
            top=10,
            around=2,
        )
        assert board_after == board_before
        # Ids continue after the copied ones: a new row never takes an old id.
        fresh = await pg.rejections.add(
            ids[0],
            None,
            company=None,
            role=None,
            stage="screen",
            feeling=None,
            note=None,
            now=NOW,
        )
        assert fresh > people[1]["rejection_id"]

    again = rebound(tmp_path, "copy", "--to", pg_url)
    assert again.returncode == 2
    [line] = again.stderr.strip().splitlines()
    assert "is not empty" in line and "Traceback" not in again.stderr
