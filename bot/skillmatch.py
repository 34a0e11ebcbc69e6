"""Whether two names of a skill gap are the same gap: case, plural and word order aside.

"SQL window functions" and "window functions in SQL" name one gap; "SQL" and "NoSQL" do not.
A pure function of the words, so the store can keep the key and find a gap by it.
"""

from __future__ import annotations

import re
import unicodedata

# Words that join a name together without changing what it names.
_GLUE = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "with",
        "to",
        "at",
        "my",
        "our",
        "using",
        "via",
        "about",
        "around",
        "from",
        "into",
        "by",
    }
)
_WORD = re.compile(r"[a-z0-9+#]+")
# Words whose final s is not a plural.
_KEEP_S = frozenset(
    {
        "analysis",
        "basics",
        "business",
        "css",
        "devops",
        "kubernetes",
        "news",
        "ops",
        "physics",
        "sas",
        "stats",
    }
)


def _singular(word: str) -> str:
    """The word without a plural ending, by the usual English rules; short words kept."""
    if len(word) <= 3 or word in _KEEP_S or word.endswith(("ss", "us", "sis")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def gap_key(name: str) -> str:
    """The key two names of one gap share: folded, singular, glue words out, sorted."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in _WORD.findall(folded.replace("-", " ")) if w not in _GLUE]
    if not words:
        # Only glue words (or none that fold to ASCII): the name as typed, folded, is its key.
        return " ".join(name.lower().split())
    return " ".join(sorted({_singular(w) for w in words}))


def same_gap(one: str, other: str) -> bool:
    """True when the two names are the same skill gap."""
    return gap_key(one) == gap_key(other)
