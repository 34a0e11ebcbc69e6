"""The insights' rules: month and quarter windows in the person's timezone, stage, trend."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import insights
from bot.content import Content
from bot.insights import MonthTally

BERLIN = ZoneInfo("Europe/Berlin")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_months_are_the_persons_own_oldest_first():
    # 23:30 UTC on 30 November is already 1 December in Berlin: December is "this month".
    windows = insights.month_windows(utc(2026, 11, 30, 23, 30), BERLIN)
    assert [w.first_day for w in windows] == [date(2026, m, 1) for m in (9, 10, 11, 12)]
    december = windows[-1]
    assert december.start == utc(2026, 11, 30, 23, 0)  # midnight in Berlin, winter time
    # Before the clocks went back on 25 October, Berlin was two hours ahead.
    assert windows[1].start == utc(2026, 9, 30, 22, 0)
    assert windows[1].end == windows[2].start == utc(2026, 10, 31, 23, 0)


def test_a_moment_belongs_to_exactly_one_month_across_a_year_end():
    windows = insights.month_windows(utc(2027, 1, 10, 12), AUCKLAND)
    assert [w.first_day for w in windows] == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    # 11:30 UTC on 31 December is 00:30 on 1 January in Auckland (UTC+13 in summer).
    moment = utc(2026, 12, 31, 11, 30)
    assert [w.holds(moment) for w in windows] == [False, False, False, True]


def test_quarters_are_calendar_quarters_in_the_persons_timezone():
    this, last = insights.quarter_windows(utc(2026, 12, 31, 23, 30), BERLIN)
    # Already 1 January 2027 in Berlin: the quarter is January to March.
    assert this.first_day == date(2027, 1, 1) and last.first_day == date(2026, 10, 1)
    assert last.end == this.start == utc(2026, 12, 31, 23, 0)


def test_the_tally_counts_applications_and_nos_by_stage_per_month():
    windows = insights.month_windows(utc(2026, 11, 20), UTC, count=2)
    tallies = insights.tally(
        windows,
        [utc(2026, 10, 3), utc(2026, 11, 1), utc(2026, 11, 2), utc(2026, 12, 1)],
        [(utc(2026, 10, 9), "screen"), (utc(2026, 11, 4), "final"), (utc(2026, 11, 5), "final")],
    )
    assert [(t.applications, dict(t.nos)) for t in tallies] == [
        (1, {"screen": 1}),
        (2, {"final": 2}),
    ]
    assert insights.data_points(tallies) == 6


def _months(*nos: dict[str, int]) -> list[MonthTally]:
    return [MonthTally(date(2026, 9 + i, 1), 0, Counter(n)) for i, n in enumerate(nos)]


@pytest.mark.parametrize(
    ("nos", "expected"),
    [
        (({"screen": 2}, {"technical": 1}), ("screen", 2)),
        (({"screen": 1}, {"final": 1, "technical": 1}, {"final": 1}), ("final", 2)),
        # A tie goes to the earlier stage.
        (({"technical": 2}, {"application": 2}), ("application", 2)),
        # "other" is no stage of the process to advise on.
        (({"other": 5}, {"offer": 1}), ("offer", 1)),
        (({"other": 3},), None),
        ((), None),
    ],
)
def test_the_stage_where_most_nos_come(nos, expected):
    assert insights.top_stage(_months(*nos)) == expected


def test_the_trend_is_about_the_furthest_stage_reached_in_either_quarter():
    this, last = insights.quarter_windows(utc(2026, 11, 20), UTC)
    nos = [
        (utc(2026, 10, 5), "final"),
        (utc(2026, 11, 1), "offer"),  # an offer-stage no reached the final round too
        (utc(2026, 11, 2), "final"),
        (utc(2026, 8, 1), "final"),
        (utc(2026, 8, 2), "screen"),
        (utc(2026, 3, 1), "final"),  # two quarters ago: in neither
    ]
    assert insights.trend(nos, this, last) == insights.Trend("final", 3, 1)
    only_screens = [(utc(2026, 8, 1), "screen"), (utc(2026, 9, 1), "application")]
    assert insights.trend(only_screens, this, last) == insights.Trend("screen", 0, 1)
    assert insights.trend([(utc(2026, 10, 1), "other")], this, last) is None


# What each stage's suggestion must be about: the stage's theme, in words a person can act on.
SUGGESTS = {
    "application": ("CV", "targeting"),
    "screen": ("story", "salary"),
    "technical": ("practice", "timed"),
    "final": ("fit", "closing"),
}


@pytest.mark.parametrize("stage", sorted(SUGGESTS))
def test_each_stage_suggests_one_step_tied_to_its_theme(content: Content, stage):
    text = content.msg(f"insights.suggest.{stage}").plain()
    assert all(word in text for word in SUGGESTS[stage]), text
    assert "One step:" in text
    others = [content.msg(f"insights.suggest.{s}").plain() for s in SUGGESTS if s != stage]
    assert text not in others
