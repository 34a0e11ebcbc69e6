from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot import when

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", THURSDAY),
        ("tomorrow", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("thursday", date(2026, 12, 3)),  # the same weekday means next week, never today
        ("next monday", date(2026, 11, 30)),
        ("by Mon", date(2026, 11, 30)),
        ("next week", date(2026, 11, 30)),
        ("in 3 days", date(2026, 11, 29)),
        ("in two weeks", date(2026, 12, 10)),
        ("2026-12-03", date(2026, 12, 3)),
        ("3 dec", date(2026, 12, 3)),
        ("Dec 3rd", date(2026, 12, 3)),
        ("5 jan", date(2027, 1, 5)),
        ("29 feb", date(2028, 2, 29)),
    ],
)
def test_days_people_type(typed, expected):
    assert when.parse_day(typed, THURSDAY) == expected


@pytest.mark.parametrize("typed", ["2026-11-01", "someday", "", "2026-02-30", "in 0x days"])
def test_days_that_cannot_be_used(typed):
    with pytest.raises(when.WhenError):
        when.parse_day(typed, THURSDAY)


def test_step_and_day_are_split_from_one_sentence():
    assert when.split_step_and_day("update my CV by friday", THURSDAY) == (
        "update my CV",
        date(2026, 11, 27),
    )
    assert when.split_step_and_day("email Dana on 2026-12-03", THURSDAY) == (
        "email Dana",
        date(2026, 12, 3),
    )
    assert when.split_step_and_day("practise system design", THURSDAY) == (
        "practise system design",
        None,
    )


def test_timezones_are_canonical_and_typos_get_a_suggestion():
    assert when.parse_timezone("europe/berlin") == "Europe/Berlin"
    assert when.parse_timezone("utc") == "UTC"
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone("Europe/Berln")
    assert str(caught.value) == "Europe/Berlin"
    assert when.parse_timezone("berlin") == "Europe/Berlin"  # a city naming one zone (14.4)
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone("Nowhere/Atlantis-xyz-123")
    assert str(caught.value) == ""


def test_quiet_hours():
    assert when.parse_quiet("21:00-08:00") == ("21:00", "08:00")
    assert when.parse_quiet("22 to 7.30") == ("22:00", "07:30")
    assert when.parse_quiet("off") == ("00:00", "00:00")
    with pytest.raises(when.WhenError):
        when.parse_quiet("late")


def test_a_wall_time_in_the_spring_gap_moves_forward_by_the_gap():
    new_york = ZoneInfo("America/New_York")
    # 2026-03-08 02:30 does not exist in New York: it becomes 03:30 EDT.
    utc = when.local_to_utc(date(2026, 3, 8), time(2, 30), new_york)
    assert utc == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert utc.astimezone(new_york).hour == 3


def test_a_wall_time_that_happens_twice_means_the_first():
    new_york = ZoneInfo("America/New_York")
    utc = when.local_to_utc(date(2026, 11, 1), time(1, 30), new_york)
    assert utc == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST


def test_ten_oclock_stays_ten_oclock_on_both_sides_of_a_change():
    berlin = ZoneInfo("Europe/Berlin")
    before = when.local_to_utc(date(2026, 3, 28), time(10), berlin)
    after = when.local_to_utc(date(2026, 3, 30), time(10), berlin)
    assert before.astimezone(berlin).hour == after.astimezone(berlin).hour == 10
    assert (before.hour, after.hour) == (9, 8)


def test_next_business_day_skips_the_weekend():
    assert when.next_business_day(date(2026, 11, 27)) == date(2026, 11, 30)
    assert when.next_business_day(THURSDAY) == date(2026, 11, 27)


MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("by next tuesday", date(2026, 12, 1)),  # the Tuesday of the following week, 8 days
        ("next tuesday", date(2026, 12, 1)),
        ("this tuesday", date(2026, 11, 24)),
        ("tuesday", date(2026, 11, 24)),
        ("next monday", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 24)),
        ("in 3 days", date(2026, 11, 26)),
        ("next week", date(2026, 11, 30)),
        ("end of the month", date(2026, 11, 30)),
        ("by the end of the month", date(2026, 11, 30)),
        ("end of month", date(2026, 11, 30)),
        ("2026-12-08", date(2026, 12, 8)),
        ("8 dec", date(2026, 12, 8)),
    ],
)
def test_days_people_mean_said_on_a_monday(typed, expected):
    assert when.parse_day(typed, MONDAY, time(9, 0)) == expected


def test_a_bare_weekday_that_is_today_means_today_only_before_ten():
    assert when.parse_day("monday", MONDAY, time(9, 30)) == MONDAY
    assert when.parse_day("this monday", MONDAY, time(9, 30)) == MONDAY
    assert when.parse_day("monday", MONDAY, time(10, 0)) == date(2026, 11, 30)
    assert when.parse_day("monday", MONDAY, time(15, 0)) == date(2026, 11, 30)


def test_a_step_keeps_its_words_when_the_day_is_a_long_phrase():
    assert when.split_step_and_day(
        "send the portfolio to Priya by the end of the month", MONDAY, time(9, 0)
    ) == ("send the portfolio to Priya", date(2026, 11, 30))
    assert when.split_step_and_day("call Sam by next tuesday", MONDAY, time(9, 0)) == (
        "call Sam",
        date(2026, 12, 1),
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("IST", "Asia/Kolkata"),
        ("cet", "Europe/Berlin"),
        ("India", "Asia/Kolkata"),
        ("Berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("kolkata", "Asia/Kolkata"),
    ],
)
def test_abbreviations_countries_and_cities_that_name_one_zone_are_accepted(typed, expected):
    assert when.parse_timezone(typed) == expected


def test_an_offset_asks_with_the_real_zones_at_that_offset():
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone("GMT+5:30")
    assert caught.value.offset == "+05:30"
    assert caught.value.options[:2] == ("Asia/Colombo", "Asia/Kolkata")
    assert not any(name.startswith("Etc/") for name in caught.value.options)


@pytest.mark.parametrize("typed", ["Etc/GMT+5", "etc/gmt+5"])
def test_an_inverted_etc_zone_is_never_accepted_silently(typed):
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone(typed)
    assert caught.value.inverted and caught.value.offset == "−05:00"  # Etc/GMT+5 is UTC−5
    assert "America/Bogota" in caught.value.options


@pytest.mark.parametrize(
    ("typed", "first"),
    [("EST", "America/New_York"), ("PST", "America/Los_Angeles"), ("usa", "America/New_York")],
)
def test_abbreviations_of_a_season_suggest_the_city_zones(typed, first):
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone(typed)
    assert caught.value.options[0] == first and len(caught.value.options) > 1


@pytest.mark.parametrize("typed", ["Brazil/Wst", "GMT+5", "gmt5", "Etc/GMT-3", "eastern"])
def test_no_suggestion_is_an_etc_or_legacy_zone(typed):
    with pytest.raises(when.WhenError) as caught:
        when.parse_timezone(typed)
    for name in (str(caught.value), *caught.value.options):
        assert not name.startswith(("Etc/", "Brazil/", "US/")), name


def test_autocomplete_offers_places_never_inverted_etc_zones():
    assert when.search_timezones("gmt") == []
    assert "Asia/Kolkata" in when.search_timezones("kolk")
