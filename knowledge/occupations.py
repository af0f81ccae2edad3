"""Questions about what someone does for a living, whose cue words no answer contains.

"What is the profession of Jake Rosenfield?" is answered by "Sociologist Jake Rosenfield of the
University of Washington asserts ...": articles name a job in front of the name, and never say
"profession". Like "age" in "Alec's age?", the cue word says what kind of answer is wanted; it
is not a word the quote must contain, and counting it as one made the right sentence look like
it covered only part of the question, so it was refused.

And when a sentence puts a job right before the name asked about ("Calling yoga instructor
Hilaria Baldwin ..."), it answers first (``titles_person``), from up to three times as many
passages as other questions (the engine widens the search only to find one). When none does,
a sentence that calls someone by a job ("the Rust actor") in a passage that names the person
answers first (``describes_role``): news names a person once and then says "the actor".
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
        rf"^\W*what\s+(?:does|do)\s+{_SOMEONE}\s+(do)\s*\W*$",  # not "did": what they did
    )
)
"""Each pattern's group 1 is the cue: "profession", "for a living", "work" (as), "do"."""


def _cue(question: str) -> re.Match[str] | None:
    for pattern in _PATTERNS:
        if match := pattern.search(question):
            return match
    return None


def asks_occupation(question: str) -> bool:
    """Whether ``question`` asks what someone does for a living ("What does Hilaria do?")."""
    return _cue(question) is not None


def occupation_cue(question: str) -> frozenset[str]:
    """The stems of the words by which ``question`` asks what someone does for a living
    ({"profess"} for "What is X's profession?"); empty when it does not ask that, or asks it
    in stop words only ("What does X do?")."""
    match = _cue(question)
    return frozenset(tokenize(match.group(1))) if match else frozenset()


# Jobs that news writes in front of a name ("yoga instructor Hilaria Baldwin"), plus any word
# ending in "-ologist" or "-ician" (see ``_ROLE``).
_ROLE_NOUNS = (  # noqa: SIM905
    "actor actress model singer songwriter rapper musician dancer comedian star host presenter "
    "anchor broadcaster journalist reporter correspondent columnist editor writer author "
    "novelist poet playwright screenwriter director producer filmmaker photographer designer "
    "artist painter sculptor architect engineer scientist researcher professor lecturer teacher "
    "instructor trainer coach athlete player footballer cricketer golfer boxer wrestler swimmer "
    "runner cyclist skater doctor surgeon nurse dentist therapist lawyer attorney judge "
    "prosecutor senator congressman congresswoman representative governor mayor president "
    "minister chancellor ambassador diplomat spokesman spokeswoman spokesperson official "
    "officer soldier general admiral detective sheriff firefighter pilot astronaut chef cook "
    "baker farmer banker economist analyst consultant accountant investor entrepreneur "
    "businessman businesswoman executive ceo founder chairman chairwoman manager owner "
    "influencer blogger podcaster youtuber activist campaigner philanthropist socialite "
    "priest pastor rabbi imam bishop monk nun historian philosopher inventor explorer"
).split()
_ROLE = r"(?:" + "|".join(_ROLE_NOUNS) + r"|\w+ologist|\w+ician)"
_TITLE_BEFORE_NAME = re.compile(rf"(?<![\w'’-])(?i:{_ROLE}s?)((?:[ \t]+[A-Z][\w'’.-]*)+)")
"""A job and the capitalised words right after it ("instructor Hilaria Baldwin")."""


def titles_person(text: str, names: frozenset[str]) -> bool:
    """Whether ``text`` puts a job right before the person ``names`` (the lower-cased name
    words asked about) name: "Calling yoga instructor Hilaria Baldwin ...", "Sociologist Jake
    Rosenfield of ..."."""
    for match in _TITLE_BEFORE_NAME.finditer(text):
        words = [_POSSESSIVE.sub("", w).lower() for w in match.group(1).split()]
        if _same_person(words, names):
            return True
    return False


def _same_person(words: list[str], names: frozenset[str]) -> bool:
    """Whether the name ``words`` are the person asked about: all the names asked ("Jake
    Rosenfield" for "Rosenfield"), or the first name and, when the question gives more than
    one name, another of them. "Ireland Baldwin" is not Alec Baldwin, "Joseph Stiglitz" not
    Joseph Priestley."""
    if not names:
        return False
    if names <= set(words):
        return True
    first, rest = words[0], words[1:]
    return first in names and (len(names) == 1 or not rest or not names.isdisjoint(rest))


_POSSESSIVE = re.compile(r"['’]s?$")


_NOT_ONLY_JOBS = frozenset(
    "general official executive representative host anchor model cook runner star".split()  # noqa: SIM905
)
"""Jobs that also follow "the" as other things: "the general public", "the host country"."""
_DEFINITE_ROLE = re.compile(
    rf"(?<![\w'’-])[Tt]he\s+((?:[\w'’-]+\s+){{0,2}}?)({'|'.join(_ROLE_NOUNS)})(?![\w'’-])"
)
"""A job in lower case after "the" and up to two words ("the Rust actor"; "the Doctor" is a
name)."""


def describes_role(text: str) -> bool:
    """Whether ``text`` calls someone by their job: "the Rust actor got the date wrong", "making
    fun of the actor"; not "the time as pastor" (a word between is a stop word) nor "the best
    influencers" (a group)."""
    for match in _DEFINITE_ROLE.finditer(text):
        between = match.group(1).split()
        if match.group(2) not in _NOT_ONLY_JOBS and all(
            tokenize(w) or w.isdigit() for w in between
        ):
            return True
    return False
