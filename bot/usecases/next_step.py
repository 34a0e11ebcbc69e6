"""The next step a reflection closes with, drawn from what the person wrote, not at random."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.content import Content, Theme
from bot.templates import Template

# A note that names a theme's subject outweighs this many words of answers on another theme:
# the note is what the person chose to write down first, in their own words.
NOTE_WEIGHT = 10
# Words compare by their first letters, so "practise" meets "practice" and "hardest" meets
# "hard"; short words ("the", "and", "with") say nothing about a step and are left out.
STEM = 5
SHORT = 4
_WORD = re.compile(r"[a-z][a-z'-]*")


def stems(text: str) -> set[str]:
    """The meaningful words of a text, cut to their first letters."""
    return {w[:STEM] for w in _WORD.findall(text.lower()) if len(w) >= SHORT}


def mentions(note: str, theme: Theme) -> int:
    """How many of a theme's words a note uses (each as the start of a word)."""
    lowered = note.lower()
    return sum(1 for cue in theme.words if re.search(r"\b" + re.escape(cue), lowered))


def most_written(content: Content, written: Mapping[str, Sequence[str]], note: str | None) -> str:
    """The theme the person wrote most about: words of answers, and what their note names."""

    def score(theme: str) -> int:
        words = sum(len(answer.split()) for answer in written[theme])
        return words + (NOTE_WEIGHT * mentions(note, content.themes[theme]) if note else 0)

    # Ties go to the theme answered first (max keeps the first of equals).
    return max(written, key=score)


def closest_steps(
    steps: Sequence[Template], written: Sequence[str], note: str | None
) -> list[Template]:
    """The steps sharing the most words with what the person wrote (all of them when none do)."""
    theirs = stems(" ".join([*written, note or ""]))
    overlap = {step.key: len(stems(step.render({}).plain()) & theirs) for step in steps}
    best = max(overlap.values())
    return [step for step in steps if overlap[step.key] == best]


def steps_for(theme: Theme, interviewed: bool) -> tuple[Template, ...]:
    """A theme's next steps, with those that assume an interview only after one."""
    return theme.next_steps + (theme.interview_steps if interviewed else ())
