"""A reminder-dispatching process for the crash test: it is killed with SIGKILL mid-run.

Usage: python -m tests.integration.crash_worker DB LOG NOW_ISO BATCH
Every delivery is appended to LOG (the stand-in for the platform), and a line `sent N` is
printed after each, so the test can kill the process at a known point without sleeping.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

from bot.content import load_content
from bot.core import Rebound
from bot.models import CommunityRef, PersonRef, Reply
from bot.ports import FixedClock
from bot.reminders import ReminderEngine
from bot.store import open_store


class FileMessenger:
    """Delivers by appending the key to a file, unbuffered, like a platform that got the DM."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.count = 0

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        os.write(self._fd, f"{key}\n".encode())
        self.count += 1
        print(f"sent {self.count}", flush=True)

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        raise AssertionError("not used")


async def main(db: str, log: str, now_iso: str, batch: int) -> None:
    clock = FixedClock(datetime.fromisoformat(now_iso))
    async with open_store(db) as store:
        core = Rebound(store, load_content(), clock)
        engine = ReminderEngine(store, core, clock, batch_size=batch)
        engine.register("test", FileMessenger(log))
        await engine.recover()
        while (await engine.tick()).sent:
            pass
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
