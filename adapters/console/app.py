"""The terminal session: read a line, hand it to the core, print what comes back."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.console.input import Lines
from adapters.console.parse import (
    Advance,
    CommandLine,
    DirectMessage,
    LineError,
    ListReminders,
    Press,
    Quit,
    SwitchPerson,
    parse_line,
)
from bot import commands, owner_only, when
from bot.app import App, build
from bot.config import Settings
from bot.models import Attachment, Button, CommunityRef, Context, PersonRef, Reply, Text, Where
from bot.ports import FixedClock, SimulatedClock

logger = logging.getLogger(__name__)

PLATFORM = "console"
COMMUNITY = CommunityRef(PLATFORM, "terminal", "Terminal")
CHANNEL = "general"
CLOCK_KEY = "console.clock_offset_seconds"
ADMIN = "you"
# Escape sequences in echoed text could repaint or hijack the terminal: drop control characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """Neutralise what a person typed before it reaches the terminal."""
    return _CONTROL.sub("", text)


def person(name: str) -> PersonRef:
    """The terminal person called name (names are case-insensitive ids)."""
    return PersonRef(PLATFORM, name.casefold(), name)


@dataclass
class Shown:
    """The last message a person saw that buttons can be pressed on, and where it was."""

    buttons: tuple[Button, ...] = ()
    in_dm: bool = False


class ConsoleMessenger:
    """The Messenger port for the terminal: DMs and channel posts are printed."""

    def __init__(self, session: ConsoleSession) -> None:
        self._session = session

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        """Print a DM to person, with the simulated time it arrived."""
        await self._session.show(person, reply, in_dm=True, stamped=True)

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        """Print a post in the channel, with the simulated time it was posted."""
        await self._session.show(None, reply, in_dm=False, stamped=True)


@dataclass
class ConsoleSession:
    """One terminal session: who is typing, what they last saw, and the simulated clock."""

    app: App
    clock: SimulatedClock
    out: TextIO
    me: PersonRef = field(default_factory=lambda: person("you"))
    shown: dict[str, Shown] = field(default_factory=dict)

    def write(self, text: str) -> None:
        """Print and flush, so piped output interleaves correctly."""
        self.out.write(text + "\n")
        self.out.flush()

    def msg(self, key: str, **values: str | Text) -> str:
        """Render a message of our own for the terminal."""
        return self.app.content.msg(key, **values).render(escape)

    def context(self, in_dm: bool) -> Context:
        """The context of the current person in the channel or in their DMs."""
        if in_dm:
            return Context(self.me)
        # Whoever runs the terminal owns its community: `you` is its admin, others are not.
        return Context(self.me, COMMUNITY, CHANNEL, is_admin=self.me.user_id == ADMIN)

    async def show(
        self, to: PersonRef | None, reply: Reply, *, in_dm: bool, stamped: bool = False
    ) -> None:
        """Print a reply with its tag, fields, attachments and numbered buttons."""
        if reply.where is Where.CHANNEL:
            tag = f"#{CHANNEL}"
        elif reply.where is Where.DM or in_dm:
            tag = "DM"
            in_dm = True
        else:
            tag = "private"
        if to is not None and to != self.me:
            tag += f" to {to.display_name}"
        if stamped:
            tag += " · " + when.describe(self.clock.now(), await self.zone_of(to or self.me))
        tag = f"[{tag}]"
        lines = [tag + (" " + reply.title.render(escape) if reply.title else "")]
        lines += ["  " + line for line in reply.text.render(escape).splitlines()]
        for name, value in reply.fields:
            lines.append(f"  {name.render(escape)}: {value.render(escape)}")
        for attachment in reply.attachments:
            lines.append("  " + await self.save(attachment))
        for number, button in enumerate(reply.buttons, start=1):
            lines.append(f"  [{number}] {button.label}")
        self.write("\n".join(lines))
        if reply.where is not Where.CHANNEL:
            owner = (to or self.me).user_id
            self.shown[owner] = Shown(reply.buttons, in_dm)

    async def save(self, attachment: Attachment) -> str:
        """Write an attachment to the files folder (off the event loop); say where, or why not."""
        folder = self.app.settings.files_dir
        try:
            path = await asyncio.to_thread(
                owner_only.write_new_file, folder, attachment.filename, attachment.data
            )
        except OSError as error:
            logger.warning("could not save a file in %s: %s", folder, error.strerror or error)
            return self.msg(
                "console.file_not_saved",
                name=attachment.filename,
                folder=str(folder),
                reason=error.strerror or str(error),
            )
        return self.msg("console.file_saved", path=str(path), description=attachment.description)

    async def deliver(self, replies: list[Reply], *, in_dm: bool) -> None:
        """Print every reply of one action in order."""
        for reply in replies:
            await self.show(None, reply, in_dm=in_dm)

    async def handle(self, raw: str) -> bool:
        """Act on one line; False when the session should end."""
        try:
            line = parse_line(raw)
        except LineError as exc:
            self.write("[error] " + self.msg(exc.key, **exc.values))
            return True
        core = self.app.core
        match line:
            case None:
                pass
            case Quit():
                return False
            case CommandLine(name, sub, options):
                replies = await commands.run(core, self.context(False), name, sub, options)
                await self.deliver(replies, in_dm=False)
            case Press(number):
                shown = self.shown.get(self.me.user_id)
                if shown is None or not shown.buttons:
                    self.write("[error] " + self.msg("console.no_buttons"))
                elif not 1 <= number <= len(shown.buttons):
                    self.write(
                        "[error] "
                        + self.msg(
                            "console.no_such_button", n=str(number), count=str(len(shown.buttons))
                        )
                    )
                else:
                    action = shown.buttons[number - 1].action_id
                    replies = await core.press(self.context(shown.in_dm), action)
                    await self.deliver(replies, in_dm=shown.in_dm)
            case SwitchPerson(name):
                self.me = person(name)
                self.write(self.msg("console.switched", name=name))
            case Advance(by):
                await self.advance(by)
            case ListReminders():
                await self.deliver(await core.upcoming(self.context(False)), in_dm=False)
            case DirectMessage(text):
                replies = await core.dm_text(self.context(True), text)
                await self.deliver(replies, in_dm=True)
        return True

    async def zone_of(self, who: PersonRef) -> ZoneInfo:
        """The timezone a person reads times in."""
        stored = await self.app.store.people.find(PLATFORM, who.user_id)
        if stored is None:
            return when.zone(self.app.settings.timezone)
        return await self.app.core.zone_of(stored)

    async def advance(self, by: timedelta) -> None:
        """Move the simulated clock, stopping at each due reminder so it arrives on time."""
        target = self.clock.now() + by
        engine = self.app.reminders
        while True:
            due = await self.app.store.reminders.next_due()
            digest = await engine.next_digest_at()
            buddies = await engine.next_round_at()
            moments = [m for m in (due, digest, buddies) if m is not None and m <= target]
            if not moments:
                break
            self.clock.advance_to(min(moments))
            # A buddy round first: the intros it plans are due at once, and this tick sends them.
            matched = await engine.run_buddy_rounds()
            tally = await engine.tick()
            posted = await engine.post_digests()
            moved = tally.sent or tally.deferred or tally.cancelled or tally.retrying
            if not (moved or posted or matched or digest in moments or buddies in moments):
                break  # nothing could be sent (no adapter, paused): stop rather than spin
        now = self.clock.advance_to(target)
        await engine.run_buddy_rounds()
        await engine.tick()
        await engine.post_digests()
        await self.app.store.state.set(CLOCK_KEY, str(int(self.clock.offset.total_seconds())))
        tz = await self.zone_of(self.me)
        self.write(self.msg("console.clock", when=f"{when.describe(now, tz)} ({tz.key})"))


async def run_console(
    settings: Settings,
    *,
    platform_hint: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run a terminal session until :quit or end of input; return the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    # A fixed start makes a scripted session read the same on any day; else it is real time.
    base = FixedClock(settings.clock_start) if settings.clock_start else None
    clock = SimulatedClock(base=base)
    async with build(settings, clock=clock, handle_signals=True) as app:
        offset = await app.store.state.get(CLOCK_KEY)
        clock.offset = timedelta(seconds=int(offset or 0))
        session = ConsoleSession(app=app, clock=clock, out=stdout)
        app.reminders.register(PLATFORM, ConsoleMessenger(session))
        if platform_hint:
            session.write(session.msg("console.no_tokens"))
        session.write(session.msg("console.banner", name=session.me.display_name))
        # Anything that fell due while Rebound was not running arrives now.
        await app.reminders.tick()
        interactive = stdin.isatty()
        lines = Lines(stdin)
        while True:
            if interactive:
                stdout.write(f"{session.me.display_name}> ")
                stdout.flush()
            raw = await lines.next(app.stop)
            if raw is None:
                if interactive:
                    stdout.write("\n")  # below the prompt, not after it
                break
            if not interactive and raw.strip():
                # Echo piped input so a scripted session reads like a conversation.
                session.write(f"{session.me.display_name}> {escape(raw.rstrip())}")
            if not await session.handle(raw):
                break
        session.write(session.msg("console.bye"))
    return 0
