"""When a community's buddy round is due: weekday and hour in its timezone, cadence, catch-up."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.usecases.buddy_round import CATCH_UP, due_round, next_round, round_key, seed_of

WEEKLY = {"buddies": "weekly", "buddy_day": "tuesday", "buddy_hour": "18"}
# Thursday 26 November 2026, 15:00 UTC.
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def test_the_next_round_is_the_weekday_and_hour_in_the_community_timezone():
    berlin = {**WEEKLY, "timezone": "Europe/Berlin"}
    assert next_round(berlin, NOW, "UTC") == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert next_round(WEEKLY, NOW, "Asia/Kolkata") == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)


def test_defaults_are_monday_at_nine_and_off_means_no_round():
    assert next_round({"buddies": "weekly"}, NOW, "UTC") == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert next_round({}, NOW, "UTC") is None
    assert due_round({}, NOW, "UTC") is None


def test_fortnightly_rounds_come_every_other_week():
    fortnightly = {**WEEKLY, "buddies": "fortnightly"}
    first = next_round(fortnightly, NOW, "UTC")
    second = next_round(fortnightly, first, "UTC")
    assert second - first == timedelta(weeks=2)
    weekly_first = next_round(WEEKLY, NOW, "UTC")
    assert next_round(WEEKLY, weekly_first, "UTC") - weekly_first == timedelta(weeks=1)


@pytest.mark.parametrize(
    ("late", "due"),
    [
        (timedelta(0), True),
        (timedelta(hours=5), True),
        (CATCH_UP, False),
        (-timedelta(minutes=1), False),
    ],
)
def test_a_round_is_due_from_its_moment_for_a_day_and_no_longer(late, due):
    moment = next_round(WEEKLY, NOW, "UTC")
    found = due_round(WEEKLY, moment + late, "UTC")
    assert (found == moment) is due


def test_a_rounds_key_is_its_local_date_and_its_seed_is_fixed():
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert round_key(moment, {"timezone": "Asia/Tokyo"}, "UTC") == "2026-12-01"
    assert seed_of(3, "2026-12-01") == seed_of(3, "2026-12-01") != seed_of(4, "2026-12-01")
