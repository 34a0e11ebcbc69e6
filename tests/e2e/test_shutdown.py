"""SIGTERM and SIGINT stop the real `rebound` process cleanly on every adapter, with status 0."""

from __future__ import annotations

import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.discord_double import TOKEN, DiscordDouble
from tests.e2e.process import finish, spawn, until_output
from tests.e2e.slack_double import BOT_TOKEN, SECRET, SlackDouble


def assert_folded(tmp_path: Path) -> None:
    """The database was checkpointed and closed: the file alone holds everything."""
    assert (tmp_path / "rebound.db").exists()
    wal = tmp_path / "rebound.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_the_terminal_stops_on_a_signal_with_stdin_still_open(tmp_path, sig):
    process = await spawn(tmp_path, "console")
    await until_output(process.stdout, b"Rebound in your terminal")
    process.stdin.write(b"/checkin mood:4\n")
    await process.stdin.drain()
    await until_output(process.stdout, b"[private]")
    process.send_signal(sig)  # stdin stays open: nothing else would end the session
    status, out, err = await finish(process)
    assert status == 0, err
    assert out.rstrip().endswith("Bye for now. Everything is saved.")
    assert "Traceback" not in err
    assert_folded(tmp_path)


@pytest.fixture
async def discord_double() -> AsyncIterator[DiscordDouble]:
    fake = DiscordDouble()
    await fake.start()
    yield fake
    await fake.stop()


def discord_env(double: DiscordDouble, token: str = TOKEN) -> dict[str, str]:
    return {
        "DISCORD_TOKEN": token,
        "DISCORD_API_URL": double.api_url,
        "DISCORD_GATEWAY_URL": double.gateway_url,
        "LOG_LEVEL": "INFO",
    }


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_discord_closes_the_gateway_with_a_close_frame_and_exits_0(
    tmp_path, discord_double, sig
):
    process = await spawn(tmp_path, "run", extra_env=discord_env(discord_double))
    await until_output(process.stderr, b"connected to Discord")
    process.send_signal(sig)
    status, _, err = await finish(process)
    assert status == 0, err
    assert "Traceback" not in err
    closed = await discord_double.wait_for(
        lambda calls: [c.body for c in calls if c.path == "gateway:CLOSE"]
    )
    assert closed == [{"code": 1000}]  # a close frame, not a dropped connection (1006)
    assert_folded(tmp_path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def test_slack_stops_serving_http_and_exits_0_on_sigterm(tmp_path):
    double = SlackDouble()
    await double.start()
    port = free_port()
    try:
        process = await spawn(
            tmp_path,
            "run",
            extra_env={
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": f"{double.base}/api",
                "SLACK_PORT": str(port),
                "LOG_LEVEL": "INFO",
            },
        )
        await until_output(process.stderr, b"Slack HTTP mode listening")
        assert listening(port)
        process.send_signal(signal.SIGTERM)
        status, _, err = await finish(process)
    finally:
        await double.stop()
    assert status == 0, err
    assert "Traceback" not in err
    assert not listening(port)
    assert_folded(tmp_path)
