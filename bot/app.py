"""The one wiring point: settings in, a running core with its store, clock and scheduler out."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, nullcontext
from dataclasses import dataclass, field

from bot import commands, when
from bot.config import Settings
from bot.content import Content, load_content
from bot.core import Rebound
from bot.ports import Clock, SystemClock
from bot.reminders import ReminderEngine, Scheduler
from bot.store import Store, open_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class App:
    """Everything a running Rebound is made of."""

    settings: Settings
    store: Store
    content: Content
    clock: Clock
    core: Rebound
    reminders: ReminderEngine
    scheduler: Scheduler
    # Set by SIGTERM or SIGINT (or by a platform that failed): every adapter then closes.
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def until_stopped(self) -> None:
        """Return once asked to stop, with reminders drained, so a platform can close safely."""
        await self.stop.wait()
        # No reminder may be cut off mid-send by its platform closing under it.
        await self.reminders.drain()


@contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """Let SIGTERM and SIGINT set stop; a second signal then acts as usual, at once."""
    loop = asyncio.get_running_loop()
    signals: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)

    def stopping(sig: signal.Signals) -> None:
        logger.info("%s: finishing what is under way, then stopping", sig.name)
        stop.set()
        for each in signals:
            loop.remove_signal_handler(each)

    try:
        for sig in signals:
            loop.add_signal_handler(sig, stopping, sig)
    except NotImplementedError:  # Windows: Ctrl-C still raises KeyboardInterrupt as before
        signals = ()
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def freeze_startup() -> None:
    """Keep what start-up loaded out of the garbage collector's full passes."""
    # The wording, timezones, modules and settings live as long as the process. Walking them
    # in every full collection paused the event loop for about 20 ms at a time under load.
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    content: Content | None = None,
    schedule: bool = True,
    handle_signals: bool = False,
) -> AsyncIterator[App]:
    """Load the wording, open and migrate the database, wire the core and start the scheduler.

    Adapters register their Messenger with `app.reminders.register(platform, messenger)`.
    With handle_signals, SIGTERM and SIGINT set `app.stop` from the first moment of start-up.
    """
    stop = asyncio.Event()
    with stop_on_signals(stop) if handle_signals else nullcontext():
        async with _built(settings, clock, content, schedule, stop) as app:
            yield app


@asynccontextmanager
async def _built(
    settings: Settings,
    clock: Clock | None,
    content: Content | None,
    schedule: bool,
    stop: asyncio.Event,
) -> AsyncIterator[App]:
    # Reading and checking prompts/ is file I/O: keep it off the event loop.
    content = content or await asyncio.to_thread(load_content)
    commands.check_texts(content.commands)
    await asyncio.to_thread(when.warm)
    clock = clock or SystemClock()
    store = open_store(settings.database)
    await store.open()
    scheduler = None
    try:
        core = Rebound(store, content, clock, default_timezone=settings.timezone)
        engine = ReminderEngine(store, core, clock)
        scheduler = Scheduler(engine)
        if schedule:
            await scheduler.start()
        freeze_startup()
        logger.info("Rebound ready on %s", settings.database_name)
        yield App(
            settings=settings,
            store=store,
            content=content,
            clock=clock,
            core=core,
            reminders=engine,
            scheduler=scheduler,
            stop=stop,
        )
    finally:
        # Reverse order of start: the reminder being sent finishes and the rest of its batch
        # goes back to pending, then the trigger stops, then the store folds its log and closes.
        try:
            if scheduler is not None:
                await scheduler.engine.drain()
                scheduler.shutdown()
                await scheduler.engine.release()
        finally:
            # Always: an open connection's thread would keep the process from exiting, and
            # claims a failed release left behind are taken back at the next start.
            await store.close()
