"""Issue 14 item 11: commands read the way people type them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from adapters.console.parse import CommandLine, LineError, parse_line
from bot import commands
from bot.core import Rebound
from bot.freetext import parse_rejection
from bot.vocab import UserError
from tests.conftest import count_held, in_channel, text_of


async def typed(core: Rebound, line: str) -> str:
    """What the person reads after typing a command line (a refusal as the adapters show it)."""
    try:
        name, sub, options = commands.parse_invocation(line.lstrip("/"))
    except UserError as exc:
        return core.content.msg(exc.key, **exc.values).plain()
    return text_of(await commands.run(core, in_channel(), name, sub, options))


async def test_options_only_add_takes_mean_add(core: Rebound) -> None:
    out = await typed(core, '/followup contact:"Sam Lee" company:Initech')
    assert "Draft:" in out and "Sam," in out and "Sam Lee," not in out and "Initech" in out


async def test_a_bare_mood_is_a_checkin(core: Rebound) -> None:
    out = await typed(core, "/checkin 3")
    me = await core.store.people.find("test", "alex")
    assert me is not None and await count_held(core.store, me.id, "checkins") == 1
    assert "takes options" not in out


async def test_a_bare_mood_then_words_saves_the_words_as_the_note(
    core: Rebound, db_path: Path
) -> None:
    await typed(core, "/checkin 2 rough week, two rejections")
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("SELECT mood, note FROM checkins").fetchall() == [
            (2, "rough week, two rejections")
        ]


async def test_a_bare_view_shows_that_board(core: Rebound) -> None:
    out = await typed(core, "/leaderboard month")
    assert "this month" in out and "doesn't have" not in out


async def test_a_bare_id_marks_that_followup_sent(core: Rebound) -> None:
    await typed(core, "/followup add contact:Dana")
    out = await typed(core, "/followup sent 1")
    assert out.startswith("Sent.")


async def test_a_word_with_no_place_is_still_refused_kindly(core: Rebound) -> None:
    out = await typed(core, "/streak extra")
    assert 'not sure what "extra" is for' in out


def test_free_text_rejection_finds_the_stage_at_the_end() -> None:
    parsed = parse_rejection("Acme data analyst final round")
    assert (parsed.company, parsed.role, parsed.stage) == ("Acme", "data analyst", "final")
    at = parse_rejection("data analyst at Acme Corp, screening call")
    assert (at.company, at.role, at.stage, at.unclear) == (
        "Acme Corp",
        "data analyst",
        "screen",
        False,
    )


def test_a_name_without_a_stage_stays_whole() -> None:
    assert parse_rejection("Acme Corp").company == "Acme Corp"


def test_the_terminal_reads_rejected_with_the_free_text_reader() -> None:
    line = parse_line("/rejected Acme data analyst final round")
    assert line == CommandLine(
        "rejected", None, {"company": "Acme", "role": "data analyst", "stage": "final"}
    )
    assert parse_line('/rejected company:"a b"') == CommandLine(
        "rejected", None, {"company": "a b"}
    )


def test_terminal_errors_never_show_internal_values() -> None:
    for raw in ('/rejected company:"Acme', "/followup sent 1 2", '/checkin 3 note:x "y'):
        try:
            parse_line(raw)
        except LineError as exc:
            assert all("Text(" not in str(v) for v in exc.values.values()), exc.values
