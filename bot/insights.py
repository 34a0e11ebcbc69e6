"""The insights' rules as pure functions: month and quarter windows, tallies, stage and trend.

Windows are counted in the person's own timezone (a no logged at 23:30 on 31 October in
Berlin is October's), and returned in UTC for the store to compare against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

MONTHS = 4
# Fewer data points than this and there is nothing yet worth a chart.
MIN_POINTS = 3
# The stages a no can come after, in the order of the process; a no at a stage means the
# person reached every stage before it too ("other" is not on the way to anything).
PROCESS = ("application", "screen", "technical", "final", "offer")
# The stages a trend can be about, furthest first: reaching one more often is progress.
TREND_STAGES = ("final", "technical", "screen")


@dataclass(frozen=True, slots=True)
class Window:
    """A span of local time as UTC bounds: from start up to (not including) end."""

    start: datetime
    end: datetime
    first_day: date

    def holds(self, moment: datetime) -> bool:
        """True when moment falls inside the window."""
        return self.start <= moment < self.end


def _month_start(year: int, month: int, tz: ZoneInfo) -> datetime:
    # Midnight local time; zoneinfo picks the right offset even on a DST-change day.
    return datetime.combine(date(year, month, 1), time(0), tzinfo=tz).astimezone(UTC)


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def month_windows(now: datetime, tz: ZoneInfo, count: int = MONTHS) -> list[Window]:
    """The current month and the count-1 before it in tz, oldest first."""
    local = now.astimezone(tz)
    windows = []
    for back in range(count - 1, -1, -1):
        year, month = _shift(local.year, local.month, -back)
        next_year, next_month = _shift(year, month, 1)
        windows.append(
            Window(
                _month_start(year, month, tz),
                _month_start(next_year, next_month, tz),
                date(year, month, 1),
            )
        )
    return windows


def quarter_windows(now: datetime, tz: ZoneInfo) -> tuple[Window, Window]:
    """The calendar quarter now falls in (in tz), and the one before it."""
    local = now.astimezone(tz)
    first = local.month - (local.month - 1) % 3
    this_year, this_month = local.year, first
    last_year, last_month = _shift(this_year, this_month, -3)
    end_year, end_month = _shift(this_year, this_month, 3)
    this = Window(
        _month_start(this_year, this_month, tz),
        _month_start(end_year, end_month, tz),
        date(this_year, this_month, 1),
    )
    last = Window(
        _month_start(last_year, last_month, tz), this.start, date(last_year, last_month, 1)
    )
    return this, last


@dataclass(frozen=True, slots=True)
class MonthTally:
    """One month's applications and no's, the no's by stage."""

    first_day: date
    applications: int
    nos: Counter[str] = field(default_factory=Counter)

    @property
    def total_nos(self) -> int:
        """All the month's no's, whatever their stage."""
        return sum(self.nos.values())


def tally(
    windows: Sequence[Window],
    applications: Iterable[datetime],
    rejections: Iterable[tuple[datetime, str]],
) -> list[MonthTally]:
    """Each window's applications and no's by stage, in the windows' order."""
    applied = list(applications)
    nos = list(rejections)
    return [
        MonthTally(
            w.first_day,
            sum(1 for a in applied if w.holds(a)),
            Counter(stage for moment, stage in nos if w.holds(moment)),
        )
        for w in windows
    ]


def data_points(tallies: Iterable[MonthTally]) -> int:
    """Applications and no's together: what the insights have to go on."""
    return sum(t.applications + t.total_nos for t in tallies)


def top_stage(tallies: Iterable[MonthTally]) -> tuple[str, int] | None:
    """The stage where most no's came, and how many; None without a no at a known stage.

    A tie goes to the earlier stage: what helps there lets more applications reach the next.
    """
    counts: Counter[str] = Counter()
    for month in tallies:
        counts.update(month.nos)
    ranked = [(counts[s], -PROCESS.index(s), s) for s in PROCESS if counts[s]]
    if not ranked:
        return None
    count, _, stage = max(ranked)
    return stage, count


def reached(stage: str, rejected_at: str) -> bool:
    """True when a no at rejected_at means the person got at least as far as stage."""
    if rejected_at not in PROCESS:
        return False
    return PROCESS.index(rejected_at) >= PROCESS.index(stage)


@dataclass(frozen=True, slots=True)
class Trend:
    """How often the person reached a stage this quarter and last quarter."""

    stage: str
    this_quarter: int
    last_quarter: int


def trend(rejections: Iterable[tuple[datetime, str]], this: Window, last: Window) -> Trend | None:
    """The furthest stage reached in either quarter, counted in both; None when none was."""
    nos = list(rejections)
    for stage in TREND_STAGES:
        now_count = sum(1 for m, s in nos if this.holds(m) and reached(stage, s))
        before = sum(1 for m, s in nos if last.holds(m) and reached(stage, s))
        if now_count or before:
            return Trend(stage, now_count, before)
    return None


def first_monday(year: int, month: int) -> date:
    """The first Monday of a month."""
    first = date(year, month, 1)
    return date(year, month, 1 + (7 - first.weekday()) % 7)


def month_of(key: str) -> tuple[int, int] | None:
    """The (year, month) a `yyyy-mm` key names, or None for anything else."""
    year, _, month = key.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return None
    return int(year), int(month)


def month_window(year: int, month: int, tz: ZoneInfo) -> Window:
    """A whole month in tz."""
    end_year, end_month = _shift(year, month, 1)
    return Window(
        _month_start(year, month, tz), _month_start(end_year, end_month, tz), date(year, month, 1)
    )


def review_day(year: int, month: int) -> date:
    """The day a month's ledger comes: the first Monday of the month after it."""
    return first_monday(*_shift(year, month, 1))
