"""Who "Baldwin" is: the parts of the full names a story gives its people.

News text names someone in full once ("Alec Baldwin") and then by surname ("Baldwin began in a
video", "the Baldwins, who wed in 2012"), while people asking use the first name ("When did Alec
and Hilaria get married?"). Two or three capitalised words in a row that the story mostly writes
capitalised make a full name; each of its parts may then stand for the others when a sentence
is matched with a question, for part of a word's credit (a surname may be a whole family's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.lexical import tokenize

_CAPITALISED_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)+(?![\w'’-])")
ALIAS_CREDIT = 0.5
"""Share of a name's weight that another part of the same full name earns ("Baldwin" for
"Alec"): a surname may be another family member's."""
FULL_NAME_WORDS = (2, 3)
"""A longer run of capitalised words is a headline ("Trolls Roast Alec Baldwin Over ...")."""


def story_name_parts(texts: Iterable[str], names: frozenset[str]) -> Mapping[str, frozenset[str]]:
    """Stem of a name part -> stems of the other parts of the full names it appears in
    ({"alec": {"baldwin"}, "baldwin": {"alec", "hilaria"}}). ``names`` are the lower-cased
    words the story mostly writes capitalised: "The Baldwins" and "According To" are no names."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _CAPITALISED_RUN.finditer(text):
            words = match.group().split()
            if len(words) not in FULL_NAME_WORDS or not all(w.lower() in names for w in words):
                continue
            stems = [s for w in words for s in tokenize(w)[:1]]
            for stem in stems:
                found.setdefault(stem, set()).update(s for s in stems if s != stem)
    return {part: frozenset(others) for part, others in found.items() if others}


def aliases_of(
    stems: Iterable[str], parts: Mapping[str, frozenset[str]]
) -> Mapping[str, frozenset[str]]:
    """For each of ``stems`` that is part of a full name: the other parts. A question that
    names someone in full ("Alec Baldwin") gets none for either part: it asks for both."""
    asked = frozenset(stems)
    return {s: parts[s] for s in asked if s in parts and parts[s].isdisjoint(asked)}
