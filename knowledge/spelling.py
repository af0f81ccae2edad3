"""Typos in a question, corrected against the story's own words ("Hilria" -> "Hilaria").

People type fast in a chat: "how many folowers did hilria have" found nothing, because neither
misspelt word matches the text and the question's embedding drifts too. A word is corrected
only when all of these hold, so real words are left alone:

- neither the story nor the caller knows it: the engine knows every word of the same stem as
  a story word ("commenter" beside "commented") and every word the embedding model holds as one
  word piece (common English words and names: "capital", "kids", "Boston");
- it is one edit from a word the story uses, with the first letter right: from a name the story
  capitalises, any one letter wrong, missing or extra ("hilria", "carman", "baldwn"); from any
  other word only a typing slip, two neighbouring letters swapped ("childern") or a double
  letter typed single or a letter doubled ("folowers", "goovernment");
- among several such words, the one the story uses most wins.

Measured on the bench's out-of-collection questions (the story lacks the right word), a looser
rule (two edits for long words, any edit to any word) changed 69 of 959 questions, most wrongly
("wealthier" to "weather", "auricles" to "articles"). This one changes 20: true typos
("captian", "goovernment", "guage") and names the story lacks turned into names it has ("Herve"
to "Herne"); those stay refused (1 of the 20 is answered, a true typo).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from knowledge.story_words import StoryWords

_WORD = re.compile(r"[^\W\d_]+")
MIN_LENGTH = 4
"""Shorter words are too easily another real word."""


def correct_spelling(
    question: str, story_words: Callable[[], StoryWords], is_known: Callable[[str], bool]
) -> str:
    """``question`` with its misspelt words replaced by the story's (unchanged when none are);
    ``is_known`` words are never corrected; ``story_words`` is only asked for when a word is
    unknown (reading them is the costly part on a large story)."""
    parts: list[str] = []
    last = 0
    for match in _WORD.finditer(question):
        word = match.group()
        if len(word) < MIN_LENGTH or is_known(word.lower()):
            continue
        fixed = _correction(word, story_words())
        if fixed is not None:
            parts += [question[last : match.start()], fixed]
            last = match.end()
    return "".join(parts) + question[last:] if parts else question


def _correction(word: str, words: StoryWords) -> str | None:
    lower = word.lower()
    if lower in words.counts:
        return None
    choices = [w for w in words.by_initial.get(lower[0], ()) if abs(len(w) - len(lower)) <= 1]
    found = [
        w
        for w, _, _ in extract(lower, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
        if w in words.names or is_slip(lower, w)
    ]
    if not found:
        return None
    return _same_case(word, max(found, key=lambda w: (words.counts[w], w)))


def is_slip(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with two neighbouring letters swapped, a double letter typed
    once, or a letter typed twice (the caller has checked they are one edit apart)."""
    if len(typed) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == meant[diff[1]]
    longer, shorter = (typed, meant) if len(typed) > len(meant) else (meant, typed)
    i = next((k for k in range(len(shorter)) if longer[k] != shorter[k]), len(shorter))
    return (i > 0 and longer[i] == longer[i - 1]) or (
        i + 1 < len(longer) and longer[i] == longer[i + 1]
    )


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if original[0].isupper() else word
