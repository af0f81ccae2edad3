"""Typos in questions are corrected against the story's words, and only typos."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.spelling import correct_spelling, is_slip
from knowledge.story_words import StoryWords

STORY = StoryWords.of(
    [
        "Hilaria Baldwin reached a million followers; Alec Baldwin thanked his followers.",
        "Kim Basinger and the children. The capitol building. Basinger, Basinger. Alec.",
        "Bassinet sales rose.",
    ]
)
COMMON = {"how", "many", "did", "have", "who", "is", "the", "of", "capital", "what", "kids"}
COMMON |= {"followers", "children", "million", "building", "sales", "rose", "and", "kim"}


def fixed(question: str) -> str:
    return correct_spelling(question, lambda: STORY, COMMON.__contains__)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many folowers did hilria have", "how many followers did hilaria have"),
        ("Who is Hilria?", "Who is Hilaria?"),
        ("WHO IS HILRIA", "WHO IS HILARIA"),
        ("how many childern", "how many children"),  # a word: neighbours swapped
        ("how many folllowers", "how many followers"),  # a word: a letter doubled
        ("who is kim bassinger", "who is kim basinger"),  # a name: any one edit
        ("who is kim basinjer", "who is kim basinger"),
        ("alek baldwn", "alec baldwin"),
    ],
)
def test_misspelt_story_words_are_corrected(question: str, expected: str) -> None:
    assert fixed(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "what is the capital of France",  # a known word is never "corrected" to the story's
        "how many kildren",  # the first letter must be right
        "fllowerz",  # two edits: too far to be sure
        "how many chidren",  # a word one odd edit away, not a slip: maybe a real word
        "the capitl",  # "capitol" is a word, not a name: only a slip would be corrected
        "Hilaria Baldwin",  # the story's own words
        "kim bas",  # shorter than four letters
        "",
    ],
)
def test_real_or_unclear_words_are_left_alone(question: str) -> None:
    assert fixed(question) == question


@pytest.mark.parametrize(
    ("typed", "meant", "slip"),
    [
        ("childern", "children", True),
        ("folowers", "followers", True),
        ("goovernment", "government", True),
        ("captian", "captain", True),
        ("giver", "given", False),
        ("facet", "fact", False),
        ("hilria", "hilaria", False),
    ],
)
def test_typing_slips(typed: str, meant: str, slip: bool) -> None:
    assert is_slip(typed, meant) is slip


def test_story_words_are_read_only_for_an_unknown_word() -> None:
    def unread() -> StoryWords:
        raise AssertionError("read the story's words for known words")

    assert correct_spelling("what is the capital", unread, COMMON.__contains__)


def test_engine_answers_a_misspelt_question_as_the_spelt_one(default_engine: Engine) -> None:
    misspelt = default_engine.ask("how many folowers does alec have on instgram himself")
    spelt = default_engine.ask("how many followers does alec have on instagram himself")
    assert misspelt.answered and "2.5 million" in misspelt.answer
    assert misspelt.answer == spelt.answer
    assert misspelt.searched_as == "how many followers does alec have on instagram himself"
    assert misspelt.to_dict()["searched_as"] == misspelt.searched_as
    assert spelt.searched_as is None and spelt.to_dict()["searched_as"] is None


def test_words_sharing_a_story_word_stem_are_not_corrected(default_engine: Engine) -> None:
    # "commenter" is one edit from the story's "commented" and shares its stem: not a typo
    answer = default_engine.ask("What did the 'give me a break' commenter write?")
    assert answer.searched_as is None


def test_misspelt_off_topic_questions_are_still_refused(default_engine: Engine) -> None:
    answer = default_engine.ask("what is the capitl of frnce")
    assert not answer.answered
