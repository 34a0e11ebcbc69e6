"""Outbound pacing: token buckets that keep a burst of sends under a platform's limits."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from bot.models import CommunityRef, PersonRef, Reply
from bot.ports import Messenger

Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """At most `rate` sends a second on average, with bursts of up to `capacity`."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("rate must be positive and capacity at least 1")
        self.rate = rate
        self.capacity = capacity
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = capacity
        self._stamp = monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        """Wait until a send is allowed, then take it."""
        async with self._lock:
            while True:
                self._refill()
                # Float refills can land a hair under 1; waiting for that hair would spin forever.
                if self._tokens >= 1 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self._sleep((1 - self._tokens) / self.rate)


class Pacer:
    """One bucket overall, or one per key (such as per channel), created on first use."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        per_key: bool,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_keys: int = 10_000,
    ) -> None:
        self._make = lambda: TokenBucket(rate, capacity, monotonic=monotonic, sleep=sleep)
        self._per_key = per_key
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    async def acquire(self, key: str) -> None:
        """Wait for a turn to send to key."""
        name = key if self._per_key else ""
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = self._make()
            if len(self._buckets) > self._max_keys:
                # A bucket unused for long is full again anyway: dropping the oldest is safe.
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(name)
        await bucket.acquire()


class PacedMessenger:
    """A Messenger that waits for its pacer before every send."""

    def __init__(self, inner: Messenger, pacer: Pacer) -> None:
        self._inner = inner
        self._pacer = pacer

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        """Send a DM once the pacer allows it."""
        await self._pacer.acquire(f"dm:{person.user_id}")
        await self._inner.send_dm(person, reply, key=key)

    async def post(self, community: CommunityRef, channel_id: str, reply: Reply) -> None:
        """Post once the pacer allows it."""
        await self._pacer.acquire(f"channel:{community.community_id}:{channel_id}")
        await self._inner.post(community, channel_id, reply)


def discord_pacer(**fake: Callable) -> Pacer:
    """Discord allows 50 requests a second per bot: stay at 40, evenly, across all sends."""
    return Pacer(40, 1, per_key=False, **fake)


def slack_pacer(**fake: Callable) -> Pacer:
    """Slack allows about one message a second per channel: pace each channel on its own."""
    return Pacer(1, 1, per_key=True, **fake)
