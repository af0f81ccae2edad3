"""Questions about who shares something with someone, and how news says it.

"Which actor has the same birthday as Hilaria?" is answered by "It's also Norman Reedus's
birthday": news says "also X's birthday", "shares a birthday with X" or "the same birthday as
X", and the question's "same" matched none of it. A question that asks for "the same <thing>
as" takes first a sentence that gives someone that thing in one of those ways
(``shared_thing`` reads the thing; ``states_shared``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_ASKS = re.compile(r"\b(?:the\s+)?same\s+([a-z][\w-]*)\s+as\b", re.IGNORECASE)


def shared_thing(question: str) -> str | None:
    """The thing ``question`` asks who shares ("birthday" in "the same birthday as Hilaria")."""
    match = _ASKS.search(question)
    return match.group(1).lower() if match else None


def states_shared(text: str, thing: str) -> bool:
    """Whether ``text`` gives someone ``thing`` as shared: "also Norman Reedus's birthday",
    "shares a birthday with", "the same birthday as"."""
    return _shared_pattern(thing).search(text) is not None


@lru_cache(maxsize=256)
def _shared_pattern(thing: str) -> re.Pattern[str]:
    word = re.escape(thing) + r"s?\b"
    return re.compile(
        rf"\balso\s+(?:[A-Z][\w.-]*\s+){{0,3}}[A-Z][\w.-]*['’]s?\s+{word}"
        rf"|\bshar(?:e|es|ed|ing)\s+(?:a|an|the|his|her|their|one)\s+{word}"
        rf"|\bsame\s+{word}",
        re.IGNORECASE,
    )
