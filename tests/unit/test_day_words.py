"""Issue 14 item 12: past days named as people say them; one check-in per person and day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.usecases.rejections import plan_reminders
from bot.usecases.reminders import day_name
from tests.unit.test_usecases import person


def test_a_day_this_week_is_its_weekday_and_an_older_one_has_its_date() -> None:
    monday = date(2026, 11, 23)
    assert day_name(monday, date(2026, 11, 26)).plain() == "Monday"
    assert day_name(monday, date(2026, 12, 1)).plain() == "Monday 23 November"


def test_rejections_logged_the_same_day_plan_the_same_checkins() -> None:
    morning = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    first = plan_reminders(person(), ZoneInfo("UTC"), 1, morning)
    second = plan_reminders(person(), ZoneInfo("UTC"), 2, evening)
    checkins = [[(p.key, p.due) for p in plans if p.kind == "checkin"] for plans in (first, second)]
    assert checkins[0] == checkins[1] and len(checkins[0]) == 2
