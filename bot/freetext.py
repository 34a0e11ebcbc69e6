"""Forgiving reading of `/rejected` typed as one line: `Acme, data analyst, final round - note`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.vocab import STAGE_ALIASES, STAGES

_FEELING = re.compile(r"^(?:feeling|feel|mood)?\s*:?\s*([1-5])\s*(?:/\s*5)?$", re.IGNORECASE)
_NOTE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*:\s+")
_ROUND = re.compile(r"\b(round|stage|interview|call)s?\b", re.IGNORECASE)
_AT = re.compile(r"\s+at\s+", re.IGNORECASE)
# A lone last word is read as the stage only when it can mean nothing else: "Acme Tech" is a
# company, "Acme final" is not.
_PLAIN_STAGES = frozenset(STAGES) - {"other"}


@dataclass(frozen=True, slots=True)
class Parsed:
    """What was understood, and whether anything was left unclear."""

    company: str | None = None
    role: str | None = None
    stage: str | None = None
    feeling: int | None = None
    note: str | None = None
    unclear: bool = False


def _stage_of(segment: str) -> str | None:
    words = " ".join(segment.lower().replace("_", " ").split())
    if words in STAGES:
        return words
    if words in STAGE_ALIASES:
        return STAGE_ALIASES[words]
    trimmed = _ROUND.sub("", words).strip()
    if trimmed in STAGES:
        return trimmed
    return STAGE_ALIASES.get(trimmed)


def _stage_at_end(segment: str) -> tuple[str, str | None]:
    """`Acme data analyst final round` as (`Acme data analyst`, "final"); else (segment, None)."""
    words = segment.split()
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        tail = " ".join(words[-size:])
        found = _stage_of(tail)
        if found and (size > 1 or tail.lower() in _PLAIN_STAGES):
            return " ".join(words[:-size]), found
    return segment, None


def parse_rejection(text: str) -> Parsed:
    """Split a line into company, role, stage, feeling and note; flag what could not be placed."""
    line = text.strip()
    if not line:
        return Parsed()
    head, note = line, None
    parts = _NOTE_SPLIT.split(line, maxsplit=1)
    if len(parts) == 2:
        head, note = parts[0], parts[1].strip() or None
    segments = [s.strip() for s in head.split(",") if s.strip()]
    company = role = stage = None
    feeling = None
    unclear = False
    for raw in segments:
        if stage is None and (found := _stage_of(raw)):
            stage = found
            continue
        if feeling is None and (match := _FEELING.match(raw)):
            feeling = int(match.group(1))
            continue
        if stage is None:
            raw, stage = _stage_at_end(raw)
        if company is None and role is None and len(at := _AT.split(raw, maxsplit=1)) == 2:
            role, company = at[0].strip() or None, at[1].strip() or None
        elif company is None and role is None and stage and len(segments) == 1 and " " in raw:
            # No commas to go by: the first word as the company is a guess, to be checked.
            company, role = raw.split(None, 1)
            unclear = True
        elif company is None:
            company = raw
        elif role is None:
            role = raw
        else:
            unclear = True  # more pieces than places: let the person check the form
    if len(head) > 240 and note is None:
        unclear = True
    return Parsed(company, role, stage, feeling, note, unclear)
