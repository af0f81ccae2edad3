"""Questions about where someone is from, and the phrasings news uses to say it.

"Where is Hilaria from?" had quoted "The actor took to Instagram ... his American Wife Hilaria":
any name after "to" counts as a place, and that sentence matched the question best. News says
where someone is from next to the name: "Massachusetts native Hilaria Baldwin", "Boston-born
actress X", "X was born in Y", "X, a native of Y". Such a sentence about the person asked about
answers first (``states_origin``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_ASKS_ORIGIN = re.compile(
    r"\bwhere\b.*\b(?:from|born|raised|grow|grew|hails?)\b", re.IGNORECASE | re.DOTALL
)


def asks_origin(question: str) -> bool:
    """Whether ``question`` asks where someone is from ("Where was Hilaria born?")."""
    return _ASKS_ORIGIN.search(question) is not None


def states_origin(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` says where a person ``names`` (lower-cased name words) names is from."""
    wanted = tuple(sorted(set(names)))
    return bool(wanted) and _origin_pattern(wanted).search(text) is not None


@lru_cache(maxsize=256)
def _origin_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    name = "(?i:" + "|".join(re.escape(n) for n in names) + r")\b"
    return re.compile(
        rf"\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s+natives?\s+{name}"  # Massachusetts native X
        rf"|\b[A-Z]\w+-born\s+(?:[a-z]+\s+)?{name}"  # Boston-born (actress) X
        rf"|\b{name}[^.]{{0,40}}?\b(?:was|is|were)\s+(?:born|raised)\s+in\s+[A-Z]"
        rf"|\b{name}[\w\s]{{0,20}},\s+(?:a|an|the)\s+native\s+of\s+[A-Z]"  # X, a native of Y
    )
