"""Running `rebound` as a real process: its environment, and reading its output with a deadline."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

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


async def spawn(
    tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    """Start `rebound ARGS` from async code (a double in this event loop keeps answering it)."""
    return await asyncio.create_subprocess_exec(
        str(REBOUND),
        *args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(tmp_path, extra_env),
    )


async def until_output(stream: asyncio.StreamReader, marker: bytes, limit: float = 30) -> bytes:
    """Read a running process's output until marker appears; fail after limit seconds."""
    seen = b""

    async def read() -> bytes:
        nonlocal seen
        while marker not in seen:
            chunk = await stream.read(65536)
            if not chunk:
                raise AssertionError(f"output ended before {marker!r}; saw {seen[-3000:]!r}")
            seen += chunk
        return seen

    try:
        return await asyncio.wait_for(read(), limit)
    except TimeoutError:
        raise AssertionError(f"no {marker!r} within {limit}s; saw {seen[-3000:]!r}") from None


async def finish(process: asyncio.subprocess.Process, limit: float = 30) -> tuple[int, str, str]:
    """Wait for a process to exit: its status and the rest of its output."""
    try:
        out, err = await asyncio.wait_for(process.communicate(), limit)
    except TimeoutError:
        process.kill()
        out, err = await process.communicate()
        raise AssertionError(f"still running after {limit}s; stderr {err[-3000:]!r}") from None
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
