"""Data stays with its owner: owner-only files, and an erase that leaves no bytes behind."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.models import PersonRef
from bot.store import StoreError, open_store
from tests.conftest import START, count_held, mode
from tests.integration.erase_worker import SECRETS, journey, make_core

ROOT = Path(__file__).resolve().parents[2]
REBOUND = Path(sys.executable).with_name("rebound")


def files_of(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


def left_in(db: Path) -> dict[str, list[str]]:
    """Which of the secrets each of the database's files still holds, as raw bytes."""
    found = {}
    for path in files_of(db):
        data = path.read_bytes() if path.exists() else b""
        found[path.name] = [s for s in SECRETS if s.encode() in data]
    return found


# -- owner-only files --------------------------------------------------------------------


async def test_a_new_database_its_log_files_and_its_folders_are_owner_only(tmp_path, loose_umask):
    (tmp_path / "srv").mkdir(mode=0o755)  # a folder the operator made is theirs to set
    db = tmp_path / "srv" / "data" / "deeper" / "rebound.db"
    async with open_store(db) as store:
        await store.people.ensure(PersonRef("test", "alex", "Alex"), START)
        assert {p.name: oct(mode(p)) for p in files_of(db)} == {
            "rebound.db": "0o600",
            "rebound.db-wal": "0o600",
            "rebound.db-shm": "0o600",
        }
    assert oct(mode(tmp_path / "srv" / "data")) == "0o700"
    assert oct(mode(tmp_path / "srv" / "data" / "deeper")) == "0o700"
    assert oct(mode(tmp_path / "srv")) == "0o755"


async def test_a_readable_database_from_an_earlier_version_is_tightened_on_open(
    tmp_path, loose_umask
):
    db = tmp_path / "rebound.db"
    earlier = sqlite3.connect(db)  # still open, so its -wal and -shm stay on disk
    try:
        earlier.execute("PRAGMA journal_mode = WAL")
        earlier.execute("CREATE TABLE t (x)")
        earlier.commit()
        assert {oct(mode(p)) for p in files_of(db)} == {"0o644"}
        async with open_store(db, busy_timeout_ms=100):
            assert {p.name: oct(mode(p)) for p in files_of(db)} == {
                "rebound.db": "0o600",
                "rebound.db-wal": "0o600",
                "rebound.db-shm": "0o600",
            }
    finally:
        earlier.close()


async def test_a_database_path_that_cannot_be_made_is_a_clear_store_error(tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should go")
    with pytest.raises(StoreError, match=r"cannot open .*blocker/rebound\.db"):
        await open_store(tmp_path / "blocker" / "rebound.db").open()


async def test_a_backup_is_owner_only_from_its_first_byte(tmp_path, store, loose_umask):
    target = tmp_path / "copy.db"
    await store.backup(target)
    assert oct(mode(target)) == "0o600"


def backup_cli(tmp_path: Path, target: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REBOUND_", "LOG_"))}
    env["REBOUND_DB_PATH"] = str(tmp_path / "rebound.db")
    return subprocess.run(
        [str(REBOUND), "backup", str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_rebound_backup_writes_an_owner_only_copy(tmp_path, loose_umask):
    result = backup_cli(tmp_path, tmp_path / "copy.db")
    assert result.returncode == 0, result.stderr
    assert oct(mode(tmp_path / "copy.db")) == "0o600"
    assert oct(mode(tmp_path / "rebound.db")) == "0o600"


def test_rebound_backup_never_follows_a_link_planted_at_its_path(tmp_path):
    elsewhere = tmp_path / "elsewhere.db"
    (tmp_path / "copy.db").symlink_to(elsewhere)  # dangling: exists() says it is not there
    result = backup_cli(tmp_path, tmp_path / "copy.db")
    assert result.returncode == 2
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert not elsewhere.exists()


# -- an erase leaves nothing readable ----------------------------------------------------


async def test_forget_leaves_none_of_the_words_in_the_database_or_its_log(db_path, store):
    core = make_core(store)
    person_id = await journey(core)
    before = left_in(db_path)
    assert sorted({s for found in before.values() for s in found}) == sorted(SECRETS)

    await store.accounts.forget(person_id)

    assert left_in(db_path) == {"rebound.db": [], "rebound.db-wal": [], "rebound.db-shm": []}
    # Nobody else lost anything.
    sam = await store.people.find("test", "sam")
    assert sam is not None and await count_held(store, sam.id, "rejections") == 1


async def test_a_log_left_by_a_process_killed_after_an_erase_is_emptied_on_the_next_start(
    tmp_path,
):
    db = tmp_path / "rebound.db"
    worker = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "tests.integration.erase_worker", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == -signal.SIGKILL, worker.stderr
    # The killed process left the words in its write-ahead log: the case this test is about.
    assert left_in(db)["rebound.db-wal"]

    async with open_store(db) as store:
        assert left_in(db) == {"rebound.db": [], "rebound.db-wal": [], "rebound.db-shm": []}
        assert await store.people.find("test", "zq") is None
        assert await store.people.find("test", "sam") is not None
