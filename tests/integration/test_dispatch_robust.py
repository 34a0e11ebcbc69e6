"""The reminder engine on a real SQLite file when people leave mid-batch or shutdown comes."""

from __future__ import annotations

from datetime import timedelta

from bot.core import Rebound
from bot.models import PersonRef, Reply
from bot.reminders import ReminderEngine
from bot.store import Store
from tests.conftest import in_dm


class ForgettingMessenger:
    """A Messenger double: the first DM it delivers is to someone who then erases another person.

    The send is an await, so in a running bot any other task (here: the other person pressing
    "forget" and confirming) can run between the batch's claim and its next reminder.
    """

    def __init__(self, core: Rebound, forgets: str) -> None:
        self.core = core
        self.forgets = forgets
        self.sent: list[str] = []

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        self.sent.append(person.user_id)
        if len(self.sent) == 1:
            await self.core.forget(in_dm(self.forgets.title()), confirmed=True)

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")


async def test_a_person_erased_mid_batch_does_not_stop_the_batch(store: Store, core, clock):
    now = clock.now()
    bea = await store.people.ensure(PersonRef("test", "bea", "Bea"), now)
    alex = await store.people.ensure(PersonRef("test", "alex", "Alex"), now)
    # One batch in due order: Bea's first, then Alex's, then Bea's second.
    for key, who, due in (
        ("bea-1", bea, now - timedelta(minutes=3)),
        ("alex-1", alex, now - timedelta(minutes=2)),
        ("bea-2", bea, now - timedelta(minutes=1)),
    ):
        await store.reminders.schedule(
            who.id, kind="checkin", ref_id=None, key=key, due=due, now=now
        )
    messenger = ForgettingMessenger(core, forgets="alex")
    engine = ReminderEngine(store, core, clock)
    engine.register("test", messenger)

    tally = await engine.tick()

    assert messenger.sent == ["bea", "bea"]  # Alex's reminder was dropped quietly
    assert tally.sent == 2
    for key in ("bea-1", "bea-2"):
        reminder = await store.reminders.by_key(key)
        assert reminder is not None and reminder.status == "sent", key
    assert await store.reminders.by_key("alex-1") is None
    assert await store.people.find("test", "alex") is None


class Recording:
    """A Messenger double that records whom it DMed."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_dm(self, person: PersonRef, reply: Reply, *, key: str | None = None) -> None:
        self.sent.append(person.user_id)

    async def post(self, community, channel_id, reply) -> None:
        raise AssertionError("reminders never post to channels")


async def test_one_reminder_that_cannot_be_built_is_retried_and_the_batch_goes_on(
    store: Store, core, clock
):
    now = clock.now()
    bea = await store.people.ensure(PersonRef("test", "bea", "Bea"), now)
    alex = await store.people.ensure(PersonRef("test", "alex", "Alex"), now)
    # A zone this machine's tzdata no longer knows (an upgrade removed it) breaks Alex's DM.
    await store.people.update(alex.id, timezone="Mars/Olympus")
    for key, who, due in (
        ("alex-1", alex, now - timedelta(minutes=2)),
        ("bea-1", bea, now - timedelta(minutes=1)),
    ):
        await store.reminders.schedule(
            who.id, kind="checkin", ref_id=None, key=key, due=due, now=now
        )
    messenger = Recording()
    engine = ReminderEngine(store, core, clock)
    engine.register("test", messenger)

    tally = await engine.tick()

    assert messenger.sent == ["bea"]
    assert tally.sent == 1 and tally.retrying == 1
    assert (await store.reminders.by_key("bea-1")).status == "sent"
    stuck = await store.reminders.by_key("alex-1")
    assert stuck.status == "pending" and stuck.attempts == 1
    assert "ZoneInfoNotFoundError" in stuck.last_error
