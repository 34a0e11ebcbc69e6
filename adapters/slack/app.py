"""The Slack app: Bolt's AsyncApp in HTTP mode or Socket Mode, and the Slack Messenger."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, listeners
from bot.app import App
from bot.config import Settings
from bot.models import CommunityRef, PersonRef, Reply
from bot.pacing import PacedMessenger, slack_pacer
from bot.ports import RateLimited, TemporaryFailure, Undeliverable

logger = logging.getLogger(__name__)

PLATFORM = "slack"
# Errors after which a DM or post will never go through; anything else is worth retrying.
UNDELIVERABLE = {
    "cannot_dm_bot",
    "not_in_channel",
    "channel_not_found",
    "user_not_found",
    "user_disabled",
    "account_inactive",
    "is_archived",
    "messages_tab_disabled",
    "restricted_action",
    "user_is_bot",
    "missing_scope",
    "not_allowed_token_type",
    "invalid_auth",
}


def web_client(settings: Settings) -> AsyncWebClient:
    """The Web API client, pointed at Slack or a local double, honouring 429 Retry-After."""
    base = (settings.slack_api_url or "https://slack.com/api").rstrip("/") + "/"
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=base)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


def build_app(app: App, settings: Settings) -> AsyncApp:
    """Rebound's Bolt app: listeners registered, work after ack() running in the background."""
    bolt = AsyncApp(
        signing_secret=settings.slack_signing_secret or "",
        client=web_client(settings),
        process_before_response=False,
        # Socket Mode events arrive over Slack's own websocket and carry no HTTP signature.
        request_verification_enabled=bool(settings.slack_signing_secret),
    )
    listeners.register(bolt, listeners.Deps(core=app.core, clock=app.clock))
    return bolt


class SlackMessenger:
    """The Messenger port on Slack: DMs through conversations.open, posts in channels."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        """DM a person in the app's conversation with them."""
        text, made = blocks.render(reply)
        try:
            channel = await listeners.open_dm(self._client, person.user_id)
            await self._client.chat_postMessage(channel=channel, text=text, blocks=made)
            # A card (the monthly ledger's) follows its message into the DM, with alt text.
            await listeners.upload(self._client, channel, reply)
        except SlackApiError as exc:
            raise _plain(exc) from exc

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        """Post in a channel (the app must be a member)."""
        text, made = blocks.render(reply)
        try:
            await self._client.chat_postMessage(channel=channel_id, text=text, blocks=made)
        except SlackApiError as exc:
            raise _plain(exc) from exc


def _plain(exc: SlackApiError) -> Exception:
    """A Slack API error as one of the port's three kinds of failure."""
    error = listeners.slack_error(exc)
    if exc.response.status_code == 429 or error == "ratelimited":
        retry = float(exc.response.headers.get("Retry-After", 1))
        return RateLimited(f"slack {error}", retry)
    if error in UNDELIVERABLE:
        return Undeliverable(f"slack {error}")
    return TemporaryFailure(f"slack {exc.response.status_code} {error}")


async def run_slack(app: App, settings: Settings) -> None:
    """Serve Slack until the app is stopped: Socket Mode when an app token is set, else HTTP."""
    bolt = build_app(app, settings)
    messenger = PacedMessenger(SlackMessenger(bolt.client), slack_pacer())
    app.reminders.register(PLATFORM, messenger)
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token)
        await handler.connect_async()
        try:
            await app.until_stopped()  # reminders drained before the socket closes under them
        finally:
            await handler.close_async()
        return
    runner = web.AppRunner(bolt.web_app(path="/slack/events", port=settings.slack_port))
    await runner.setup()
    site = web.TCPSite(runner, "0.0.0.0", settings.slack_port)
    await site.start()
    logger.info("Slack HTTP mode listening on :%s/slack/events", settings.slack_port)
    try:
        await app.until_stopped()  # reminders drained before the server closes under them
    finally:
        # Stops listening first, then lets requests under way finish (aiohttp's grace).
        await runner.cleanup()
