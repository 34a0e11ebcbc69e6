"""The Discord client: slash commands, the /rejected modal, button presses and DM replies.

Every handler turns the interaction into a Context and one call on the core, then delivers
the Replies. Nothing here decides what Rebound says or does.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
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
from bot import when
from bot.app import App
from bot.config import RefusedSetting, Settings
from bot.content import STAGES
from bot.core import BOARD_VIEWS, CHANNELS, FOLLOWUP_TYPES
from bot.models import CommunityRef, Context, PersonRef, Reply, Text, Where
from bot.ports import RateLimited, TemporaryFailure, Undeliverable
from bot.when import WEEKDAYS

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
ON_OFF = [app_commands.Choice(name=v, value=v) for v in ("on", "off")]
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
    """The form `/rejected` opens when it is typed with no options."""

    def __init__(self, client: ReboundDiscord) -> None:
        label = client.app.content.label
        super().__init__(title=label("modal.title")[:45], timeout=None)
        self.client = client
        self.company = discord.ui.TextInput(
            label=label("modal.company")[:45], required=False, max_length=120
        )
        self.role = discord.ui.TextInput(
            label=label("modal.role")[:45], required=False, max_length=120
        )
        self.stage = discord.ui.TextInput(
            label=label("modal.stage")[:45],
            required=False,
            placeholder=label("modal.stage_hint")[:100],
            max_length=40,
        )
        self.feeling = discord.ui.TextInput(
            label=label("modal.feeling")[:45], required=False, max_length=1
        )
        self.note = discord.ui.TextInput(
            label=label("modal.note")[:45],
            required=False,
            style=discord.TextStyle.paragraph,
            max_length=1500,
        )
        for item in (self.company, self.role, self.stage, self.feeling, self.note):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Log the rejection with what was typed into the form."""
        core = self.client.app.core
        await self.client.answer(
            interaction,
            lambda ctx: core.rejected(
                ctx,
                company=self.company.value or None,
                role=self.role.value or None,
                stage=self.stage.value or None,
                feeling=self.feeling.value or None,
                note=self.note.value or None,
            ),
        )


class ReboundDiscord(discord.Client):
    """discord.py's Client with Rebound's command tree; no privileged intents."""

    def __init__(self, app: App, settings: Settings) -> None:
        # Rebound never joins voice: discord.py's warnings about voice libraries are noise
        # that would stand before the one line a refused token gets on stderr.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # DMs reach bots without the message-content intent, so the defaults are enough.
        super().__init__(intents=discord.Intents.default(), max_ratelimit_timeout=30.0)
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
        if not force and await self.app.store.get_state(HASH_KEY) == digest:
            return False
        if self.guild is not None:
            self.tree.copy_global_to(guild=self.guild)
        await self.tree.sync(guild=self.guild)
        await self.app.store.set_state(HASH_KEY, digest)
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

    async def on_press(self, interaction: discord.Interaction, action: str) -> None:
        """A button on any Rebound message, from before or after a restart."""
        slow = action.startswith("board:")
        await self.answer(interaction, lambda ctx: self.app.core.press(ctx, action), slow=slow)

    async def on_message(self, message: discord.Message) -> None:
        """A DM to Rebound: a reflection answer, a next step, a check-in note."""
        if message.guild is not None or message.author.bot or not message.content:
            return
        ctx = Context(person_of(message.author))
        for reply in await self.app.core.dm_text(ctx, message.content):
            await message.channel.send(**render.message(reply))


def build_commands(client: ReboundDiscord) -> None:
    """Every Rebound command as a typed app command, described in prompts/commands.toml."""
    core = client.app.core
    text = client.app.content.commands
    label = client.app.content.label
    tree = client.tree

    def command(
        name: str,
        group: app_commands.Group | None = None,
        sub: str | None = None,
        display: str | None = None,
    ) -> Callable[[Any], Any]:
        spec = text[name]

        def wrap(callback: Any) -> Any:
            wanted = callback.__code__.co_varnames[1 : callback.__code__.co_argcount]
            described = app_commands.describe(**{o: spec.options[o] for o in wanted})(callback)
            description = spec.subcommands[sub] if sub else spec.description
            made = app_commands.Command(
                name=display or sub or name, description=description, callback=described
            )
            if group is not None:
                group.add_command(made)
            else:
                tree.add_command(made)
            return made

        return wrap

    stage_choices = [app_commands.Choice(name=label(f"stage.{s}"), value=s) for s in STAGES]

    @command("rejected")
    @app_commands.choices(stage=stage_choices)
    async def rejected(
        interaction: discord.Interaction,
        company: app_commands.Range[str, 1, 120] | None = None,
        role: app_commands.Range[str, 1, 120] | None = None,
        stage: str | None = None,
        feeling: app_commands.Range[int, 1, 5] | None = None,
        note: app_commands.Range[str, 1, 1500] | None = None,
    ) -> None:
        if not any((company, role, stage, feeling, note)):
            await interaction.response.send_modal(RejectedModal(client))
            return
        await client.answer(
            interaction,
            lambda ctx: core.rejected(
                ctx, company=company, role=role, stage=stage, feeling=feeling, note=note
            ),
        )

    @command("reflect")
    async def reflect(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.reflect)

    @command("checkin")
    async def checkin(
        interaction: discord.Interaction,
        mood: app_commands.Range[int, 1, 5] | None = None,
        note: app_commands.Range[str, 1, 1500] | None = None,
    ) -> None:
        await client.answer(interaction, lambda ctx: core.checkin(ctx, mood=mood, note=note))

    followup = app_commands.Group(name="followup", description=text["followup"].description)
    tree.add_command(followup)

    @command("followup", followup, "add")
    @app_commands.choices(
        channel=[app_commands.Choice(name=c, value=c) for c in CHANNELS],
        type=[app_commands.Choice(name=t.replace("_", " "), value=t) for t in FOLLOWUP_TYPES],
    )
    async def followup_add(
        interaction: discord.Interaction,
        contact: app_commands.Range[str, 1, 120] | None = None,
        company: app_commands.Range[str, 1, 120] | None = None,
        role: app_commands.Range[str, 1, 120] | None = None,
        channel: str | None = None,
        when: str | None = None,
        type: str | None = None,  # the option's name in Discord
    ) -> None:
        await client.answer(
            interaction,
            lambda ctx: core.followup_add(
                ctx,
                contact=contact,
                company=company,
                role=role,
                channel=channel,
                when_text=when,
                kind=type,
            ),
        )

    @command("followup", followup, "list")
    async def followup_list(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.followup_list)

    @command("streak")
    async def streak(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.streak, slow=True)

    board = app_commands.Group(name="leaderboard", description=text["leaderboard"].description)
    tree.add_command(board)

    @command("leaderboard", board, "show")
    @app_commands.choices(view=[app_commands.Choice(name=v, value=v) for v in BOARD_VIEWS])
    async def board_show(interaction: discord.Interaction, view: str | None = None) -> None:
        await client.answer(interaction, lambda ctx: core.leaderboard(ctx, "show", view), slow=True)

    @command("leaderboard", board, "join")
    async def board_join(interaction: discord.Interaction) -> None:
        await client.answer(interaction, lambda ctx: core.leaderboard(ctx, "join"))

    @command("leaderboard", board, "leave")
    async def board_leave(interaction: discord.Interaction) -> None:
        await client.answer(interaction, lambda ctx: core.leaderboard(ctx, "leave"))

    async def zones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice]:
        return [app_commands.Choice(name=z, value=z) for z in when.search_timezones(current)]

    @command("settings")
    @app_commands.choices(
        reminders=ON_OFF, leaderboard=ON_OFF, nudges=ON_OFF, weekends=ON_OFF, shoutouts=ON_OFF
    )
    @app_commands.autocomplete(timezone=zones)
    async def settings(
        interaction: discord.Interaction,
        timezone: str | None = None,
        quiet: str | None = None,
        reminders: str | None = None,
        leaderboard: str | None = None,
        checkins: str | None = None,
        nudges: str | None = None,
        weekends: str | None = None,
        shoutouts: str | None = None,
    ) -> None:
        await client.answer(
            interaction,
            lambda ctx: core.settings(
                ctx,
                timezone=timezone,
                quiet=quiet,
                reminders=reminders,
                leaderboard=leaderboard,
                checkins=checkins,
                nudges=nudges,
                weekends=weekends,
                shoutouts=shoutouts,
            ),
        )

    @command("journal")
    async def journal(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.journal)

    @command("export")
    async def export(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.export, slow=True)

    @command("forget")
    async def forget(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.forget)

    @command("support")
    async def support(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.support)

    @command("help")
    async def help_(interaction: discord.Interaction) -> None:
        await client.answer(interaction, core.help)

    @command("admin", display="rebound-admin")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.choices(
        day=[app_commands.Choice(name=d.title(), value=d) for d in WEEKDAYS],
        period=[app_commands.Choice(name=p, value=p) for p in ("week", "day")],
        leaderboard=ON_OFF,
        sharing=ON_OFF,
    )
    @app_commands.autocomplete(timezone=zones)
    async def admin(
        interaction: discord.Interaction,
        channel: app_commands.AppCommandChannel | None = None,
        day: str | None = None,
        hour: app_commands.Range[int, 0, 23] | None = None,
        timezone: str | None = None,
        period: str | None = None,
        leaderboard: str | None = None,
        sharing: str | None = None,
        support: app_commands.Range[str, 1, 1500] | None = None,
    ) -> None:
        options = {
            "channel": str(channel.id) if channel else None,
            "day": day,
            "hour": None if hour is None else str(hour),
            "timezone": timezone,
            "period": period,
            "leaderboard": leaderboard,
            "sharing": sharing,
            "support": support,
        }
        await client.answer(interaction, lambda ctx: core.admin(ctx, **options))


async def sync_only(app: App, settings: Settings) -> None:
    """Log in over REST, sync the command definitions whatever their hash, and leave."""
    assert settings.discord_token
    point_at(settings)
    client = ReboundDiscord(app, settings)
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
        client = ReboundDiscord(app, settings)
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
