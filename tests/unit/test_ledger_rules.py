"""When the monthly ledger comes: the first Monday after the month, at 10:00 the person's time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import insights
from bot.store.records import Person
from bot.usecases import ledger


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 11, date(2026, 12, 7)),  # 1 December is a Tuesday
        (2026, 5, date(2026, 6, 1)),  # 1 June is itself a Monday
        (2026, 12, date(2027, 1, 4)),  # across the year end
        (2027, 1, date(2027, 2, 1)),
    ],
)
def test_a_months_review_comes_on_the_first_monday_after_it(year, month, expected):
    assert insights.review_day(year, month) == expected


def _person(**changes: object) -> Person:
    values = {
        "id": 3,
        "platform": "test",
        "user_id": "a",
        "display_name": "A",
        "timezone": None,
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "dm_reminders": True,
        "checkin_days": (2, 7),
        "nudges": True,
        "weekend_followups": False,
        "dm_failed_count": 0,
        "dm_failed_reason": None,
    }
    values.update(changes)
    return Person(**values)  # type: ignore[arg-type]


def test_the_review_is_keyed_by_the_persons_own_month_and_comes_at_their_10():
    # 23:30 UTC on 31 October is already November in Berlin: November's review.
    planned = ledger.plan(
        _person(), ZoneInfo("Europe/Berlin"), datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    )
    assert planned.key == "ledger:p3:2026-11"
    assert planned.due == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    quiet = _person(quiet_start="09:00", quiet_end="11:00")
    late = ledger.plan(quiet, ZoneInfo("UTC"), datetime(2026, 11, 2, tzinfo=UTC))
    assert late.due == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
