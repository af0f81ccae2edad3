"""The noun a question asks about, and whether an answer candidate stands next to it."""

from __future__ import annotations

import pytest

from knowledge.question_types import answer_kind
from knowledge.sentence_features import (
    QuestionTerms,
    SentenceText,
    focus_adjacent,
    focus_words,
    kind_hits,
)


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("How many nations are within the Amazon Basin?", ("nations",)),
        ("Which actor has the same birthday as Hilaria?", ("actor",)),
        ("How many different species live there?", ("different", "species")),
        ("What island does the cold water flow to?", ("island",)),
        ("What year did the war end?", ("year",)),
        ("What did Carmen say in her video?", ()),
        ("Who is Ireland Baldwin?", ()),
    ],
)
def test_focus_is_the_noun_after_the_question_word(question: str, focus: tuple[str, ...]) -> None:
    assert focus_words(question) == focus


def _adjacent(question: str, sentence: str) -> bool:
    tokens = tuple(t for t in question.lower().replace("?", "").split())
    terms = QuestionTerms(
        tokens,
        dict.fromkeys(tokens, 1.0),
        frozenset(),
        answer_kind(question),
        focus=focus_words(question),
    )
    text = SentenceText.of(sentence)
    return focus_adjacent(terms, sentence, kind_hits(terms, text))


def test_a_number_next_to_the_counted_noun_is_adjacent() -> None:
    question = "How many nations are within the Amazon Basin?"
    assert _adjacent(question, "The basin spans territory belonging to nine nations.")
    assert not _adjacent(question, "Brazil holds 60% of the forest, followed by Peru with 13%.")
