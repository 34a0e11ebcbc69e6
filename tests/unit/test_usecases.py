"""The use-case modules' own pieces: /rejected's pure plan, and the reminder kinds' registry."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time

from bot.store.records import Person, RejectionView
from bot.usecases import reminders
from bot.usecases.kit import Kit
from bot.usecases.rejections import planner

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # a Thursday


def person(**changes: object) -> Person:
    values: dict[str, object] = {
        "id": 7,
        "platform": "test",
        "user_id": "alex",
        "display_name": "Alex",
        "timezone": None,
        "quiet_start": "22:00",
        "quiet_end": "08:00",
        "dm_reminders": True,
    }
    values.update(changes)
    return Person(**values)  # type: ignore[arg-type]


def view(who: Person, seen: dict[str, list[str]], zone: str | None = None) -> RejectionView:
    return RejectionView(who, 3, {}, zone, rejection_id=41, seen=seen)


def kit(store, content, clock, seed: int = 1) -> Kit:
    return Kit(store, content, clock, "UTC", random.Random(seed))


def test_the_plan_shows_an_unseen_encouragement_and_remembers_it(store, content, clock):
    plan = planner(kit(store, content, clock), "screen", 3, NOW)
    pool = content.encouragement[("screen", "middling")]
    seen = [t.key for t in pool[:-1]]
    words = plan(view(person(), {name: [] for name in plan.pools} | {plan.pools[0]: seen}))
    assert words.encouragement is pool[-1]
    assert words.shown[0].pool == plan.pools[0] and words.shown[0].key == pool[-1].key
    assert words.reframe is not None and len(words.shown) == 2


def test_a_low_day_plan_has_no_reframe(store, content, clock):
    plan = planner(kit(store, content, clock), "final", 1, NOW)
    assert len(plan.pools) == 1
    words = plan(view(person(), {plan.pools[0]: []}))
    assert words.reframe is None and len(words.shown) == 1


def test_the_plans_reminders_come_at_10_in_the_persons_own_timezone(store, content, clock):
    plan = planner(kit(store, content, clock), "screen", 3, NOW)
    seen = {name: [] for name in plan.pools}
    words = plan(view(person(checkin_days=(2, 7)), seen, zone="Asia/Tokyo"))
    keys = [r.key for r in words.reminders]
    # Check-ins are keyed by the day they come (in Tokyo it is already Friday 27 November).
    assert keys == [
        "checkin:p7:2026-11-29",
        "checkin:p7:2026-12-04",
        "ledger:p7:2026-11",  # November's review, on the first Monday of December
        "nudge:41",
    ]
    assert {r.due.astimezone(UTC).time() for r in words.reminders} == {time(1, 0)}  # 10:00 JST
    mine = plan(view(person(timezone="UTC", nudges=False), seen, zone="Asia/Tokyo"))
    assert [r.key for r in mine.reminders] == [
        "checkin:p7:2026-11-28",
        "checkin:p7:2026-12-03",
        "ledger:p7:2026-11",
    ]
    assert mine.reminders[-1].due == datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert {r.due.time() for r in mine.reminders} == {time(10, 0)}


def test_quiet_hours_move_the_plans_reminders(store, content, clock):
    plan = planner(kit(store, content, clock), "screen", 3, NOW)
    who = person(timezone="UTC", quiet_start="09:00", quiet_end="12:00")
    words = plan(view(who, {name: [] for name in plan.pools}))
    assert {r.due.time() for r in words.reminders} == {time(12, 0)}


def test_every_reminder_kind_people_can_see_has_an_entry_in_the_registry(content):
    listed = {
        k.removeprefix("reminder.kind.") for k in content.messages if k.startswith("reminder.kind.")
    }
    assert listed == set(reminders.KINDS)
