"""Local time: timezones, quiet hours and the dates people type, all daylight-saving safe."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
DEFAULT_HOUR = time(10, 0)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]?([0-5]\d)?$")
_OFFSET = re.compile(r"(?:utc|gmt)? ?([+\-−]) ?(\d{1,2})(?::?([0-5]\d))?")
_ETC = re.compile(r"etc/gmt([+-])(\d{1,2})")
# Abbreviations and countries people type that name one zone.
ONE_ZONE = {
    "ist": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "bst": "Europe/London",
    "uk": "Europe/London",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "sgt": "Asia/Singapore",
    "nzst": "Pacific/Auckland",
    "new zealand": "Pacific/Auckland",
}
# Abbreviations and countries that could mean several zones: asked, never guessed. EST is a
# winter clock; a place's own zone follows its summer time as well.
SEVERAL = {
    "est": ("America/New_York", "America/Toronto", "America/Panama"),
    "edt": ("America/New_York", "America/Toronto"),
    "cst": ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"),
    "cdt": ("America/Chicago", "America/Winnipeg"),
    "mst": ("America/Denver", "America/Phoenix", "America/Edmonton"),
    "mdt": ("America/Denver", "America/Edmonton"),
    "pst": ("America/Los_Angeles", "America/Vancouver"),
    "pdt": ("America/Los_Angeles", "America/Vancouver"),
    "aest": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "usa": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "canada": ("America/Toronto", "America/Winnipeg", "America/Edmonton", "America/Vancouver"),
    "australia": (
        "Australia/Sydney",
        "Australia/Brisbane",
        "Australia/Adelaide",
        "Australia/Perth",
    ),
    "brazil": ("America/Sao_Paulo", "America/Manaus", "America/Recife"),
}


class WhenError(ValueError):
    """A date, time or timezone a person typed could not be understood.

    str() is the one suggestion, if any; a timezone may carry options to choose from, the
    offset that was typed (`+05:30`), and whether it was an Etc/GMT zone whose sign is inverted.
    """

    def __init__(
        self,
        suggestion: str = "",
        *,
        options: tuple[str, ...] = (),
        offset: str | None = None,
        inverted: bool = False,
    ) -> None:
        super().__init__(suggestion)
        self.options = options
        self.offset = offset
        self.inverted = inverted


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


@functools.cache
def _zone_lookup() -> dict[str, str]:
    return {name.casefold(): name for name in _zone_names()}


@functools.cache
def _places() -> tuple[str, ...]:
    """The zones of zone.tab: where people live, without aliases (Asia/Calcutta, Etc/GMT+5)."""
    try:
        table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        table = ""
    found = {line.split("\t")[2] for line in table.splitlines() if line and line[0] != "#"}
    known = set(_zone_names())
    return tuple(sorted(found & known)) or tuple(n for n in _zone_names() if "/" in n)


@functools.cache
def _by_city() -> dict[str, str]:
    """The zone of each city that names exactly one (`kolkata` -> Asia/Kolkata)."""
    cities: dict[str, list[str]] = {}
    for name in _places():
        cities.setdefault(name.rsplit("/", 1)[-1].casefold(), []).append(name)
    return {city: names[0] for city, names in cities.items() if len(names) == 1}


def warm() -> int:
    """Read the list of timezone names now (file I/O), so suggestions never read it on the loop."""
    return len(_zone_names()) + len(_places())


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo of a name already checked by parse_timezone."""
    return ZoneInfo(name)


def parse_timezone(value: str) -> str:
    """The canonical IANA name for what a person typed; WhenError carries what to suggest.

    Accepts names, cities (`New York`), and abbreviations and countries that name one zone
    (IST, India). An offset (`GMT+5:30`) or an Etc/GMT zone is never guessed: the error
    lists the places at that offset to choose from.
    """
    cleaned = value.strip().replace(" ", "_")
    folded = cleaned.casefold()
    words = " ".join(folded.replace("_", " ").split())
    if folded in ("utc", "gmt", "z"):
        return "UTC"
    if etc := _ETC.fullmatch(folded):
        # Etc/GMT+5 is five hours behind UTC (POSIX inverts the sign): say so, never take it.
        minutes = (-60 if etc.group(1) == "+" else 60) * int(etc.group(2))
        raise WhenError(options=zones_at(minutes), offset=offset_text(minutes), inverted=True)
    exact = _zone_lookup().get(folded)
    if (exact and "/" in exact) or exact == "UTC":
        return exact
    named = ONE_ZONE.get(words) or _by_city().get(folded)
    if named:
        return named
    if words in SEVERAL:
        raise WhenError(SEVERAL[words][0], options=SEVERAL[words])
    if typed := _OFFSET.fullmatch(words):
        sign = -1 if typed.group(1) in "-−" else 1
        minutes = sign * (int(typed.group(2)) * 60 + int(typed.group(3) or 0))
        raise WhenError(options=zones_at(minutes), offset=offset_text(minutes))
    raise WhenError(suggest_timezone(cleaned) or "")


def offset_text(minutes: int) -> str:
    """An offset from UTC as people write it: +05:30, −05:00 (a true minus sign)."""
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


@functools.cache
def zones_at(minutes: int, limit: int = 8) -> tuple[str, ...]:
    """Places whose clocks are at this offset from UTC in January or in July, by name."""
    # Two fixed moments stand for winter and summer, so the list is the same any day.
    moments = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))
    wanted = timedelta(minutes=minutes)
    found = [
        name
        for name in _places()
        if any(m.astimezone(ZoneInfo(name)).utcoffset() == wanted for m in moments)
    ]
    return tuple(found[:limit])


def suggest_timezone(value: str) -> str | None:
    """The closest IANA name to value, matching the city part too (`berlin` -> Europe/Berlin)."""
    folded = value.casefold()
    names = list(_places())
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
    hits = [n for n in _places() if folded in n.casefold()]
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
