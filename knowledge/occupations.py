"""Questions about what someone does for a living, whose cue words no answer contains.

"What is the profession of Jake Rosenfield?" is answered by "Sociologist Jake Rosenfield of the
University of Washington asserts ...": articles name a job in front of the name, and never say
"profession". Like "age" in "Alec's age?", the cue word says what kind of answer is wanted; it
is not a word the quote must contain, and counting it as one made the right sentence look like
it covered only part of the question, so it was refused.
"""

from __future__ import annotations

import re

from knowledge.lexical import tokenize

_CUE = r"(professions?|occupations?|jobs?|careers?|line of work)"
_SOMEONE = r"[\w.'’ -]+?"
_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?{_CUE}\s+of\b",
        rf"\b(?:is|was|are|were)\s+{_SOMEONE}['’]s?\s+{_CUE}\s*\W*$",
        rf"\b(?:what|which)\s+{_CUE}\s+(?:does|did|do|is|was|are|were|has|had)\b",
        rf"\b(?:does|did|do)\s+{_SOMEONE}\s+do\s+(for\s+a\s+living|for\s+work)\b",
        rf"\b(?:does|did|do)\s+{_SOMEONE}\s+(work)\s+as\b",
    )
)
"""Each pattern's group 1 is the cue: "profession", "for a living", "work" (as)."""


def occupation_cue(question: str) -> frozenset[str]:
    """The stems of the words by which ``question`` asks what someone does for a living
    ({"profess"} for "What is X's profession?"); empty when it does not ask that."""
    for pattern in _PATTERNS:
        if match := pattern.search(question):
            return frozenset(tokenize(match.group(1)))
    return frozenset()
