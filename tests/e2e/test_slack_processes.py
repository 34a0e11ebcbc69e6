"""Two Rebound processes behind a load balancer, in Slack's HTTP mode, on one PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from aiohttp import web

from adapters.slack.app import SlackMessenger, build_app
from bot.app import build
from bot.config import load_settings
from bot.ports import FixedClock
from tests.conftest import START
from tests.e2e.slack_double import BOT_TOKEN, SECRET, post, sign
from tests.e2e.test_slack import double, event

__all__ = ["double"]


@asynccontextmanager
async def served(double, tmp_path, url: str, name: str) -> AsyncIterator[str]:
    """One Rebound process's Bolt app on its own port, on the shared database."""
    settings = load_settings(
        {
            "REBOUND_DATABASE_URL": url,
            "REBOUND_FILES_DIR": str(tmp_path / name),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{double.base}/api",
        },
        env_file=None,
    )
    async with build(settings, clock=FixedClock(START), schedule=False) as app:
        bolt = build_app(app, settings)
        app.reminders.register("slack", SlackMessenger(bolt.client))
        runner = web.AppRunner(bolt.web_app(path="/slack/events"))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            yield f"http://127.0.0.1:{port}/slack/events"
        finally:
            await runner.cleanup()


async def test_a_retry_that_reaches_the_other_process_is_handled_once(double, tmp_path, pg_url):
    hello = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU2",
        "user": "U2",
        "text": "hello",
        "ts": "3.0",
    }
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(served(double, tmp_path, pg_url, "a"))
        second = await stack.enter_async_context(served(double, tmp_path, pg_url, "b"))
        body = event("EvRetryElsewhere", hello)
        await post(first, body, "application/json")
        await double.wait_for(lambda calls: double.called("chat.postMessage"))
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = await post(second, body, "application/json", **{**retry, **sign(body)})
        assert status == 200
        # A later, different event on the second process proves the retry was dropped.
        await post(second, event("EvNextElsewhere", {**hello, "ts": "4.0"}), "application/json")
        await double.wait_for(lambda calls: len(double.called("chat.postMessage")) >= 2)
    assert len(double.called("chat.postMessage")) == 2
