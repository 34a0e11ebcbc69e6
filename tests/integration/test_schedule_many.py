from datetime import timedelta

from bot.models import PersonRef
from bot.store import ReminderPlan
from tests.conftest import START


async def test_scheduling_many_at_once_keeps_keys_unique_and_replaces_times(store):
    person = await store.people.ensure(PersonRef("test", "u", "U"), START)
    plans = [
        ReminderPlan(person.id, "checkin", None, f"k{n}", START + timedelta(hours=n))
        for n in range(5)
    ]
    await store.reminders.schedule_many(plans, START)
    await store.reminders.schedule_many(
        [*plans[:2], ReminderPlan(person.id, "checkin", None, "k0", START + timedelta(days=3))],
        START,
    )
    rows = await store.reminders.for_person(person.id, ["pending"])
    assert [r.key for r in rows] == ["k1", "k2", "k3", "k4", "k0"]
    assert rows[-1].due_at == START + timedelta(days=3)
