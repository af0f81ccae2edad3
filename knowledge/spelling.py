"""Typos in a question, corrected against the story's own words ("Hilria" -> "Hilaria").

People type fast in a chat: "how many folowers did hilria have" found nothing, because neither
misspelt word matches the text and the question's embedding drifts too. A word is corrected
only when all of these hold, so real words are left alone:

- neither the story nor the caller knows it: the engine knows every word of the same stem as
  a story word ("commenter" beside "commented") and every word the embedding model holds as one
  word piece (common English words and names: "capital", "kids", "Boston");
- exactly one letter is wrong, missing, extra or swapped with its neighbour (two for words of
  eight letters or more), and the first letter is right;
- the story uses the corrected word; among several, the one the story uses most wins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

_WORD = re.compile(r"[^\W\d_]+")
MIN_LENGTH = 4
"""Shorter words are too easily another real word."""
LONG_WORD = 8
"""From this length on, two edits are allowed."""


@dataclass(frozen=True)
class StoryWords:
    """The lower-cased words a story uses, with how often, grouped by first letter."""

    counts: dict[str, int]
    by_initial: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> StoryWords:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LENGTH - 1)
        groups: dict[str, list[str]] = {}
        for word in counts:
            groups.setdefault(word[0], []).append(word)
        return cls(dict(counts), {k: tuple(v) for k, v in groups.items()})


def correct_spelling(question: str, words: StoryWords, is_known: Callable[[str], bool]) -> str:
    """``question`` with its misspelt words replaced by the story's (unchanged when none are)."""
    parts: list[str] = []
    last = 0
    for match in _WORD.finditer(question):
        fixed = _correction(match.group(), words, is_known)
        if fixed is not None:
            parts += [question[last : match.start()], fixed]
            last = match.end()
    return "".join(parts) + question[last:] if parts else question


def _correction(word: str, words: StoryWords, is_known: Callable[[str], bool]) -> str | None:
    lower = word.lower()
    if len(lower) < MIN_LENGTH or lower in words.counts or is_known(lower):
        return None
    edits = 2 if len(lower) >= LONG_WORD else 1
    choices = [w for w in words.by_initial.get(lower[0], ()) if abs(len(w) - len(lower)) <= edits]
    found = extract(lower, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
    if not found:
        return None
    best = min(found, key=lambda f: (f[1], -words.counts[f[0]], f[0]))[0]
    return _same_case(word, best)


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if original[0].isupper() else word
