"""Who "his wife" is: the names a story gives its relation words.

News text names a person once ("his wife, Hilaria", "his 9-year-old daughter, Carmen") and then
says "his wife". "How old is Hilaria?" is answered by "the day before his wife's 39th birthday"
only if "wife" may be Hilaria. A relation word followed by a capitalised name (optionally after
a comma) links the two for the whole story; a word may name several people ("daughter Ilaria",
"daughter, Carmen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.lexical import tokenize

_RELATION_WORDS = (
    "wife|husband|spouse|partner|fianc[eé]e?|girlfriend|boyfriend|widow|widower|daughter|son|"
    "child|mother|father|mom|mum|dad|sister|brother|grandmother|grandfather|grandson|"
    "granddaughter|aunt|uncle|niece|nephew|cousin"
)
_RELATION = re.compile(rf"(?<![\w-])({_RELATION_WORDS}),?[ \t]+([A-Z][^\W\d_]+)(?![\w-])")
_NOT_NAMES = frozenset(re.findall(r"\w+", "the a an and but or who with in on at of for to from"))
"""Capitalised words that start a sentence or title rather than name someone."""


def story_relations(texts: Iterable[str]) -> Mapping[str, frozenset[str]]:
    """Relation word (stemmed) -> the lower-cased first names the story gives it."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _RELATION.finditer(text):
            name = match.group(2)
            if name.lower() in _NOT_NAMES:
                continue
            relation = tokenize(match.group(1).lower())
            if relation:
                found.setdefault(relation[0], set()).add(name.lower())
    return {relation: frozenset(names) for relation, names in found.items()}


def relatives_of(names: Iterable[str], relations: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The relation words that may stand for any of ``names`` ({"wife"} for {"hilaria"})."""
    wanted = frozenset(names)
    return frozenset(word for word, named in relations.items() if named & wanted)
