"""The Discord client: slash commands, the /rejected modal, button presses and DM replies.

Every handler turns the interaction into a Context and one call on the core, then delivers
the Replies. Nothing here decides what Rebound says or does.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord import render
from bot import commands, when
from bot.actions import Action
from bot.app import App
from bot.config import RefusedSetting, Settings
from bot.models import CommunityRef, Context, PersonRef, Reply, Text, Where
from bot.ports import RateLimited, TemporaryFailure, Undeliverable

logger = logging.getLogger(__name__)

PLATFORM = "discord"
# View Channel, Send Messages, Embed Links, Attach Files: enough to post digests and cards.
PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, attach_files=True
)
HASH_KEY = "discord.commands_hash"
# Waits between attempts while Discord cannot be reached: doubling from 1 s, at most 5 min.
FIRST_RETRY = 1.0
RETRY_CAP = 300.0
# What an unreachable Discord raises; anything else but a refusal is a bug, not retried.
UNREACHABLE = (OSError, aiohttp.ClientError, asyncio.TimeoutError, discord.GatewayNotFound)
Pause = Callable[[float], Awaitable[None]]
REFUSED = (
    "was refused by Discord (401 Unauthorized): copy the bot token again from the Developer "
    "Portal (Bot, Reset Token) into .env"
)
# A server's command picker lists every bot's commands side by side: a bare /admin is ambiguous.
NAMES = {"admin": "rebound-admin"}
# Commands that may take longer than Discord's 3 seconds (cards, exports): they defer first.
SLOW = {
    ("streak", None),
    ("export", None),
    ("leaderboard", "show"),
    ("insights", None),
    ("ledger", None),
    ("hired", None),
}
# A choice typed into a form field (Discord's modals hold text inputs): room for any stage word.
TYPED_CHOICE_MAX = 40
UseCase = Callable[[Context], Awaitable[list[Reply]]]


def point_at(settings: Settings) -> None:
    """Send discord.py's REST and gateway traffic to a compatible server or a test double."""
    if settings.discord_api_url:
        discord.http.Route.BASE = settings.discord_api_url
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def application_id(token: str) -> int:
    """The bot's application id, read from the first part of its token."""
    head = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(head + "=" * (-len(head) % 4)).decode())
    except ValueError as exc:
        raise ValueError("DISCORD_TOKEN does not look like a bot token") from exc


def invite_url(token: str) -> str:
    """The link that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(
        application_id(token), permissions=PERMISSIONS, scopes=("bot", "applications.commands")
    )


def nonce_for(key: str) -> str:
    """A Discord nonce (at most 25 characters) that is the same for the same delivery key."""
    return hashlib.sha256(key.encode()).hexdigest()[:25]


def person_of(user: discord.abc.User) -> PersonRef:
    """A Discord user as plain data."""
    return PersonRef(PLATFORM, str(user.id), user.display_name)


def context_of(interaction: discord.Interaction) -> Context:
    """Who pressed or typed, where, and whether Discord says they may manage the server."""
    person = person_of(interaction.user)
    guild = interaction.guild
    if guild is None and interaction.guild_id is None:
        return Context(person)
    community = CommunityRef(PLATFORM, str(interaction.guild_id), guild.name if guild else "")
    return Context(
        person,
        community,
        str(interaction.channel_id) if interaction.channel_id else None,
        is_admin=interaction.permissions.manage_guild,
    )


class DiscordMessenger:
    """The Messenger port on Discord: DMs with a nonce, channel posts, errors made plain."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        """DM a person; a key becomes a nonce so Discord drops a resend of the same message."""

        async def send() -> None:
            channel = await self._client.create_dm(discord.Object(int(person.user_id)))
            extra = {"nonce": nonce_for(key)} if key else {}
            await channel.send(**render.message(reply), **extra)

        await _plainly(send)

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        """Post in a channel of the server."""
        if not (channel_id.isascii() and channel_id.isdigit()):
            raise Undeliverable(f"discord channel {channel_id!r} is not a channel id")

        async def send() -> None:
            channel = self._client.get_partial_messageable(int(channel_id))
            await channel.send(**render.message(reply))

        await _plainly(send)


async def _plainly(send: Callable[[], Awaitable[None]]) -> None:
    """Run a send, turning discord.py's errors into the port's three kinds of failure."""
    try:
        await send()
    except discord.Forbidden as exc:
        raise Undeliverable(f"discord 403 code {exc.code}: {exc.text}") from exc
    except discord.NotFound as exc:
        raise Undeliverable(f"discord 404 code {exc.code}: {exc.text}") from exc
    except discord.RateLimited as exc:
        raise RateLimited("discord 429", exc.retry_after) from exc
    except discord.DiscordServerError as exc:
        raise TemporaryFailure(f"discord {exc.status}: {exc.text}") from exc
    except discord.HTTPException as exc:
        if exc.status >= 500:
            raise TemporaryFailure(f"discord {exc.status}: {exc.text}") from exc
        raise Undeliverable(f"discord {exc.status} code {exc.code}: {exc.text}") from exc
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise TemporaryFailure(f"discord unreachable: {type(exc).__name__}") from exc


class RejectedModal(discord.ui.Modal):
    """The form `/rejected` opens when it is typed with no options: one field per option."""

    def __init__(self, client: ReboundDiscord) -> None:
        label = client.app.content.label
        super().__init__(title=label("modal.title")[:45], timeout=None)
        self.client = client
        self.options = commands.COMMANDS["rejected"].form
        self.fields: dict[str, discord.ui.TextInput] = {}
        for option in self.options:
            field = discord.ui.TextInput(
                label=label(option.form)[:45],
                required=False,
                style=discord.TextStyle.paragraph if option.long else discord.TextStyle.short,
                placeholder=label(option.hint)[:100] if option.hint else None,
                max_length=_typed_length(option),
            )
            self.fields[option.name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Log the rejection with what was typed into the form."""
        core = self.client.app.core
        # Straight to the use case, as typed: it reads a feeling typed as text kindly.
        typed = {o.param or o.name: self.fields[o.name].value or None for o in self.options}
        await self.client.answer(interaction, lambda ctx: core.rejected(ctx, **typed))


def _typed_length(option: commands.Option) -> int | None:
    """The longest a form field may be for an option typed as text."""
    if option.choices:
        return TYPED_CHOICE_MAX
    if option.kind == "int" and option.high is not None:
        return len(str(option.high))
    return option.high


class ReboundDiscord(discord.Client):
    """discord.py's Client with Rebound's command tree; no privileged intents."""

    def __init__(self, app: App, settings: Settings) -> None:
        # Rebound never joins voice: discord.py's warnings about voice libraries are noise
        # that would stand before the one line a refused token gets on stderr.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # DMs reach bots without the message-content intent, so the defaults are enough.
        super().__init__(
            intents=discord.Intents.default(), max_ratelimit_timeout=30.0, **shards(settings)
        )
        self.app = app
        self.settings = settings
        self.tree = app_commands.CommandTree(self)
        self.guild = (
            discord.Object(settings.discord_guild_id) if settings.discord_guild_id else None
        )
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.synced = asyncio.Event()
        self.connected = asyncio.Event()
        self.force_sync = False
        build_commands(self)

    async def setup_hook(self) -> None:
        """Register the persistent buttons and sync commands when their definition changed."""
        self.add_dynamic_items(render.ReboundButton)
        await self.sync_commands(force=self.force_sync)
        self.synced.set()

    def commands_hash(self) -> str:
        """A fingerprint of the command definitions, to sync only when they change."""
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands()]
        blob = json.dumps([self.guild.id if self.guild else None, payload], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, *, force: bool) -> bool:
        """Sync commands to the test server (instant) or globally; True when it synced."""
        digest = self.commands_hash()
        # Processes sharing one database (shards, a second host) sync once: the one holding
        # the lock syncs and keeps the hash, and one that starts later finds the hash current.
        async with self.app.store.exclusive(HASH_KEY) as mine:
            if not mine or (not force and await self.app.store.state.get(HASH_KEY) == digest):
                return False
            if self.guild is not None:
                self.tree.copy_global_to(guild=self.guild)
            await self.tree.sync(guild=self.guild)
            await self.app.store.state.set(HASH_KEY, digest)
        logger.info("synced %s commands", len(self.tree.get_commands()))
        return True

    async def answer(
        self, interaction: discord.Interaction, use_case: UseCase, *, slow: bool = False
    ) -> None:
        """Run a use case for an interaction and deliver its replies within Discord's 3 seconds.

        Anything that may take longer (cards, exports) defers first and follows up.
        """
        ctx = context_of(interaction)
        if slow:
            await interaction.response.defer(ephemeral=ctx.community is not None, thinking=True)
        replies = await use_case(ctx)
        await self.deliver(interaction, ctx, replies)

    async def deliver(
        self, interaction: discord.Interaction, ctx: Context, replies: list[Reply]
    ) -> None:
        """Send each reply where it belongs: ephemeral, in the channel, or by DM."""
        for reply in replies:
            if reply.where is Where.DM and not ctx.in_dm:
                try:
                    await interaction.user.send(**render.message(reply))
                    continue
                except discord.Forbidden:
                    # DMs are closed: keep the conversation here, privately, and say why.
                    await self._respond(
                        interaction, ctx, Reply(text=self.app.content.msg("discord.dm_closed"))
                    )
                    reply = Reply(
                        text=reply.text,
                        title=reply.title,
                        fields=reply.fields,
                        buttons=reply.buttons,
                        attachments=reply.attachments,
                    )
            await self._respond(interaction, ctx, reply)
        if not interaction.response.is_done():
            await interaction.response.defer()

    async def _respond(self, interaction: discord.Interaction, ctx: Context, reply: Reply) -> None:
        ephemeral = reply.where is not Where.CHANNEL and not ctx.in_dm
        kwargs = render.message(reply)
        if not interaction.response.is_done():
            if not kwargs["files"]:
                del kwargs["files"]
            await interaction.response.send_message(**kwargs, ephemeral=ephemeral)
        else:
            await interaction.followup.send(**kwargs, ephemeral=ephemeral)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A command failed before reaching the core: apologise with a reference, log the rest."""
        ref = uuid.uuid4().hex[:8]
        logger.error("discord command failed (ref %s)", ref, exc_info=error)
        reply = Reply(text=self.app.content.msg("error.unexpected", ref=Text.of(ref)))
        await self._respond(interaction, context_of(interaction), reply)

    async def on_connect(self) -> None:
        """The gateway said READY: interactions can arrive from now on."""
        logger.info("connected to Discord as %s", self.user)
        self.connected.set()

    async def on_command(
        self,
        interaction: discord.Interaction,
        command: commands.Command,
        sub: str | None,
        picked: dict[str, Any],
    ) -> None:
        """A slash command with what was picked; /rejected with nothing picked opens the form."""
        if command.name == "rejected" and not any(picked.values()):
            await interaction.response.send_modal(RejectedModal(self))
            return
        # A channel is picked as Discord's object; the community keeps its id.
        channels = {o.name for o in command.options_of(sub) if o.kind == "channel"}
        values = {k: str(v.id) if k in channels and v is not None else v for k, v in picked.items()}
        await self.answer(
            interaction,
            lambda ctx: commands.run(self.app.core, ctx, command.name, sub, values),
            slow=(command.name, sub) in SLOW,
        )

    async def on_press(self, interaction: discord.Interaction, action: str) -> None:
        """A button on any Rebound message, from before or after a restart."""
        parsed = Action.parse(action)
        slow = parsed is not None and parsed.verb == "board"  # the board is drawn as a card
        await self.answer(interaction, lambda ctx: self.app.core.press(ctx, action), slow=slow)

    async def on_message(self, message: discord.Message) -> None:
        """A DM to Rebound: a reflection answer, a next step, a check-in note."""
        if message.guild is not None or message.author.bot or not message.content:
            return
        ctx = Context(person_of(message.author))
        for reply in await self.app.core.dm_text(ctx, message.content):
            await message.channel.send(**render.message(reply))


def build_commands(client: ReboundDiscord) -> None:
    """Every Rebound command as a typed app command, built from its declaration in bot/commands.py.

    Descriptions come from prompts/commands.toml; what is picked goes through `commands.run`,
    the same checks and use case as a command typed at the terminal or in Slack.
    """
    text = client.app.content.commands
    for command in commands.COMMANDS.values():
        if not command.subcommands:
            client.tree.add_command(_app_command(client, command, None))
            continue
        group = app_commands.Group(name=command.name, description=text[command.name].description)
        for sub in command.subcommands:
            if sub not in command.typed_only:
                group.add_command(_app_command(client, command, sub))
        client.tree.add_command(group)


def _app_command(
    client: ReboundDiscord, command: commands.Command, sub: str | None
) -> app_commands.Command:
    """One command or subcommand, its options typed, described and with their choices."""
    options = command.options_of(sub)
    text = client.app.content.commands[command.name]

    async def invoke(interaction: discord.Interaction, **picked: Any) -> None:
        await client.on_command(interaction, command, sub, picked)

    # discord.py reads an app command's options from its callback's signature (the only way it
    # offers), so the signature is made from the declaration rather than written out again.
    invoke.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "interaction", inspect.Parameter.POSITIONAL_ONLY, annotation=discord.Interaction
            ),
            *(
                inspect.Parameter(
                    o.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_typed(o)
                )
                for o in options
            ),
        ]
    )
    callback: Any = app_commands.describe(**{o.name: text.options[o.name] for o in options})(invoke)
    choices = {
        o.name: [
            app_commands.Choice(name=name, value=value)
            for value, name in o.choice_names(client.app.content.label)
        ]
        for o in options
        if o.choices
    }
    if choices:
        callback = app_commands.choices(**choices)(callback)
    zoned = {o.name: _zones for o in options if o.kind == "timezone"}
    if zoned:
        callback = app_commands.autocomplete(**zoned)(callback)
    if command.admin:
        callback = app_commands.guild_only()(
            app_commands.default_permissions(manage_guild=True)(callback)
        )
    return app_commands.Command(
        name=sub or NAMES.get(command.name, command.name),
        description=text.subcommands[sub] if sub else text.description,
        callback=callback,
    )


def _typed(option: commands.Option) -> Any:
    """The annotation discord.py turns into an option's type and bounds; every one is optional."""
    kind: Any
    if option.kind == "channel":
        kind = app_commands.AppCommandChannel
    elif option.kind == "int":
        bounded = option.low is not None or option.high is not None
        kind = app_commands.Range[int, option.low, option.high] if bounded else int
    elif option.high is not None:
        kind = app_commands.Range[str, 1, option.high]
    else:
        kind = str
    return kind | None


async def _zones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
    """Timezone names matching what has been typed so far."""
    return [app_commands.Choice(name=z, value=z) for z in when.search_timezones(current)]


def shards(settings: Settings) -> dict[str, Any]:
    """The sharding arguments of discord.py's client for the settings ({} without sharding)."""
    count = getattr(settings, "discord_shard_count", None)
    if count is None:
        return {}
    ids = getattr(settings, "discord_shard_ids", None)
    return {"shard_count": count, "shard_ids": list(ids) if ids is not None else None}


class ShardedReboundDiscord(ReboundDiscord, discord.AutoShardedClient):
    """Rebound on the shards DISCORD_SHARD_IDS of DISCORD_SHARD_COUNT, in one process.

    Discord sends DMs (reflection answers) to shard 0 only, so one process must run it; any
    shard sends DMs over REST, so every process sends reminders.
    """


def discord_client(app: App, settings: Settings) -> ReboundDiscord:
    """The plain client, or the auto-sharded one when DISCORD_SHARD_COUNT is set."""
    if settings.discord_shard_count is None:
        return ReboundDiscord(app, settings)
    return ShardedReboundDiscord(app, settings)


async def sync_only(app: App, settings: Settings) -> None:
    """Log in over REST, sync the command definitions whatever their hash, and leave."""
    assert settings.discord_token
    point_at(settings)
    client = discord_client(app, settings)
    client.force_sync = True
    async with client:
        try:
            await client.login(settings.discord_token)
        except discord.LoginFailure:
            raise RefusedSetting("DISCORD_TOKEN", REFUSED) from None


async def run_discord(app: App, settings: Settings, *, pause: Pause | None = None) -> None:
    """Serve Discord until the app is stopped: retry while it is unreachable, refuse a bad token.

    pause(seconds) waits between attempts and returns early when the app is stopped.
    """
    from bot.pacing import PacedMessenger, discord_pacer

    assert settings.discord_token
    point_at(settings)
    pause = pause or _pause_until(app.stop)
    delay = FIRST_RETRY
    while not app.stop.is_set():
        # A new client each time: one that failed has closed its HTTP session for good.
        client = discord_client(app, settings)
        app.reminders.register(PLATFORM, PacedMessenger(DiscordMessenger(client), discord_pacer()))
        try:
            async with client:
                await _serve(client, settings.discord_token, app)
            return
        except discord.LoginFailure:
            raise RefusedSetting("DISCORD_TOKEN", REFUSED) from None
        except discord.ConnectionClosed as exc:
            if exc.code != 4004:  # 4004: the gateway refused the token
                delay = await _retry_later(client, exc, delay, pause)
                continue
            raise RefusedSetting(
                "DISCORD_TOKEN", "was refused by the Discord gateway (4004 authentication failed)"
            ) from None
        except UNREACHABLE as exc:
            delay = await _retry_later(client, exc, delay, pause)
        except discord.HTTPException as exc:  # a 5xx, or an API URL that answers 4xx
            delay = await _retry_later(client, exc, delay, pause, what="answered with an error")


async def _serve(client: ReboundDiscord, token: str, app: App) -> None:
    """Log in and hold the gateway until the app is stopped; raise whatever ended it sooner."""

    async def session() -> None:
        await client.login(token)
        # discord.py still resumes a dropped session itself; what it cannot get past (the
        # gateway unreachable) comes back here, where it is said in one line and retried.
        await client.connect(reconnect=False)

    running = asyncio.create_task(session())
    # Until stopped means reminders are drained too: none is cut off by the gateway closing.
    stopping = asyncio.create_task(app.until_stopped())
    try:
        await asyncio.wait((running, stopping), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not running.done():
        # Stop discord.py's reader first: woken by our close while it waits for an event, it
        # would send its own close frame, 4000 (come back soon), before ours. With 1000 Discord
        # ends the session at once and shows the bot offline.
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await client.close()
        return
    running.result()
    if not app.stop.is_set():
        raise ConnectionResetError("the gateway closed the connection")


async def _retry_later(
    client: ReboundDiscord,
    exc: BaseException,
    delay: float,
    pause: Pause,
    *,
    what: str = "unreachable",
) -> float:
    """Say in one line why Discord cannot be used now, wait, and return the next wait."""
    if client.connected.is_set():
        delay = FIRST_RETRY  # it was up until now: start the back-off over
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    logger.warning("Discord %s (%s), retrying in %.0f s", what, reason, delay)
    await pause(delay)
    return min(delay * 2, RETRY_CAP)


def _pause_until(stop: asyncio.Event) -> Pause:
    async def pause(seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)

    return pause
