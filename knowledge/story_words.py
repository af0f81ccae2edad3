"""The words a story uses, read once per index: what the typo corrector corrects to, which
words are names, who its relation words name and which names are parts of one full name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from knowledge.name_parts import story_name_parts
from knowledge.relations import story_relations

_WORD = re.compile(r"[^\W\d_]+")
SHORTEST = 3
"""Shorter words are not counted."""
NAME_SHARE = 0.7
"""A word the story capitalises at least this often is a name."""


@dataclass(frozen=True)
class StoryWords:
    """The lower-cased words a story uses, with how often, grouped by first letter; ``names``:
    those it mostly writes capitalised; ``relations``: who its relation words name ("wife" ->
    {"hilaria"}, ``relations.py``); ``name_parts``: the other parts of the full names a name
    word is part of ("alec" -> {"baldwin"}, ``name_parts.py``)."""

    counts: dict[str, int]
    by_initial: dict[str, tuple[str, ...]]
    names: frozenset[str]
    relations: Mapping[str, frozenset[str]] = field(default_factory=dict)
    name_parts: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, texts: Iterable[str]) -> StoryWords:
        texts = list(texts)
        forms: Counter[str] = Counter()
        for text in texts:
            forms.update(_WORD.findall(text))
        counts: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        for form, n in forms.items():  # once per distinct spelling, not per occurrence
            if len(form) >= SHORTEST:
                counts[form.lower()] += n
                if form[0].isupper():
                    capitalised[form.lower()] += n
        groups: dict[str, list[str]] = {}
        for word in counts:
            groups.setdefault(word[0], []).append(word)
        names = frozenset(w for w, n in capitalised.items() if n >= NAME_SHARE * counts[w])
        by_initial = {k: tuple(v) for k, v in groups.items()}
        return cls(
            dict(counts),
            by_initial,
            names,
            story_relations(texts),
            story_name_parts(texts, names),
        )
