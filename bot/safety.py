"""The safety net: spot signs of crisis in free text, with care for everyday expressions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

_APOSTROPHES = re.compile(r"['\u2019\u2018`´]")
_SEPARATORS = re.compile(r"[-_/\u2010-\u2015]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, accents and apostrophes gone, hyphens as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.casefold())
    plain = _SEPARATORS.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    parts = [r"\s+".join(map(re.escape, normalise(p).split())) for p in phrases if p.strip()]
    if not parts:
        return None
    # Word boundaries on both sides: "suicide" must not match inside another word.
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


class Concern(IntEnum):
    """How worrying a text is: nothing, worth a gentle check, or a sign of crisis."""

    NONE = 0
    CHECK = 1
    CRISIS = 2


@dataclass(frozen=True, slots=True)
class SafetyNet:
    """Curated crisis phrases, and the everyday expressions that only look like them."""

    phrases: re.Pattern[str] | None
    exceptions: re.Pattern[str] | None
    resources: str

    @classmethod
    def build(cls, phrases: Iterable[str], exceptions: Iterable[str], resources: str) -> SafetyNet:
        """Compile the phrase lists once."""
        return cls(_pattern(phrases), _pattern(exceptions), resources.strip())

    def assess(self, *texts: str | None) -> Concern:
        """The highest concern any of the texts shows."""
        return Concern.CRISIS if self.concerning(*texts) else Concern.NONE

    def concerning(self, *texts: str | None) -> bool:
        """True when any of the texts shows a sign of crisis or self-harm."""
        if self.phrases is None:
            return False
        for text in texts:
            if not text:
                continue
            plain = normalise(text)
            if self.exceptions is not None:
                plain = self.exceptions.sub(" ", plain)
            if self.phrases.search(plain):
                return True
        return False
