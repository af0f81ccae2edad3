"""Questions about someone's birth name, and how news writes one.

"What was Hilaria Baldwin's birth name?" is answered by "she was born Hillary Hayward-Thomas":
news gives a birth name as "born" right before a name, "née X", or "whose real name is X", and
seldom says "birth name". Such a sentence among the candidates answers first
(``states_birth_name``), from up to three times as many passages as other questions.
"""

from __future__ import annotations

import re

_ASKS_BIRTH_NAME = re.compile(
    r"\b(?:birth|real|maiden|original|legal|given)\s+name\b|\bname\b.*\bat\s+birth\b"
    r"|\bborn\s+as\b|\bcalled\s+at\s+birth\b",
    re.IGNORECASE,
)
_NOT_NAMES = (
    "In|On|At|To|Into|And|The|A|An|January|February|March|April|May|June|July|August|September"
    "|October|November|December"
)
"""Capitals after "born" that start a place, a date or a phrase rather than a name."""
_STATES_BIRTH_NAME = re.compile(
    rf"\bborn\s+(?:as\s+)?(?!(?:{_NOT_NAMES})\b)[A-Z][\w'’.-]*[a-z]"
    r"|\bn[ée]e\s+[A-Z]|\b(?:real|birth|maiden|given)\s+name\s+(?:is|was)\b"
)


def asks_birth_name(question: str) -> bool:
    """Whether ``question`` asks for someone's birth name ("What is Hilaria's real name?")."""
    return _ASKS_BIRTH_NAME.search(question) is not None


def states_birth_name(text: str) -> bool:
    """Whether ``text`` gives someone's birth name ("she was born Hillary Hayward-Thomas")."""
    return _STATES_BIRTH_NAME.search(text) is not None
