"""Chat shorthand in a question, written out: "when is her bday", "what did ppl say about the vid".

People ask on Discord the way they text. A shorthand word matches nothing in an article and counts
as a rare word that every sentence lacks, so "what did ppl say about the vid" was refused where
"what did people say about the video" is answered. A shorthand the story itself uses (an article
that writes "IG" or "2 mil") is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

SHORTHAND = {
    "abt": "about",
    "b4": "before",
    "bc": "because",
    "bday": "birthday",
    "bdays": "birthdays",
    "bf": "boyfriend",
    "coz": "because",
    "cuz": "because",
    "gf": "girlfriend",
    "hav": "have",
    "hubby": "husband",
    "ig": "Instagram",
    "info": "information",
    "insta": "Instagram",
    "mil": "million",
    "pic": "picture",
    "pics": "pictures",
    "ppl": "people",
    "r": "are",
    "smth": "something",
    "sth": "something",
    "tho": "though",
    "u": "you",
    "ur": "your",
    "vid": "video",
    "vids": "videos",
    "wat": "what",
    "wen": "when",
    "wht": "what",
    "wifey": "wife",
    "wut": "what",
    "yr": "year",
    "yrs": "years",
}
_WORD = re.compile(r"(?<![\w.])\w+(?![\w'’]|\.\w)")
"""A word that is not part of an abbreviation ("U.S.", "R.F.C.") or a contraction ("u's")."""


def without_shorthand(question: str, in_story: Callable[[str], bool]) -> str:
    """``question`` with its chat shorthand written out, except words ``in_story`` says the story
    uses; unchanged when it has none."""

    def written_out(match: re.Match[str]) -> str:
        word = match.group()
        full = SHORTHAND.get(word.lower())
        if full is None or (len(word) == 1 and not word.islower()) or in_story(word):
            return word  # a capital letter alone is an initial ("Mark U. Edwards")
        return full

    return _WORD.sub(written_out, question)
