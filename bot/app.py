"""The one wiring point: settings in, a running core with its store, clock and scheduler out."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot import when
from bot.config import Settings
from bot.content import Content, load_content
from bot.core import Rebound
from bot.ports import Clock, SystemClock
from bot.reminders import ReminderEngine, Scheduler
from bot.store import Store

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
) -> AsyncIterator[App]:
    """Load the wording, open and migrate the database, wire the core and start the scheduler.

    Adapters register their Messenger with `app.reminders.register(platform, messenger)`.
    """
    # Reading and checking prompts/ is file I/O: keep it off the event loop.
    content = content or await asyncio.to_thread(load_content)
    await asyncio.to_thread(when.warm)
    clock = clock or SystemClock()
    store = Store(settings.db_path)
    await store.open()
    scheduler = None
    try:
        core = Rebound(store, content, clock, default_timezone=settings.timezone)
        engine = ReminderEngine(store, core, clock)
        scheduler = Scheduler(engine)
        if schedule:
            await scheduler.start()
        freeze_startup()
        logger.info("Rebound ready on %s", settings.db_path)
        yield App(
            settings=settings,
            store=store,
            content=content,
            clock=clock,
            core=core,
            reminders=engine,
            scheduler=scheduler,
        )
    finally:
        # Reverse order of start: the reminder being sent finishes and the rest of its batch
        # goes back to pending, then the trigger stops, then the store folds its log and closes.
        if scheduler is not None:
            await scheduler.engine.drain()
            scheduler.shutdown()
            await scheduler.engine.release()
        await store.close()
