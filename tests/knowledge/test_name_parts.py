"""Which words of a story's full names may stand for each other ("Baldwin" for "Alec")."""

from __future__ import annotations

from knowledge.lexical import tokenize
from knowledge.name_parts import ALIAS_CREDIT, aliases_of, story_name_parts
from knowledge.question_types import AnswerKind
from knowledge.sentence_features import QuestionTerms, coverage
from knowledge.story_words import StoryWords

STORY = [
    "Alec Baldwin Roasted After Begging For More Followers",
    "Alec Baldwin took to Instagram to beg for his wife, Hilaria Baldwin, to get more followers.",
    "The Baldwins, who wed in 2012, have seven children together.",
    "Baldwin said the video was a silly gift. Baldwin Kept Quiet, as he kept quiet before.",
    "According to Page Six, trolls criticised him. The Trolls were many.",
]


def _parts() -> dict[str, frozenset[str]]:
    return dict(story_name_parts(STORY, StoryWords.of(STORY).names))


def test_parts_of_a_full_name_stand_for_each_other() -> None:
    parts = _parts()
    assert parts["alec"] == {"baldwin"}
    assert parts["hilaria"] == {"baldwin"}
    assert parts["baldwin"] == {"alec", "hilaria"}  # a surname is the whole family's
    assert parts["page"] == {"six"}


def test_a_headline_or_a_capitalised_common_word_is_no_name() -> None:
    parts = _parts()
    assert "roast" not in parts and "follow" not in parts  # a run of six capitalised words
    assert "kept" not in parts  # "Baldwin Kept Quiet": "kept" is mostly written in lower case
    assert "troll" not in parts  # "The Trolls": mostly written in lower case


def test_aliases_of_the_names_a_question_asks_about() -> None:
    parts = _parts()
    assert aliases_of(tokenize("When did Alec and Hilaria marry?"), parts) == {
        "alec": {"baldwin"},
        "hilaria": {"baldwin"},
    }
    assert aliases_of(tokenize("What did Alec Baldwin say?"), parts) == {}  # named in full
    assert aliases_of(tokenize("What did the video say?"), parts) == {}


def test_a_surname_earns_part_of_a_first_names_weight() -> None:
    tokens = tuple(tokenize("When did Alec wed?"))
    terms = QuestionTerms(
        tokens,
        dict.fromkeys(tokens, 1.0),
        frozenset(),
        AnswerKind.DATE,
        aliases=aliases_of(tokens, _parts()),
    )
    assert coverage(terms, frozenset(tokenize("Baldwin wed in 2012"))) == (1 + ALIAS_CREDIT) / 2
    assert coverage(terms, frozenset(tokenize("Alec wed in 2012"))) == 1.0
    assert coverage(terms, frozenset(tokenize("They wed in 2012"))) == 0.5
