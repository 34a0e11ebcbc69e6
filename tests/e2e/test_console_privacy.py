"""Data stays with its owner, through the terminal: owner-only files, no link followed, no words
in the logs."""

from __future__ import annotations

from tests.conftest import mode
from tests.e2e.test_console import run


def test_exports_cards_and_their_folder_are_owner_only(tmp_path, loose_umask):
    result = run(
        tmp_path,
        ["/checkin mood:4", "/streak", "/leaderboard join", "/leaderboard", "/export", ":quit"],
    )
    assert result.returncode == 0, result.stderr
    files = tmp_path / "files"
    saved = {p.name: oct(mode(p)) for p in files.iterdir()}
    assert saved == {
        "streak.png": "0o600",
        "leaderboard.png": "0o600",
        "rebound-export-2026-11-26.json": "0o600",
    }
    assert oct(mode(files)) == "0o700"
    assert oct(mode(tmp_path / "rebound.db")) == "0o600"


def test_a_link_planted_at_the_export_name_is_not_followed(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    (files / "rebound-export-2026-11-26.json").symlink_to(elsewhere)  # dangling

    result = run(tmp_path, ["/export", ":quit"])

    assert result.returncode == 0, result.stderr
    assert not elsewhere.exists()
    saved = files / "rebound-export-2026-11-26-1.json"
    assert f"File saved: {saved}" in result.stdout
    assert '"format": "rebound-export/1"' in saved.read_text()
    assert (files / "rebound-export-2026-11-26.json").is_symlink()  # left as it was


def test_a_files_folder_that_cannot_be_made_gets_a_clear_message_and_nothing_is_lost(tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder should go")
    files = tmp_path / "blocker" / "files"
    result = run(
        tmp_path,
        ["/export", "/checkin mood:4", "/journal", ":quit"],
        extra_env={"REBOUND_FILES_DIR": str(files)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"I couldn't save rebound-export-2026-11-26.json in {files}" in result.stdout
    # The session goes on: the next commands are answered and saved.
    assert "Check-in saved." in result.stdout
    assert "Bye for now" in result.stdout


# Words a person types in a journey; none of them is in prompts/ or in the schema.
TYPED = (
    "Zephyrine",
    "Vantablack Widgets",
    "marmalade lighthouse keeper",
    "periwinkle harbour answer",
    "tangerine observatory evening",
    "Ottoline Brackenridge",
)


def test_debug_logs_hold_none_of_the_words_a_person_typed(tmp_path):
    result = run(
        tmp_path,
        [
            f":as {TYPED[0]}",
            f'/rejected company:"{TYPED[1]}" stage:final feeling:3 note:"{TYPED[2]}"',
            "1",  # Reflect now
            TYPED[3],
            f'/checkin mood:2 note:"{TYPED[4]}"',
            f'/followup add contact:"{TYPED[5]}"',
            "/journal",
            "/export",
            ":advance 3d",
            ":quit",
        ],
        extra_env={"LOG_LEVEL": "DEBUG"},
    )
    assert result.returncode == 0, result.stderr
    # The journey really happened, and the log really was at DEBUG.
    assert TYPED[3] in result.stdout and TYPED[5] in result.stdout
    assert " DEBUG " in result.stderr
    assert [word for word in TYPED if word in result.stderr] == []
