"""Rebound's vocabulary: stages, channels, choices, limits, UserError; imports nothing of ours."""

from __future__ import annotations

from typing import Any

# Where in the hiring process a rejection came; prompts/ has wording for each.
STAGES: tuple[str, ...] = ("application", "screen", "technical", "final", "offer", "other")

# What a logged outcome was: a no, or an offer the person turned down (always the offer stage).
OUTCOMES: tuple[str, ...] = ("rejected", "declined")
DECLINED = "declined"

# Words people use for a stage, mapped to the stage keys.
STAGE_ALIASES = {
    "applied": "application",
    "app": "application",
    "cv": "application",
    "resume": "application",
    "phone": "screen",
    "phone screen": "screen",
    "recruiter screen": "screen",
    "screening": "screen",
    "recruiter": "screen",
    "tech": "technical",
    "technical interview": "technical",
    "coding": "technical",
    "take-home": "technical",
    "take home": "technical",
    "onsite": "final",
    "on-site": "final",
    "final round": "final",
    "final interview": "final",
    "panel": "final",
    "interview": "technical",
    "offer stage": "offer",
    "rescinded": "offer",
}

# How a follow-up note is sent, and what it is for.
CHANNELS = ("email", "linkedin", "phone", "other")
FOLLOWUP_TYPES = ("thanks", "feedback", "stay_in_touch", "future_roles")
# The leaderboard's windows, and the periods a community may count streaks in.
BOARD_VIEWS = ("week", "month", "all")
PERIODS = ("week", "day")

# A switch as offered in pickers, and every word read as one when typed.
ON_OFF = ("on", "off")
ON_WORDS = {"on", "yes", "true", "1", "y"}
OFF_WORDS = {"off", "no", "false", "0", "n"}

# Words typed in a reflection that mean its buttons, not an answer (read without case or
# trailing punctuation): saving "skip" as an answer would also earn a point for it.
SKIP_WORDS = {"skip", "skip this", "skip it", "skip this one", "pass", "next"}
STOP_WORDS = {"stop", "pause", "later", "not now", "maybe later", "stop for now", "enough"}

# Feelings and moods are told on one scale.
FEELING_LOW = 1
FEELING_HIGH = 5
# Longest free text kept, by what it is: refused (never cut) past these.
NAME_MAX = 120
NOTE_MAX = 1500
ANSWER_MAX = 4000
STEP_MAX = 300
# Most check-in days after a rejection a person may ask for.
MAX_CHECKIN_DAYS = 4
# Typed text echoed in a refusal is cut to this many characters: the person needs to see which
# value was refused, not 5,000 digits of it.
ECHO_MAX = 60
# Longer than this is no id, count or mood anyone means: SQLite's integers end at 19 digits.
DIGITS_MAX = 12


def clip(text: str, limit: int = ECHO_MAX) -> str:
    """The text, cut to limit characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class UserError(Exception):
    """Something the person can fix; key names the message in prompts/messages.toml."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        # Plain strings are what the person typed: echo enough of them to recognise.
        self.values = {k: clip(v) if isinstance(v, str) else v for k, v in values.items()}
