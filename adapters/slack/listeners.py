"""Slack listeners: each turns a request into a Context and one call on the core.

Callbacks live at module level and find their dependencies in Bolt's context, so a test can
call them; `register(app)` wires them per group.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks
from bot import actions, commands
from bot.core import Rebound
from bot.freetext import Parsed, parse_rejection
from bot.models import CommunityRef, Context, PersonRef, Reply, Where
from bot.ports import Clock
from bot.store import ts
from bot.vocab import UserError

logger = logging.getLogger(__name__)

PLATFORM = "slack"
SEEN_EVENTS = 10_000
# Commands with their own slash: the three people reach for in the moment.
OWN_SLASH = ("rejected", "reflect", "checkin")


@dataclass(frozen=True, slots=True)
class Known:
    """What users.info last said about a person."""

    display: str
    admin: bool


@dataclass
class Deps:
    """What the listeners need, reached through Bolt's context."""

    core: Rebound
    clock: Clock
    seen: OrderedDict[str, None] = field(default_factory=OrderedDict)
    # When this process last forgot the shared record of old event ids.
    pruned_at: datetime | None = None
    people: dict[str, Known] = field(default_factory=dict)


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code from a failed call, or its HTTP status when the body was not JSON."""
    data = exc.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{exc.response.status_code}"


def deps_of(context: Any) -> Deps:
    """The dependencies stored in Bolt's context by the middleware."""
    return context["rebound"]


# -- who and where ----------------------------------------------------------------------------


class AdminUnchecked(Exception):
    """Slack could not say whether the person is an admin, so an admin action cannot go on."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx.person.user_id)
        self.ctx = ctx


async def _look_up(deps: Deps, client: AsyncWebClient, user_id: str) -> Known | None:
    """Ask users.info about a person; None when Slack could not answer (never remembered)."""
    try:
        info = (await client.users_info(user=user_id))["user"]
    except SlackApiError as exc:
        logger.warning("users.info for %s failed: %s", user_id, slack_error(exc))
        return None
    except (aiohttp.ClientError, TimeoutError) as exc:
        logger.warning("users.info for %s failed: %s", user_id, type(exc).__name__)
        return None
    profile = info.get("profile") or {}
    display = profile.get("display_name") or info.get("real_name") or ""
    known = Known(display, bool(info.get("is_admin") or info.get("is_owner")))
    first = user_id not in deps.people
    deps.people[user_id] = known
    tz = info.get("tz")
    if first and tz:
        ref = PersonRef(PLATFORM, user_id, display or user_id)
        await deps.core.learn_timezone(ref, tz, deps.clock.now())
    return known


async def context_for(
    deps: Deps,
    client: AsyncWebClient,
    *,
    user_id: str,
    name: str,
    team_id: str | None,
    channel_id: str | None,
    in_dm: bool | None = None,
    check_admin: bool = False,
) -> Context:
    """A Context from Slack's ids; admin rights only when asked, and asked of Slack then.

    Admin status is checked fresh at each admin action, so a demoted admin loses the rights at
    once; a failed check raises AdminUnchecked rather than deciding either way.
    """
    if in_dm is None:
        in_dm = bool(channel_id and channel_id.startswith("D"))  # Slack's DM channels
    check_admin = check_admin and not in_dm and team_id is not None
    known = deps.people.get(user_id)
    fresh = None
    if known is None or check_admin:
        fresh = await _look_up(deps, client, user_id)
        known = fresh or known
    person = PersonRef(PLATFORM, user_id, (known.display if known else "") or name or user_id)
    if in_dm or team_id is None:
        return Context(person)
    ctx = Context(person, CommunityRef(PLATFORM, team_id), channel_id)
    if not check_admin:
        return ctx
    if fresh is None:
        raise AdminUnchecked(ctx)
    return replace(ctx, is_admin=fresh.admin)


async def _payload_context(
    deps: Deps, client: AsyncWebClient, body: dict, channel_id: str | None
) -> Context:
    """The Context of an interactive payload (a button, a submitted form)."""
    user = body["user"]
    return await context_for(
        deps,
        client,
        user_id=user["id"],
        name=user.get("name", ""),
        team_id=(body.get("team") or {}).get("id"),
        channel_id=channel_id,
    )


# -- delivering replies -----------------------------------------------------------------------


async def open_dm(client: AsyncWebClient, user_id: str) -> str:
    """The id of the app's DM channel with a person."""
    opened = await client.conversations_open(users=user_id)
    return opened["channel"]["id"]


async def upload(client: AsyncWebClient, channel: str, reply: Reply) -> None:
    """Upload a reply's files (cards, exports) with their alt text."""
    for attachment in reply.attachments:
        await client.files_upload_v2(
            channel=channel,
            file=attachment.data,
            filename=attachment.filename,
            title=attachment.filename,
            alt_txt=attachment.description[:1000] or None,
        )


async def deliver(
    deps: Deps, client: AsyncWebClient, ctx: Context, replies: list[Reply], respond: Any = None
) -> None:
    """Send each reply where it belongs: ephemeral, in the channel, or in the app's DM."""
    user = ctx.person.user_id
    for reply in replies:
        text, made = blocks.render(reply)
        if reply.where is Where.CHANNEL and ctx.channel_id:
            await client.chat_postMessage(channel=ctx.channel_id, text=text, blocks=made)
            continue
        if reply.where is Where.DM or ctx.in_dm or not ctx.channel_id:
            try:
                channel = await open_dm(client, user)
            except SlackApiError as exc:
                logger.info("no DM with %s: %s", user, slack_error(exc))
                note = deps.core.content.msg("slack.dm_closed")
                await _ephemeral(client, ctx, Reply(text=note), respond)
                await _ephemeral(client, ctx, reply, respond)
                continue
            await client.chat_postMessage(channel=channel, text=text, blocks=made)
            await upload(client, channel, reply)
            continue
        await _ephemeral(client, ctx, reply, respond)
        if reply.attachments:
            # Files cannot be ephemeral: they go to the person's DM with Rebound instead.
            await upload(client, await open_dm(client, user), reply)


async def _ephemeral(client: AsyncWebClient, ctx: Context, reply: Reply, respond: Any) -> None:
    text, made = blocks.render(reply)
    if respond is not None:
        await respond(response_type="ephemeral", text=text, blocks=made, replace_original=False)
    elif ctx.channel_id:
        await client.chat_postEphemeral(
            channel=ctx.channel_id, user=ctx.person.user_id, text=text, blocks=made
        )


# -- slash commands ---------------------------------------------------------------------------


async def on_rejected(
    ack: Any, command: dict, client: AsyncWebClient, respond: Any, context: Any
) -> None:
    """/rejected: forgiving free text; nothing typed or anything unclear opens the form."""
    await ack()
    deps = deps_of(context)
    typed = (command.get("text") or "").strip()
    parsed = parse_rejection(typed) if typed else Parsed(unclear=True)
    if parsed.unclear:
        view = blocks.rejected_modal(deps.core.content, command.get("channel_id"), parsed)
        await client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    ctx = await _command_context(deps, client, command)
    replies = await deps.core.rejected(
        ctx,
        company=parsed.company,
        role=parsed.role,
        stage=parsed.stage,
        feeling=parsed.feeling,
        note=parsed.note,
    )
    await deliver(deps, client, ctx, replies, respond)


async def on_reflect(
    ack: Any, command: dict, client: AsyncWebClient, respond: Any, context: Any
) -> None:
    """/reflect: start or resume a reflection in the app's DM."""
    await ack()
    deps = deps_of(context)
    ctx = await _command_context(deps, client, command)
    await deliver(deps, client, ctx, await deps.core.reflect(ctx), respond)


async def on_checkin(
    ack: Any, command: dict, client: AsyncWebClient, respond: Any, context: Any
) -> None:
    """/checkin [1-5] [note]: a mood first, then any words as the note."""
    await ack()
    deps = deps_of(context)
    ctx = await _command_context(deps, client, command)
    mood, _, note = (command.get("text") or "").strip().partition(" ")
    replies = await deps.core.checkin(ctx, mood=mood or None, note=note or None)
    await deliver(deps, client, ctx, replies, respond)


async def on_rebound(
    ack: Any, command: dict, client: AsyncWebClient, respond: Any, context: Any
) -> None:
    """/rebound <command> [sub] key:value: the less frequent commands under one slash."""
    await ack()
    deps = deps_of(context)
    try:
        name, sub, options = commands.parse_invocation(command.get("text") or "help")
    except UserError as exc:
        ctx = await _command_context(deps, client, command)
        replies = [Reply(text=deps.core.content.msg(exc.key, **exc.values))]
    else:
        try:
            ctx = await _command_context(deps, client, command, check_admin=_is_admin_action(name))
        except AdminUnchecked as exc:
            # Nothing is changed on a guess: the person hears why and can simply try again.
            ctx, replies = exc.ctx, [Reply(text=deps.core.content.msg("slack.admin_unchecked"))]
        else:
            replies = await commands.run(deps.core, ctx, name, sub, options)
    await deliver(deps, client, ctx, replies, respond)


def _is_admin_action(name: str) -> bool:
    """True when the command changes the community's settings, so rights must be checked."""
    try:
        return commands.resolve(name).admin
    except UserError:
        return False


async def _command_context(
    deps: Deps, client: AsyncWebClient, command: dict, *, check_admin: bool = False
) -> Context:
    return await context_for(
        deps,
        client,
        user_id=command["user_id"],
        name=command.get("user_name", ""),
        team_id=command.get("team_id"),
        channel_id=command.get("channel_id"),
        check_admin=check_admin,
    )


# -- the form, buttons, DMs and App Home ------------------------------------------------------


async def on_rejected_submit(
    ack: Any, body: dict, view: dict, client: AsyncWebClient, context: Any
) -> None:
    """The /rejected form was submitted."""
    await ack()
    deps = deps_of(context)
    values = blocks.modal_values(view)
    channel = json.loads(view.get("private_metadata") or "{}").get("channel")
    ctx = await _payload_context(deps, client, body, channel)
    typed = {o.param or o.name: values.get(o.name) for o in commands.COMMANDS["rejected"].form}
    replies = await deps.core.rejected(ctx, **typed)
    await deliver(deps, client, ctx, replies)


async def on_button(
    ack: Any, body: dict, action: dict, client: AsyncWebClient, respond: Any, context: Any
) -> None:
    """Any Rebound button, on a message from before or after a restart."""
    await ack()
    deps = deps_of(context)
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    ctx = await _payload_context(deps, client, body, channel)
    replies = await deps.core.press(ctx, action["action_id"])
    await deliver(deps, client, ctx, replies, respond if not ctx.in_dm else None)


async def on_message(event: dict, client: AsyncWebClient, context: Any) -> None:
    """A message in the app's DM: an answer, a next step, or a check-in note."""
    if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
        return
    deps = deps_of(context)
    ctx = await context_for(
        deps,
        client,
        user_id=event["user"],
        name="",
        team_id=None,
        channel_id=event["channel"],
        in_dm=True,
    )
    for reply in await deps.core.dm_text(ctx, event.get("text") or ""):
        text, made = blocks.render(reply)
        await client.chat_postMessage(channel=event["channel"], text=text, blocks=made)


async def on_home(event: dict, body: dict, client: AsyncWebClient, context: Any) -> None:
    """Opening the app shows streak, reminders, journal and the board."""
    if event.get("tab") not in (None, "home"):
        return
    deps = deps_of(context)
    ctx = await context_for(
        deps,
        client,
        user_id=event["user"],
        name="",
        team_id=body.get("team_id"),
        channel_id=None,
        in_dm=False,
    )
    replies = await deps.core.home(ctx)
    empty = deps.core.content.label("slack.home_empty")
    await client.views_publish(user_id=event["user"], view=blocks.home(replies, empty))


# -- wiring -----------------------------------------------------------------------------------

EVENT_KEY = "slack.event:"
# Slack retries an event three times within minutes; an hour's record is plenty.
EVENTS_KEPT = timedelta(hours=1)


async def first_to_take(deps: Deps, event_id: str) -> bool:
    """Claim an event id in the shared database: False when a process took it already."""
    now = deps.clock.now()
    store = deps.core.store
    if deps.pruned_at is None or now - deps.pruned_at >= EVENTS_KEPT:
        deps.pruned_at = now
        await store.state.forget_older(EVENT_KEY, ts(now - EVENTS_KEPT))
    return await store.state.claim(EVENT_KEY + event_id, ts(now))


def register(app: AsyncApp, deps: Deps) -> None:
    """Attach Rebound's listeners and its middleware to a Bolt app."""

    @app.middleware
    async def rebound(context: Any, body: dict, next: Any) -> BoltResponse | None:
        # A retry of an event we already took (same event_id) is acknowledged and dropped.
        event_id = body.get("event_id")
        if event_id:
            if event_id in deps.seen:
                return BoltResponse(status=200, body="")
            deps.seen[event_id] = None
            while len(deps.seen) > SEEN_EVENTS:
                deps.seen.popitem(last=False)
            # Behind a load balancer the retry may reach another process: the database
            # says which one took the event first.
            if not await first_to_take(deps, event_id):
                return BoltResponse(status=200, body="")
        context["rebound"] = deps
        await next()
        return None

    app.command("/rejected")(on_rejected)
    app.command("/reflect")(on_reflect)
    app.command("/checkin")(on_checkin)
    app.command("/rebound")(on_rebound)
    app.view(blocks.MODAL_CALLBACK)(on_rejected_submit)
    app.action(actions.PATTERN)(on_button)
    app.event("message")(on_message)
    app.event("app_home_opened")(on_home)
