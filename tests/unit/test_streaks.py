from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import streaks
from bot.store import StreakRow

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def week_of(day: date) -> int:
    return streaks.period_index(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), UTC_ZONE)


def test_weeks_start_on_monday_in_the_persons_timezone():
    sunday_late_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # already Monday in Berlin
    assert streaks.period_start(streaks.period_index(sunday_late_utc, UTC_ZONE)) == date(
        2026, 11, 23
    )
    assert streaks.period_start(streaks.period_index(sunday_late_utc, BERLIN)) == date(2026, 11, 30)


def test_actions_in_one_week_add_points_without_lengthening_the_streak():
    week = week_of(date(2026, 11, 23))
    state = streaks.record(StreakRow(), week, 5)
    state = streaks.record(state, week, 1)
    assert (state.current, state.period_points, state.total_points) == (1, 6, 6)


def test_consecutive_weeks_grow_the_streak_and_earn_a_reserve_every_four():
    state = StreakRow()
    first = week_of(date(2026, 1, 5))
    for offset in range(9):
        state = streaks.record(state, first + offset, 1)
    assert state.current == 9
    assert state.best == 9
    assert state.reserves == 2  # earned at weeks 4 and 8


def test_reserves_are_capped_at_two():
    state = StreakRow()
    for offset in range(16):
        state = streaks.record(state, 100 + offset, 1)
    assert state.reserves == streaks.MAX_RESERVES


def test_a_missed_week_spends_a_reserve_instead_of_breaking():
    state = StreakRow()
    for offset in range(4):
        state = streaks.record(state, 200 + offset, 1)
    assert state.reserves == 1
    state = streaks.record(state, 205, 3)  # week 204 missed
    assert state.current == 5
    assert state.reserves == 0


def test_a_missed_week_without_reserves_breaks_the_streak_but_keeps_the_best():
    state = StreakRow()
    for offset in range(3):
        state = streaks.record(state, 300 + offset, 1)
    state = streaks.record(state, 305, 1)
    assert state.current == 1
    assert state.best == 3


def test_settle_shows_a_broken_streak_without_any_new_action():
    state = streaks.record(StreakRow(), 400, 5)
    assert streaks.settle(state, 401).current == 1  # this week still under way
    assert streaks.settle(state, 402).current == 0
    assert streaks.at_risk(state, 401)
    assert not streaks.at_risk(state, 400)


def test_points_this_period_are_zero_in_a_new_week():
    state = streaks.record(StreakRow(), 500, 5)
    assert streaks.points_this_period(state, 500) == 5
    assert streaks.points_this_period(state, 501) == 0


def test_daily_periods_work_with_reserves_too():
    day = datetime(2026, 3, 1, 12, tzinfo=UTC)
    state = StreakRow()
    for offset in range(4):
        index = streaks.period_index(day + timedelta(days=offset), UTC_ZONE, streaks.DAY)
        state = streaks.record(state, index, 1)
    assert state.reserves == 1
    skip_one = streaks.period_index(day + timedelta(days=5), UTC_ZONE, streaks.DAY)
    state = streaks.record(state, skip_one, 1)
    assert (state.current, state.reserves) == (5, 0)
