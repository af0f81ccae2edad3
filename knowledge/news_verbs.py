"""Verbs that news writes where people ask with plainer ones: "quipped" for "joked", "slammed"
for "criticized", "pleaded" for "begged".

"What did a Twitter user joke Alec should add to his plea?" is answered by "One Twitter user
quipped that maybe it would help if Alec Baldwin added “por favor,”", but "joke" and "quip"
share no stem, and the model's word vectors put them no nearer (0.22) than unrelated words.
Each group below is one meaning; a question word of a group earns its full weight from any
other word of the group that the story writes (as a word family does, ``derivations.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache

from knowledge.lexical import tokenize

_GROUPS = (
    "joke quip jest wisecrack",
    "mock ridicule deride roast taunt",
    "criticize slam blast condemn lambast",
    "beg plead implore",
    "praise laud hail",
)


@cache
def _stem_groups() -> tuple[frozenset[str], ...]:
    return tuple(
        frozenset(s for word in group.split() for s in tokenize(word)) for group in _GROUPS
    )


def synonyms(stems: Iterable[str], known: Callable[[str], bool]) -> Mapping[str, frozenset[str]]:
    """Each of ``stems`` in a group -> the group's other stems that ``known`` holds."""
    found: dict[str, frozenset[str]] = {}
    for stem in set(stems):
        for group in _stem_groups():
            if stem in group:
                others = frozenset(s for s in group if s != stem and known(s))
                if others:
                    found[stem] = found.get(stem, frozenset()) | others
    return found
