"""Running `rebound` as a real process: its environment, and reading its output with a deadline."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

REBOUND = Path(sys.executable).with_name("rebound")


def environment(tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The process environment: this machine's, minus any Rebound or platform settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("REBOUND_", "DISCORD_", "SLACK_"))
    }
    env |= {
        "REBOUND_DB_PATH": str(tmp_path / "rebound.db"),
        "REBOUND_FILES_DIR": str(tmp_path / "files"),
        "LOG_LEVEL": "WARNING",
        "REBOUND_CLOCK_START": "2026-11-26T15:00:00+00:00",
    }
    return env | (extra or {})


def rebound(
    tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    """Run `rebound ARGS` to the end with stdin as its input."""
    return subprocess.run(
        [str(REBOUND), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env of the developer's is read
        env=environment(tmp_path, extra_env),
        timeout=60,
    )


def start(tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `rebound ARGS` in the background, stdin kept open, output piped."""
    return subprocess.Popen(
        [str(REBOUND), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(tmp_path, extra_env),
    )


def read_until(stream: IO[bytes], marker: bytes, limit: float = 30) -> bytes:
    """Read a process's output until marker appears; fail after limit seconds (a safety net)."""
    seen = b""
    deadline = time.monotonic() + limit
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while marker not in seen:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError(f"no {marker!r} within {limit}s; saw {seen[-2000:]!r}")
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"output ended before {marker!r}; saw {seen[-2000:]!r}")
            seen += chunk
    return seen
