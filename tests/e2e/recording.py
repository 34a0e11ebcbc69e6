"""What the platform doubles share: a loopback server, a log of calls, and waiting on it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    """JSON with Content-Type exactly application/json (discord.py checks it to the letter)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class RecordingServer:
    """An aiohttp server on 127.0.0.1 that records calls as they arrive."""

    calls: list[Any] = field(default_factory=list)
    port: int = 0
    runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def serve(self, app: web.Application) -> None:
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def record(self, call: Any) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def wait_for(self, check: Callable[[list[Any]], Any], limit: float = 10) -> Any:
        """Wait until check(calls) is truthy: event-driven, bounded only as a safety net."""

        async def until() -> Any:
            async with self._changed:
                while not (found := check(self.calls)):
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(until(), limit)
