"""Checking what people type: lengths, choices, numbers, stages, on/off words, days, zones."""

from __future__ import annotations

from collections.abc import Sequence

from bot import when
from bot.models import Text
from bot.vocab import (
    DIGITS_MAX,
    MAX_CHECKIN_DAYS,
    OFF_WORDS,
    ON_WORDS,
    STAGE_ALIASES,
    STAGES,
    UserError,
)

PREVIEW = 280


def clean(value: str | None, field: str, limit: int) -> str | None:
    """Strip a free-text value; refuse (never cut) one that is too long."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise UserError("error.too_long", field=Text.of(field), length=len(text), limit=limit)
    return text


def choice(value: str | None, choices: Sequence[str], field: str, *, default: str) -> str:
    """The chosen option, or a kind refusal that lists the valid ones."""
    key = (value or default).strip().lower()
    if key not in choices:
        raise UserError(
            "error.bad_choice",
            field=Text.of(field),
            value=value,
            choices=Text.of(", ".join(choices)),
        )
    return key


def in_range(value: int | str | None, low: int, high: int, key: str) -> int | None:
    """A whole number from low to high, None when not given; refused with message key."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(key, value=str(value)) from None
    if not low <= number <= high:
        raise UserError(key, value=str(value))
    return number


def parse_stage(value: str | None) -> str:
    """The stage key for what a person typed; unknown words list the valid stages."""
    if value is None or not value.strip():
        return "other"
    text = " ".join(value.strip().lower().replace("_", " ").split())
    if text in STAGES:
        return text
    if text in STAGE_ALIASES:
        return STAGE_ALIASES[text]
    raise UserError("error.unknown_stage", value=value, choices=Text.of(", ".join(STAGES)))


def parse_on_off(value: str | bool | None, field: str) -> bool | None:
    """True or False from on/off words; None when not given."""
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in ON_WORDS:
        return True
    if text in OFF_WORDS:
        return False
    raise UserError("error.bad_on_off", field=Text.of(field), value=value)


def parse_days(value: str | None) -> tuple[int, ...] | None:
    """Check-in days after a rejection from `2,7` or `off`; None when not given."""
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if text in OFF_WORDS or text == "none":
        return ()
    try:
        days = tuple(sorted({int(part) for part in text.replace(" ", ",").split(",") if part}))
    except ValueError:
        raise UserError("error.bad_days", value=value) from None
    if not days or len(days) > MAX_CHECKIN_DAYS or not all(1 <= d <= 60 for d in days):
        raise UserError("error.bad_days", value=value)
    return days


def parse_zone(value: str, raw: str) -> str:
    """The IANA name for a timezone a person typed; refused with a suggestion when one fits."""
    try:
        return when.parse_timezone(value)
    except when.WhenError as exc:
        zones = Text.of(", ".join(exc.options)) if exc.options else None
        first = exc.options[0] if exc.options else None
        if exc.offset is not None:
            key = "error.timezone_inverted" if exc.inverted else "error.timezone_offset"
            offset = Text.of(exc.offset)
            raise UserError(key, value=raw, offset=offset, zones=zones, first=first) from None
        if len(exc.options) > 1:
            raise UserError("error.timezone_choose", value=raw, zones=zones, first=first) from None
        if str(exc):
            raise UserError("error.bad_timezone", value=raw, suggestion=Text.of(str(exc))) from None
        raise UserError("error.bad_timezone_plain", value=raw) from None


def preview(text: str) -> str:
    """Text cut to a preview's length."""
    return text if len(text) <= PREVIEW else text[: PREVIEW - 1].rstrip() + "…"


def row_id(value: int | str | None, missing: str, bad: str) -> int:
    """A row's number as a person typed it (`id:12`); refused with missing or bad as the key."""
    if value is None or value == "":
        raise UserError(missing)
    return in_range(value, 1, 10**DIGITS_MAX - 1, bad) or 0
