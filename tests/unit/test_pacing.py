"""Token buckets with a fake monotonic clock: the waits they ask for, never real sleeping."""

import asyncio

from bot.models import PersonRef, Reply, Text
from bot.pacing import PacedMessenger, Pacer, TokenBucket, discord_pacer, slack_pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_bucket_allows_a_burst_then_paces_at_its_rate():
    fake = FakeTime()
    bucket = TokenBucket(40, 40, monotonic=fake.monotonic, sleep=fake.sleep)
    for _ in range(100):
        await bucket.acquire()
    # 40 go at once; the other 60 need 60/40 = 1.5 seconds of refill.
    assert abs(fake.now - 1.5) < 1e-9


async def test_per_channel_buckets_do_not_hold_each_other_up():
    fake = FakeTime()
    pacer = Pacer(1, 1, per_key=True, monotonic=fake.monotonic, sleep=fake.sleep)
    for channel in ("a", "b", "c"):
        await pacer.acquire(channel)
    assert fake.now == 0
    await pacer.acquire("a")
    assert fake.now == 1.0  # one message per second in the same channel


class Recorder:
    def __init__(self, fake: FakeTime) -> None:
        self.fake = fake
        self.times: list[float] = []

    async def send_dm(self, person, reply, *, key=None) -> None:
        self.times.append(self.fake.now)

    async def post(self, community, channel_id, reply) -> None:
        self.times.append(self.fake.now)


async def test_a_paced_messenger_keeps_a_burst_under_the_platform_limit():
    fake = FakeTime()
    inner = Recorder(fake)
    paced = PacedMessenger(inner, discord_pacer(monotonic=fake.monotonic, sleep=fake.sleep))
    reply = Reply(text=Text.of("hi"))
    await asyncio.gather(
        *(paced.send_dm(PersonRef("discord", str(n), "x"), reply) for n in range(200))
    )
    assert len(inner.times) == 200
    # In any one-second window, never more than the 40 Rebound allows itself.
    for start in inner.times:
        assert len([t for t in inner.times if start <= t < start + 1 - 1e-9]) <= 40
    assert inner.times[-1] >= 199 / 40 - 1e-9


async def test_slack_paces_each_channel_at_one_message_a_second():
    fake = FakeTime()
    inner = Recorder(fake)
    paced = PacedMessenger(inner, slack_pacer(monotonic=fake.monotonic, sleep=fake.sleep))
    reply = Reply(text=Text.of("hi"))
    for _ in range(3):
        await paced.send_dm(PersonRef("slack", "U1", "x"), reply)
    await paced.send_dm(PersonRef("slack", "U2", "y"), reply)
    assert inner.times == [0.0, 1.0, 2.0, 2.0]
