"""Words of one family that the stemmer keeps apart: "react" / "reaction", "marry" / "marriage",
"invest" / "investor".

The Snowball stemmer strips "-ion" only from a long enough stem, so "election" becomes "elect" but
"reaction" stays "reaction". "How did fans react?" then shared no word with "the reaction was
not particularly enthusiastic" and was refused. A stem and the same stem plus one of a few
noun endings count as one word here, when the story writes both or the question asks the one
the story lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

DERIVATION_TAILS = ("ion", "or", "ag")
"""What Snowball leaves on a noun made from a verb: react|ion, invest|or, marri|ag(e)."""
MIN_STEM = 5
"""Shorter stems make other words: "act" / "action", "mill" / "million", "pass" / "passage"."""


def family(stem: str, known: Callable[[str], bool]) -> frozenset[str]:
    """The stems of ``stem``'s family that ``known`` holds, ``stem`` itself left out."""
    found = set()
    for tail in DERIVATION_TAILS:
        if len(stem) >= MIN_STEM and known(stem + tail):
            found.add(stem + tail)
        base = stem[: -len(tail)]
        if stem.endswith(tail) and len(base) >= MIN_STEM and known(base):
            found.add(base)
    return frozenset(found)


def families(stems: Iterable[str], known: Callable[[str], bool]) -> Mapping[str, frozenset[str]]:
    """Each of ``stems`` whose family ``known`` holds other words of -> those words."""
    found = {stem: family(stem, known) for stem in set(stems)}
    return {stem: kin for stem, kin in found.items() if kin}


def story_forms(stems: list[str], known: Callable[[str], bool]) -> list[str]:
    """``stems`` with each one that ``known`` lacks replaced by a word of its family that it
    holds ("react" becomes "reaction" in a story that only writes the noun)."""
    forms = []
    for stem in stems:
        kin = () if known(stem) else sorted(family(stem, known))
        forms.append(kin[0] if kin else stem)
    return forms
