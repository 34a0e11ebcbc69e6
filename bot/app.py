"""The one wiring point: settings in, a running core with its store and clock out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.content import Content, load_content
from bot.core import Rebound
from bot.ports import Clock, SystemClock
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


@asynccontextmanager
async def build(
    settings: Settings, *, clock: Clock | None = None, content: Content | None = None
) -> AsyncIterator[App]:
    """Load the wording, open and migrate the database, and wire the core; close on exit."""
    # Reading and checking prompts/ is file I/O: keep it off the event loop.
    content = content or await asyncio.to_thread(load_content)
    clock = clock or SystemClock()
    store = Store(settings.db_path)
    await store.open()
    try:
        core = Rebound(store, content, clock, default_timezone=settings.timezone)
        logger.info("Rebound ready on %s", settings.db_path)
        yield App(settings=settings, store=store, content=content, clock=clock, core=core)
    finally:
        await store.close()
