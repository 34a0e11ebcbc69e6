"""Local time: timezones, quiet hours and the dates people type, all daylight-saving safe."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
DEFAULT_HOUR = time(10, 0)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)?$")


class WhenError(ValueError):
    """A date, time or timezone a person typed could not be understood."""


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


@functools.cache
def _zone_lookup() -> dict[str, str]:
    return {name.casefold(): name for name in _zone_names()}


def warm() -> int:
    """Read the list of timezone names now (file I/O), so suggestions never read it on the loop."""
    return len(_zone_names())


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo of a name already checked by parse_timezone."""
    return ZoneInfo(name)


def parse_timezone(value: str) -> str:
    """The canonical IANA name for what a person typed; WhenError carries a suggestion."""
    cleaned = value.strip().replace(" ", "_")
    if cleaned.upper() in ("UTC", "GMT", "Z"):
        return "UTC"
    exact = _zone_lookup().get(cleaned.casefold())
    if (exact and "/" in exact) or exact == "UTC":
        return exact
    raise WhenError(suggest_timezone(cleaned) or "")


def suggest_timezone(value: str) -> str | None:
    """The closest IANA name to value, matching the city part too (`berlin` -> Europe/Berlin)."""
    folded = value.casefold()
    names = [n for n in _zone_names() if "/" in n]
    by_city = {n.rsplit("/", 1)[-1].casefold(): n for n in names}
    if folded in by_city:
        return by_city[folded]
    close = difflib.get_close_matches(folded, [n.casefold() for n in names], n=1, cutoff=0.6)
    if close:
        return _zone_lookup()[close[0]]
    close_city = difflib.get_close_matches(folded, list(by_city), n=1, cutoff=0.7)
    return by_city[close_city[0]] if close_city else None


def search_timezones(partial: str, limit: int = 25) -> list[str]:
    """Timezone names containing partial, for autocomplete."""
    folded = partial.casefold().replace(" ", "_")
    hits = [n for n in _zone_names() if "/" in n and folded in n.casefold()]
    return hits[:limit]


def parse_clock(value: str) -> time:
    """A time of day such as 21:00, 9, 0830 or 7.30."""
    match = _CLOCK.match(value.strip().lower())
    if not match:
        raise WhenError(value)
    return time(int(match.group(1)), int(match.group(2) or 0))


def parse_quiet(value: str) -> tuple[str, str]:
    """Quiet hours as two HH:MM strings from `21:00-08:00`; `off` gives equal start and end."""
    text = value.strip().lower()
    if text in ("off", "none", "no"):
        return ("00:00", "00:00")
    parts = re.split(r"\s*(?:-|–|to)\s*", text)
    if len(parts) != 2:
        raise WhenError(value)
    start, end = (parse_clock(p) for p in parts)
    return (start.strftime("%H:%M"), end.strftime("%H:%M"))


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time, resolved deliberately around DST changes.

    A wall time that happens twice (clocks go back) means the first of the two. A wall time that
    never happens (clocks go forward) moves forward by the size of the gap, so 02:30 on a spring-
    forward night becomes 03:30: the reminder still comes, just after the jump.
    """
    local = datetime.combine(day, at).replace(tzinfo=tz, fold=0)
    return local.astimezone(UTC)


def next_business_day(day: date) -> date:
    """The first Monday-to-Friday day after day."""
    nxt = day + timedelta(days=1)
    while nxt.weekday() >= 5:
        nxt += timedelta(days=1)
    return nxt


def parse_day(value: str, today: date, now: time | None = None) -> date:
    """A local date from what a person typed; a past date raises WhenError.

    Understands today, tomorrow, friday, this friday, next friday (the Friday of the following
    week), next week, in 3 days, end of the month, 2026-12-03, 3 dec and dec 3. now is the local
    time of day: a bare weekday that is today means today only while its 10:00 is still ahead.
    """
    text = " ".join(value.strip().lower().replace(",", " ").split())
    # "by the end of the month", "on friday": the little words in front carry no date.
    text = re.sub(r"^(?:(?:on|by|at|before|until|till)\s+)?(?:the\s+)?", "", text)
    result = _relative_day(text, today, now)
    if result is None and (match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)):
        result = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif result is None:
        result = _day_month(text, today)
    if result is None or result < today:
        raise WhenError(value)
    return result


def _relative_day(text: str, today: date, now: time | None) -> date | None:
    """A day named relative to today (tomorrow, next tuesday, end of the month), else None."""
    if text in ("today", "tonight"):
        return today
    if text in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if text == "next week":
        return today + timedelta(days=7 - today.weekday())
    if re.fullmatch(r"end of (?:the |this )?month", text):
        following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return following - timedelta(days=1)
    if match := re.fullmatch(r"in (\d{1,3}|a|an|one|two|three) (day|days|week|weeks)", text):
        words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
        count = words.get(match.group(1)) or int(match.group(1))
        return today + timedelta(days=count * (7 if match.group(2).startswith("week") else 1))
    match = re.fullmatch(r"(?:(next|this)\s+)?([a-z]+)", text)
    target = _weekday(match.group(2)) if match else None
    if match is None or target is None:
        return None
    if match.group(1) == "next":
        # "next tuesday" is the Tuesday of the following week, even when said on a Monday.
        return today + timedelta(days=7 - today.weekday() + target)
    ahead = (target - today.weekday()) % 7
    if ahead == 0 and (now is None or now >= DEFAULT_HOUR):
        # Today's 10:00, when reminders come, has passed: the person means the next one.
        ahead = 7
    return today + timedelta(days=ahead)


def parse_weekday(word: str) -> int | None:
    """Monday 0 to Sunday 6 from a weekday name or its first three letters; None otherwise."""
    return _weekday(word.strip().lower())


def _weekday(word: str) -> int | None:
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _month(word: str) -> int | None:
    for index, name in enumerate(MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month(text: str, today: date) -> date | None:
    match = re.fullmatch(
        r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)|([a-z]+) (\d{1,2})(?:st|nd|rd|th)?", text
    )
    if not match:
        return None
    day_text, month_text = (
        (match.group(1), match.group(2))
        if match.group(1)
        else (
            match.group(4),
            match.group(3),
        )
    )
    month = _month(month_text)
    if month is None:
        return None
    found = _safe_date(today.year, month, int(day_text))
    if found is not None and found < today:
        # "3 jan" typed in December means next January; 29 feb waits for the next leap year.
        for year in range(today.year + 1, today.year + 9):
            found = _safe_date(year, month, int(day_text))
            if found is not None:
                break
    elif found is None:
        for year in range(today.year + 1, today.year + 9):
            found = _safe_date(year, month, int(day_text))
            if found is not None:
                break
    return found


def split_step_and_day(text: str, today: date, now: time | None = None) -> tuple[str, date | None]:
    """Split `update my CV by friday` into the step and its date, when the text ends with one."""
    words = text.strip().split()
    # Longest tail first, at most six words: enough for "by the end of the month".
    for cut in range(max(1, len(words) - 6), len(words)):
        try:
            day = parse_day(" ".join(words[cut:]), today, now)
        except WhenError:
            continue
        step = " ".join(words[:cut]).rstrip(" ,;:-")
        if step:
            return step, day
    return text.strip(), None


def describe(when: datetime, tz: ZoneInfo) -> str:
    """A moment as a person reads it in their own timezone: `Tuesday 1 December, 10:00`."""
    local = when.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def describe_day(when: datetime, tz: ZoneInfo) -> str:
    """A day as a person reads it: `Tuesday 1 December`."""
    local = when.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B}"


def _clock_of(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: datetime, tz: ZoneInfo, start: str, end: str) -> bool:
    """True when moment falls inside the quiet hours start-end (local, may cross midnight)."""
    if start == end:
        return False
    local = moment.astimezone(tz).time().replace(tzinfo=None)
    begin, finish = _clock_of(start), _clock_of(end)
    if begin < finish:
        return begin <= local < finish
    return local >= begin or local < finish


def after_quiet_hours(moment: datetime, tz: ZoneInfo, start: str, end: str) -> datetime:
    """Return moment, or the end of the quiet hours it falls in (the next local `end`)."""
    if not in_quiet_hours(moment, tz, start, end):
        return moment
    local = moment.astimezone(tz)
    finish = _clock_of(end)
    day = local.date()
    if local.time().replace(tzinfo=None) >= finish:
        day += timedelta(days=1)
    return local_to_utc(day, finish, tz)


def skip_weekend(moment: datetime, tz: ZoneInfo) -> datetime:
    """Return moment, or the same local time on the Monday after when it falls on a weekend."""
    local = moment.astimezone(tz)
    if local.weekday() < 5:
        return moment
    monday = local.date() + timedelta(days=7 - local.weekday())
    return local_to_utc(monday, local.time().replace(tzinfo=None), tz)
