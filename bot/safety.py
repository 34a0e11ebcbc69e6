"""The safety net: spot signs of crisis in free text, with care for everyday expressions.

Text is normalised (look-alike letters, invisible characters, spaced-out words), then folded the
way the patterns of prompts/safety.toml are written (digits and symbols read as letters, repeated
letters once, one spelling for each shorthand, filler words out), then read against them. The
same folding runs over the patterns' own words, so the two always meet.
"""

from __future__ import annotations

import enum
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class Concern(enum.IntEnum):
    """How much a piece of free text worries us; over several texts, the highest level wins."""

    NONE = 0
    CHECK = 1  # crisis words, negated or uncertain ("I'm not suicidal, just tired")
    CRISIS = 2


class PatternError(ValueError):
    """A safety pattern cannot be read; the message names the group and entry."""


# -- normalising -------------------------------------------------------------------------------

# Letters from other scripts (and "small capitals" from fancy-text generators) that look like
# Latin ones. NFKC already folds fullwidth, circled and mathematical letters.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "і": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d",
        "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
        # Latin look-alikes and small capitals
        "ı": "i", "ɩ": "i", "ɑ": "a", "ɡ": "g", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d",
        "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l",
        "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
        "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
        # Hangul fillers render as nothing and are used to split words
        "\u115f": "", "\u1160": "", "\u3164": "", "\uffa0": "",
    }
)  # fmt: skip
_APOSTROPHES = re.compile(r"['\u2019\u2018\u201b`´\u02bc\u02b9\u2032]")
# What survives: letters, digits, sentence punctuation, and the symbols people use for letters.
_OTHER = re.compile(r"[^a-z0-9\s.,!?;:@$*|]+")
# Stars and bars at a word's edge are emphasis or spoilers (*really*, ||text||), not letters.
_EDGE_MARKS = re.compile(r"(?<![a-z0-9@$!])[*|]+|[*|]+(?![a-z0-9@$!])")
_SPACES = re.compile(r"\s+")
# A capital I straight after a small letter stands for an l ("kiII", "myseIf"), never for "I".
_CAPITAL_I = re.compile(r"(?<=[a-z])I+")
# Three or more single characters in a row, spaced or dotted out: "k i l l", "s.u.i.c.i.d.e".
_SPACED = re.compile(r"(?<![^\s.])(?:[a-z0-9@$!*|][ .]+){2,}[a-z0-9@$!*|](?![^\s.,!?;:])")
_SPACING = re.compile(r"[ .]+")


def normalise(text: str) -> str:
    """Fold case, look-alikes, accents, invisible characters and apostrophes; hyphens as spaces."""
    text = _CAPITAL_I.sub(lambda m: "l" * len(m[0]), unicodedata.normalize("NFKC", text))
    text = text.casefold()
    if not text.isascii():
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text)
            if unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Cf"
        ).translate(_LOOK_ALIKES)
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    text = _EDGE_MARKS.sub(" ", _OTHER.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def _join_spaced(text: str) -> tuple[str, list[str]]:
    """The text with spaced-out letters joined ("k i l l" -> "kill"), and the joined runs."""
    runs: list[str] = []

    def join(match: re.Match[str]) -> str:
        runs.append(_SPACING.sub("", match[0]))
        return runs[-1]

    return _SPACED.sub(join, text), runs


# -- folding -----------------------------------------------------------------------------------

_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"
# Digits and symbols people type for letters; 1 and | may be an i or an l.
_LEET_I = str.maketrans("013457@$!|", "oieastasii")
_LEET_L = str.maketrans("013457@$!|", "oleastasil")
_SYMBOLS = re.compile(r"[0-9@$!|*]")
# A word of letters, digits and symbols (those with a letter are read as letters).
_MIXED = re.compile(r"(?<![a-z0-9@$!|*])[a-z0-9@$!|*]+")
_REPEATS = re.compile(r"([a-z])\1+")
# Longer "words" are not words people write to get past a filter: leave them be.
_LONGEST = 24
_WORD = re.compile(r"[a-z]+")


def _squeeze(text: str) -> str:
    """Runs of a letter folded to one: "diiie", "killl" and "kill" are all "kil"."""
    return _REPEATS.sub(r"\1", text)


def _alternation(phrases: Sequence[str]) -> str:
    """Whole words or phrases, longest first so "kind of" wins over "kind"."""
    ordered = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


def _typo_table(words: Sequence[str]) -> dict[str, str]:
    """Each word one letter short, or with two neighbours swapped, read as the word."""
    table: dict[str, str] = {}
    for word in words:
        # The first letter is kept: people seldom slip on it, and it keeps real words apart.
        for i in range(1, len(word)):
            table.setdefault(word[:i] + word[i + 1 :], word)
            if i < len(word) - 1:
                table.setdefault(word[:i] + word[i + 1] + word[i] + word[i + 2 :], word)
    for word in words:
        table.pop(word, None)
    return table


class _Folder:
    """Reads text the way the patterns are written: one spelling for every way of typing it."""

    def __init__(
        self, same: Mapping[str, Sequence[str]], typos: Sequence[str], filler: Sequence[str]
    ) -> None:
        self.vocabulary: set[str] = set()
        self.by_length: dict[int, list[str]] = {}
        self.canonical: dict[str, str] = {}
        for word, variants in same.items():
            for variant in variants:
                self.canonical.setdefault(_squeeze(normalise(variant)), _squeeze(normalise(word)))
        self.same = self._words_re(list(self.canonical))
        self.typos = _typo_table([_squeeze(normalise(w)) for w in typos])
        self.filler = self._words_re([self.phrase(f, drop_filler=False) for f in filler])

    @staticmethod
    def _words_re(phrases: Sequence[str]) -> re.Pattern[str] | None:
        body = _alternation(phrases)
        return re.compile(f"{_BEFORE}(?:{body}){_AFTER}") if body else None

    def phrase(self, text: str, *, drop_filler: bool = True) -> str:
        """A pattern's plain words, folded as text will be."""
        return self._words(_squeeze(normalise(text)), drop_filler=drop_filler)

    def text(self, text: str) -> str:
        """Normalised text, folded for matching: symbols as letters, shorthand, no filler."""
        if _SYMBOLS.search(text):
            text = _MIXED.sub(self._letters, text)
        text = _squeeze(text)
        if self.typos:
            text = _WORD.sub(lambda m: self.typos.get(m[0], m[0]), text)
        return self._words(text)

    def learn(self) -> None:
        """Once every pattern is read: spellings that depend on the words patterns use."""
        for word in self.vocabulary:
            self.by_length.setdefault(len(word), []).append(word)
        # A dropped g ("cuttin", "thinkin") is read as the word a pattern uses.
        for word in self.vocabulary:
            if word.endswith("ing") and word[:-1] not in self.vocabulary:
                self.typos.setdefault(word[:-1], word)

    def _words(self, text: str, *, drop_filler: bool = True) -> str:
        if self.same is not None:
            text = self.same.sub(lambda m: self.canonical[_SPACES.sub(" ", m[0])], text)
        if drop_filler and self.filler is not None:
            text = self.filler.sub(" ", text)
        return _SPACES.sub(" ", text).strip()

    def _letters(self, match: re.Match[str]) -> str:
        """One word with digits or symbols in it: k1ll, $uicide, d!e, k*ll."""
        raw = match[0]
        word = raw.rstrip("!")  # a trailing ! ends the sentence
        tail = raw[len(word) :]
        if not _SYMBOLS.search(word) or not _WORD.search(word) or len(word) > _LONGEST:
            return raw
        as_i = _squeeze(word.translate(_LEET_I))
        if "*" not in word and "1" not in word and "|" not in word:
            return as_i + tail
        # 1 may be i or l (k1ll, ki11), a star hides a letter (k*ll): prefer a word we know.
        as_l = _squeeze(word.translate(_LEET_L))
        for candidate in (as_i, as_l):
            if candidate in self.vocabulary:
                return candidate + tail
        known = [
            w
            for w in self.by_length.get(len(as_i), ())
            if all(a == b or a == "*" for a, b in zip(as_i, w, strict=True))
        ]
        return (known[0] if len(known) == 1 else as_i) + tail


# -- the pattern language ----------------------------------------------------------------------

_TOKENS = re.compile(r"\.\.\.|[()\[\]{}|!$#]|[^\s()\[\]{}|!$#]+")
# A compiled part of a pattern: its regular expression, and the keys (see _key) of the words it
# may start with, or None when it may start anywhere.
_Part = tuple[str, frozenset[str] | None]


def _key(word: str) -> str:
    """Patterns are looked up by the first three letters of their first word."""
    return word[:3]


def _either(parts: Sequence[_Part]) -> _Part:
    """One of several parts."""
    starts: frozenset[str] | None = frozenset()
    for _, first in parts:
        starts = None if starts is None or first is None else starts | first
    return "(?:" + "|".join(dict.fromkeys(rx for rx, _ in parts)) + ")", starts


_SPECIAL = re.compile(r"\.\.\.|[()\[\]{}|!$#]")
_NAME = re.compile(r"[a-z_]+")
# Each run of separators is possessive, so a run of dots cannot be split in exponentially many
# ways; the gap as a whole may still give a run back (a clause may end at the comma).
_GAP = r"(?:[\s,]++|\.\.++)*"
_MAX_DEPTH = 6


class _Compiler:
    """Turns the patterns of safety.toml into regular expressions, with word sets resolved."""

    def __init__(self, words: Mapping[str, Sequence[str]], folder: _Folder) -> None:
        self.words = words
        self.folder = folder
        self.cache: dict[str, _Part] = {}
        self.depth = 0
        clause = _alternation([folder.phrase(c) for c in words.get("clause", ())])
        ends = r"\s*(?:[.,!?;:]|$)" + (f"|{_GAP}(?:{clause}){_AFTER}" if clause else "")
        self.end = f"(?={ends})"

    def literal(self, raw: str, where: str) -> _Part:
        """Plain words; a trailing * allows any ending (suicid* for suicide, suicidal)."""
        stem = raw.endswith("*")
        plain = self.folder.phrase(raw.rstrip("*"))
        if not re.fullmatch(r"[a-z0-9 ]*", plain):
            raise PatternError(f"{where}: {raw!r} should be letters and digits")
        if not plain:
            return "", frozenset()
        words = plain.split()
        self.folder.vocabulary.update(words)
        rx = _GAP.join(map(re.escape, words)) + ("[a-z]*" if stem else "")
        return rx, frozenset({_key(words[0])})

    def word_set(self, name: str, where: str) -> _Part:
        """A named set of words from [words], as one alternation."""
        if name in self.cache:
            return self.cache[name]
        if name not in self.words:
            raise PatternError(f"{where}: unknown word set {{{name}}}")
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise PatternError(f"{where}: word sets refer to each other in a loop ({name})")
        alts = []
        for i, entry in enumerate(self.words[name]):
            tokens = _TOKENS.findall(entry)
            part, pos, required = self._sequence(tokens, 0, f"words.{name}[{i}]")
            if pos != len(tokens):
                raise PatternError(f"words.{name}[{i}]: unexpected {tokens[pos]!r}")
            if not required:
                raise PatternError(f"words.{name}[{i}]: only filler words, taken out of text")
            alts.append(part)
        self.depth -= 1
        self.cache[name] = _either(alts)
        return self.cache[name]

    def pattern(self, source: str, where: str) -> _Part:
        """One pattern: the body of a regular expression, and the words it may start with."""
        if not source.strip():
            raise PatternError(f"{where}: the pattern is empty")
        tokens = _TOKENS.findall(source)
        part, pos, required = self._sequence(tokens, 0, where)
        if pos != len(tokens):
            raise PatternError(f"{where}: unexpected {tokens[pos]!r}")
        if not required:
            raise PatternError(f"{where}: the pattern has no required word")
        return part

    def _sequence(self, tokens: list[str], pos: int, where: str) -> tuple[_Part, int, bool]:
        """Elements up to a | ) or ], and whether any of them must match."""
        out, gap, required = "", "", False
        firsts: frozenset[str] | None = frozenset()
        while pos < len(tokens) and tokens[pos] not in ("|", ")", "]"):
            token = tokens[pos]
            if token == "$":
                # The end of a clause is something to match: "(on|$)" is a fair choice.
                if not required:
                    firsts = None
                out, pos, required = out + self.end, pos + 1, True
            elif token == "!":
                if pos + 1 == len(tokens):
                    raise PatternError(f"{where}: '!' needs a word after it")
                (rx, _), pos, _ = self._atom(tokens, pos + 1, where)
                # A whole word must follow: "!with" still allows "without".
                out += f"(?!{gap}{rx}{_AFTER})" if rx else ""
            else:
                (rx, starts), pos, optional = self._atom(tokens, pos, where)
                if not rx:
                    continue  # filler words between other words, taken out of the text too
                if not required:
                    firsts = None if firsts is None or starts is None else firsts | starts
                if optional:
                    out += f"(?:{gap}{rx})?" if gap else f"(?:{rx}{_GAP})?"
                else:
                    out, gap, required = out + gap + rx, _GAP, True
        return (out, firsts), pos, required

    def _atom(self, tokens: list[str], pos: int, where: str) -> tuple[_Part, int, bool]:
        """One element: a group, a word set, a number, a gap or plain words; and if optional."""
        token = tokens[pos]
        if token in ("(", "["):
            close = ")" if token == "(" else "]"
            alts = []
            while True:
                part, pos, required = self._sequence(tokens, pos + 1, where)
                if not required:
                    raise PatternError(f"{where}: a choice has no word that is not filler")
                alts.append(part)
                if pos >= len(tokens):
                    raise PatternError(f"{where}: {token!r} is not closed")
                if tokens[pos] == close:
                    return _either(alts), pos + 1, token == "["
                if tokens[pos] != "|":
                    raise PatternError(f"{where}: unexpected {tokens[pos]!r}")
        if token == "{":
            if (
                pos + 2 >= len(tokens)
                or tokens[pos + 2] != "}"
                or not _NAME.fullmatch(tokens[pos + 1])
            ):
                raise PatternError(f"{where}: write a word set as {{name}}")
            return self.word_set(tokens[pos + 1], where), pos + 3, False
        if token == "#":
            return (r"\d+(?:[.,]\d+)?", None), pos + 1, False
        if token == "...":
            return (r"[a-z0-9]+(?:[\s,]+[a-z0-9]+){0,2}", None), pos + 1, True
        if _SPECIAL.fullmatch(token):
            raise PatternError(f"{where}: unexpected {token!r}")
        # Neighbouring plain words are read as one phrase, so shorthand spanning them folds.
        end = pos + 1
        while end < len(tokens) and not _SPECIAL.fullmatch(tokens[end]):
            if tokens[end - 1].endswith("*"):
                break
            end += 1
        return self.literal(" ".join(tokens[pos:end]), where), end, False

    def lead_in(self, heads: Sequence[str], between: Sequence[str], where: str) -> re.Pattern[str]:
        """Words that end right where a match starts, with only the between-words after them."""
        head = "|".join(self.pattern(h, f"{where}[{i}]")[0] for i, h in enumerate(heads))
        mid = "|".join(self.pattern(b, f"{where}.between[{i}]")[0] for i, b in enumerate(between))
        mid = rf"(?:\s+(?:{mid}){_AFTER})*" if mid else ""
        return re.compile(rf"{_BEFORE}(?:{head}){_AFTER}{mid}\s*\Z")


# -- the net -----------------------------------------------------------------------------------

# Everyday expressions are masked with a clause break, so nothing matches across them.
_MASK = ";"
# Where a word starts, and its first three letters.
_WORD_START = re.compile(r"(?<![a-z0-9])[a-z0-9]{1,3}")


def _compiled(bodies: Sequence[tuple[str, str]], wrap: Callable[[str], str]) -> re.Pattern[str]:
    """One regular expression for many patterns; if it fails, name the pattern at fault."""
    try:
        return re.compile(wrap("|".join(body for body, _ in bodies)))
    except re.error:
        for body, where in bodies:
            try:
                re.compile(body)
            except re.error as exc:
                raise PatternError(f"{where}: does not compile ({exc})") from exc
        raise


def _everyday(bodies: Sequence[tuple[str, str]]) -> re.Pattern[str] | None:
    """Everyday expressions; a lookahead finds every start, so overlapping ones are all found."""
    if not bodies:
        return None
    return _compiled(bodies, lambda alts: f"{_BEFORE}(?=((?:{alts}){_AFTER}))")


@dataclass(frozen=True, slots=True)
class _Rule:
    """One crisis or check pattern, matched where a word starts."""

    finder: re.Pattern[str]
    level: Concern


@dataclass(frozen=True, slots=True)
class SafetyNet:
    """Curated crisis patterns, and the everyday expressions that only look like them."""

    # Crisis rules first, so where both match at one place the crisis reading wins.
    rules: tuple[_Rule, ...]
    # Which rules may start at a word, by the word's first one, two or three letters.
    starts: Mapping[str, tuple[int, ...]]
    # Everyday expressions: (finder, yields to an intent word, still worth a gentle check).
    everyday: tuple[tuple[re.Pattern[str], bool, bool], ...]
    negated: re.Pattern[str]
    intent: re.Pattern[str]
    folder: _Folder
    resources: str
    # The rules to try at a word, by its first three letters; filled as words are seen.
    candidates: dict[str, tuple[int, ...]]

    @classmethod
    def build(
        cls,
        *,
        crisis: Mapping[str, Sequence[str]],
        check: Mapping[str, Sequence[str]],
        exceptions: Mapping[str, Sequence[str]],
        words: Mapping[str, Sequence[str]],
        same: Mapping[str, Sequence[str]],
        typos: Sequence[str],
        negators: Sequence[str],
        between: Sequence[str],
        cues: Sequence[str],
        resources: str,
        unless_intended: Sequence[str] = (),
        still_check: Sequence[str] = (),
    ) -> SafetyNet:
        """Compile the patterns once; a PatternError names the one that cannot be read."""
        folder = _Folder(same, typos, words.get("filler", ()))
        compiler = _Compiler(words, folder)
        rules: list[_Rule] = []
        starts: dict[str, list[int]] = {}
        for table, level in ((crisis, Concern.CRISIS), (check, Concern.CHECK)):
            for group, patterns in table.items():
                for i, source in enumerate(patterns):
                    where = f"{level.name.lower()}.{group}.patterns[{i}]"
                    body, firsts = compiler.pattern(source, where)
                    try:
                        finder = re.compile(f"(?:{body}){_AFTER}")
                    except re.error as exc:
                        raise PatternError(f"{where}: does not compile ({exc})") from exc
                    for key in firsts if firsts is not None else ("",):
                        starts.setdefault(key, []).append(len(rules))
                    rules.append(_Rule(finder, level))

        def kind(guarded: bool, gentle: bool) -> re.Pattern[str] | None:
            chosen = {
                k: v
                for k, v in exceptions.items()
                if (k in unless_intended) == guarded and (k in still_check) == gentle
            }
            return _everyday(
                [
                    (compiler.pattern(source, f"except.{group}.patterns[{i}]")[0], group)
                    for group, patterns in chosen.items()
                    for i, source in enumerate(patterns)
                ]
            )

        flags = [(False, False), (False, True), (True, False), (True, True)]
        everyday = [(kind(guarded, gentle), guarded, gentle) for guarded, gentle in flags]
        negated = compiler.lead_in(negators, between, "negation.negators")
        intent = compiler.lead_in(cues, between, "intent.cues")
        folder.learn()
        return cls(
            rules=tuple(rules),
            starts={key: tuple(indices) for key, indices in starts.items()},
            everyday=tuple((f, g, c) for f, g, c in everyday if f is not None),
            negated=negated,
            intent=intent,
            folder=folder,
            resources=resources.strip(),
            candidates={},
        )

    def assess(self, *texts: str | None) -> Concern:
        """How worrying these texts are together: the highest concern of any of them."""
        worst = Concern.NONE
        for text in texts:
            if text:
                worst = max(worst, self._assess(text))
                if worst is Concern.CRISIS:
                    break
        return worst

    def concerning(self, *texts: str | None) -> bool:
        """True when any of the texts shows a sign of crisis or self-harm."""
        return self.assess(*texts) is Concern.CRISIS

    def _assess(self, text: str) -> Concern:
        plain = normalise(text)
        level = self._judge(self.folder.text(plain))
        if level is Concern.CRISIS or not _SPACED.search(plain):
            return level
        joined, _ = _join_spaced(plain)
        return max(level, self._judge(self.folder.text(joined)))

    def _judge(self, text: str) -> Concern:
        """The highest level of any match outside an everyday expression; negated is a check."""
        if next(self._matches(text), None) is None:
            return Concern.NONE  # the usual case: nothing that even looks worrying
        text, worst = self._mask_everyday(text)
        for start, level in self._matches(text):
            if level is Concern.CRISIS and self.negated.search(text, max(0, start - 80), start):
                level = Concern.CHECK
            worst = max(worst, level)
            if worst is Concern.CRISIS:
                break
        return worst

    def _matches(self, text: str) -> Iterator[tuple[int, Concern]]:
        """Where a rule matches, and the level of the first one (crisis before check)."""
        for word in _WORD_START.finditer(text):
            start = word.start()
            for index in self._candidates(word[0]):
                rule = self.rules[index]
                if rule.finder.match(text, start):
                    yield start, rule.level
                    break

    def _candidates(self, prefix: str) -> tuple[int, ...]:
        """The rules that may start at a word beginning with these (up to three) letters."""
        found = self.candidates.get(prefix)
        if found is None:
            keys = {prefix[:1], prefix[:2], prefix, ""}
            found = tuple(sorted({i for key in keys for i in self.starts.get(key, ())}))
            self.candidates[prefix] = found
        return found

    def _mask_everyday(self, text: str) -> tuple[str, Concern]:
        """Everyday expressions blanked out, and a check if one still deserves it."""
        chars, level = list(text), Concern.NONE
        for finder, guarded, gentle in self.everyday:
            for found in finder.finditer(text):
                start, end = found.span(1)
                if guarded and self.intent.search(text, max(0, start - 80), start):
                    continue  # "I want to hurt myself at work" is no accident
                chars[start:end] = _MASK * (end - start)
                if gentle:
                    level = Concern.CHECK
        return "".join(chars), level
