"""Whose thing a question asks about, and quotes that give someone else's.

"When is Alec's birthday?" is not answered by "It is my wife Hilaria's birthday tomorrow": the
sentence shares the question's words, but the birthday is another person's. A question that
asks for a named person's thing ("Alec's birthday", "Hilaria Baldwin's birth name") is checked
against the sentences quoted for it: when they give that thing only to other named people, they
answer a different question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

_WORD = r"[^\W\d_][\w-]*"
_POSSESSIVE = re.compile(rf"((?:{_WORD}\s+){{0,2}}{_WORD})['’]s\s+({_WORD})")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NOT_OWNERS = _word_set(
    "it he she that there what who here let where how when this today one everyone everybody "
    "someone somebody nobody"
)
"""Words before "'s" that are a contraction ("it's", "what's") or no one in particular."""
_MODIFIERS = _word_set(
    "real actual first second third last new old full own current former late original latest "
    "main official older younger eldest oldest youngest best biggest early"
)
"""Words between "'s" and the thing asked about ("Hilaria's real name")."""


@dataclass(frozen=True)
class OwnedThing:
    """A thing (lower-cased noun) that a question asks about, the words of its owner's name and
    every word of the question (lower-cased)."""

    owner: frozenset[str]
    thing: str
    mentioned: frozenset[str]


def asked_owner(question: str, names: Callable[[], frozenset[str]]) -> OwnedThing | None:
    """The named person's thing ``question`` asks about ("Alec's birthday"), or None.

    The owner must be a name: written capitalised in the question (not as its first word), or,
    in a question typed without capitals and for its first word, a word the story writes as a
    name (``names``, only called for a possessive). "the conqueror's birth" in a question that
    writes "Genghis Khan" is no name, even where the story writes "William the Conqueror"."""
    cased = question[1:] != question[1:].lower()
    for match in _POSSESSIVE.finditer(question):
        rest = question[match.end(2) :]
        if re.match(r"['’]s\b", rest):
            continue  # "Alec's wife's birthday": the thing belongs to the wife
        thing = match.group(2).lower()
        if thing in _MODIFIERS and (following := re.match(rf"\s+({_WORD})", rest)):
            thing = following.group(1).lower()
        owner: list[str] = []
        for word in reversed(list(re.finditer(_WORD, match.group(1)))):
            at = match.start(1) + word.start()
            if not _is_name(word.group(), at, cased, names):
                break
            owner.append(word.group().lower())
        if owner and len(owner[0]) > 1:
            mentioned = frozenset(w.lower() for w in re.findall(_WORD, question))
            return OwnedThing(frozenset(owner), thing, mentioned)
    return None


def _is_name(word: str, at: int, cased: bool, names: Callable[[], frozenset[str]]) -> bool:
    if word.lower() in _NOT_OWNERS:
        return False
    if cased and at > 0:
        return word[0].isupper()
    return word.lower() in names()


def owners_in(sentence: str, thing: str) -> frozenset[str]:
    """The capitalised owners ``sentence`` gives ``thing`` to ("Hilaria" in "my wife Hilaria's
    birthday", "Reedus" in "Norman Reedus’s birthday"), lower-cased."""
    pattern = re.compile(
        rf"({_WORD})['’]s\s+(?:[\w-]+\s+){{0,2}}?{re.escape(thing)}\b", re.IGNORECASE
    )
    return frozenset(
        m.group(1).lower()
        for m in pattern.finditer(sentence)
        if m.group(1)[0].isupper() and m.group(1).lower() not in _NOT_OWNERS
    )


def gives_to_others(sentences: list[str], owned: OwnedThing) -> bool:
    """Whether ``sentences`` (a quote) give the thing asked about only to named people the
    question does not mention ("Hilaria's birthday" for "When is Alec's birthday?", but not for
    "Is Alec's birthday before Hilaria's?"), and do not name its owner in full anywhere."""
    owners = frozenset().union(*(owners_in(s, owned.thing) for s in sentences))
    if not owners or any(_named(o, owned.mentioned) for o in owners):
        return False
    seen = frozenset(w.lower() for s in sentences for w in re.findall(_WORD, s))
    return not all(_named(word, seen) for word in owned.owner)


def _named(word: str, among: Iterable[str]) -> bool:
    """Whether ``word`` is one of ``among``, up to accents and a letter or two ("Temujin" for
    "Temüjin", "Celeron" for "Céloron")."""
    plain = _fold(word)
    for other in among:
        folded = _fold(other)
        if folded == plain or (
            min(len(plain), len(folded)) >= SIMILAR_LENGTH
            and fuzz.ratio(plain, folded) >= SIMILAR_NAME
        ):
            return True
    return False


SIMILAR_LENGTH = 5
SIMILAR_NAME = 80
"""Names at least this long and this similar (rapidfuzz's ratio, 0-100) are taken as one name
spelt two ways: "celeron"/"celoron" 86; "hilaria"/"ilaria" 92 also counts, so the rule errs
towards answering."""


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if c.isalnum())
