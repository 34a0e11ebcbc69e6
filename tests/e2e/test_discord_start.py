"""Starting Discord with a refused token or with Discord out of reach: one clear line each time."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket

from adapters.discord.client import RETRY_CAP, run_discord
from bot.app import build
from bot.config import load_settings
from bot.ports import FixedClock
from tests.conftest import START
from tests.e2e import test_discord as base
from tests.e2e.discord_double import TOKEN
from tests.e2e.process import finish, spawn, until_output

BAD_TOKEN = TOKEN.replace("fake", "wrong")
# The same Discord double as test_discord.py.
double = base.double


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_refused_token_stops_start_up_with_one_line_and_status_2(tmp_path, double):
    process = await spawn(
        tmp_path,
        "run",
        extra_env={
            "DISCORD_TOKEN": BAD_TOKEN,
            "DISCORD_API_URL": double.api_url,
            "DISCORD_GATEWAY_URL": double.gateway_url,
        },
    )
    status, out, err = await finish(process)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rebound: DISCORD_TOKEN was refused by Discord (401 Unauthorized)")
    assert BAD_TOKEN not in out + err and "fake" not in err  # the token itself is never shown
    assert not double.find("GATEWAY", "IDENTIFY")


def unreachable_settings(tmp_path, api_url: str, gateway_url: str):
    return load_settings(
        {
            "REBOUND_DB_PATH": str(tmp_path / "rebound.db"),
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_URL": api_url,
            "DISCORD_GATEWAY_URL": gateway_url,
        },
        env_file=None,
    )


async def retry_a_few_times(settings, attempts: int) -> list[float]:
    """Run Discord until it has waited `attempts` times; the waits are recorded, not slept."""
    waits: list[float] = []
    async with build(settings, clock=FixedClock(START), schedule=False) as app:

        async def pause(seconds: float) -> None:
            waits.append(seconds)
            if len(waits) == attempts:
                app.stop.set()

        await asyncio.wait_for(run_discord(app, settings, pause=pause), 30)
    return waits


def discord_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith(("adapters.discord", "discord"))]


async def test_an_unreachable_api_is_retried_with_capped_back_off_one_line_each(
    tmp_path, caplog, double
):
    port = closed_port()
    settings = unreachable_settings(
        tmp_path, f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/gateway"
    )
    with caplog.at_level(logging.INFO):
        waits = await retry_a_few_times(settings, attempts=11)
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, RETRY_CAP, RETRY_CAP]
    said = [r for r in discord_lines(caplog) if r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" (")[0] for r in said] == ["Discord unreachable"] * 11
    assert said[0].getMessage().endswith("retrying in 1 s")
    assert said[-1].getMessage().endswith("retrying in 300 s")
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in discord_lines(caplog))


async def test_an_unreachable_gateway_is_retried_the_same_way(tmp_path, caplog, double):
    settings = unreachable_settings(
        tmp_path, double.api_url, f"ws://127.0.0.1:{closed_port()}/gateway"
    )
    with caplog.at_level(logging.INFO):
        waits = await retry_a_few_times(settings, attempts=3)
    assert waits == [1, 2, 4]
    assert len(double.find("GET", "/users/@me")) == 3  # each attempt logged in, then failed
    said = [r for r in discord_lines(caplog) if r.levelno >= logging.WARNING]
    assert len(said) == 3 and all("Discord unreachable" in r.getMessage() for r in said)
    assert all(r.exc_info is None for r in discord_lines(caplog))


async def test_an_api_url_that_answers_errors_is_said_in_one_line_and_retried(
    tmp_path, caplog, double
):
    wrong = double.api_url.replace("/api/v10", "/not-the-api")  # answers 404 to everything
    settings = unreachable_settings(tmp_path, wrong, double.gateway_url)
    with caplog.at_level(logging.INFO):
        waits = await retry_a_few_times(settings, attempts=2)
    assert waits == [1, 2]
    said = [r.getMessage() for r in discord_lines(caplog) if r.levelno >= logging.WARNING]
    assert len(said) == 2
    assert said[0].startswith("Discord answered with an error (NotFound: 404 Not Found")
    assert all(r.exc_info is None for r in discord_lines(caplog))


async def test_the_process_says_so_while_retrying_and_stops_at_once_on_sigterm(tmp_path):
    port = closed_port()
    process = await spawn(
        tmp_path,
        "run",
        extra_env={
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_URL": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/gateway",
        },
    )
    await until_output(process.stderr, b"retrying in 1 s")
    process.send_signal(signal.SIGTERM)  # during the wait: no need to sit it out
    status, _, err = await finish(process, limit=10)
    assert status == 0, err
    assert "Traceback" not in err


async def test_rebound_discord_sync_with_a_refused_token_says_so_in_one_line(tmp_path, double):
    process = await spawn(
        tmp_path,
        "discord",
        "sync",
        extra_env={
            "DISCORD_TOKEN": BAD_TOKEN,
            "DISCORD_API_URL": double.api_url,
            "DISCORD_GATEWAY_URL": double.gateway_url,
        },
    )
    status, _, err = await finish(process)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rebound: DISCORD_TOKEN was refused"), err
