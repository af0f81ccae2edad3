"""A verb and the noun made from it ("react" / "reaction") count as one word."""

from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.derivations import families, family, story_forms
from knowledge.engine import Engine
from knowledge.lexical import tokenize
from knowledge.question_types import AnswerKind
from knowledge.sentence_features import QuestionTerms, SentenceText, coverage


def _known(*words: str) -> set[str]:
    return {stem for word in words for stem in tokenize(word)}


@pytest.mark.parametrize(
    ("word", "story", "expected"),
    [
        ("react", ("reaction",), {"reaction"}),
        ("reaction", ("reacted",), {"react"}),
        ("invest", ("investor",), {"investor"}),
        ("marry", ("marriage",), {"marriag"}),
        ("marriage", ("married",), {"marri"}),
        ("act", ("action", "actor"), set()),  # too short: another word, not a form
        ("mill", ("million",), set()),
        ("pass", ("passage",), set()),
        ("react", ("reactor",), {"reactor"}),  # the price of three endings and no dictionary
        ("follow", ("reaction",), set()),
    ],
)
def test_a_family_is_a_stem_and_the_stem_plus_a_noun_ending(
    word: str, story: tuple[str, ...], expected: set[str]
) -> None:
    known = _known(*story)
    assert family(tokenize(word)[0], known.__contains__) == expected


def test_families_leave_out_stems_without_one() -> None:
    known = _known("reaction", "people")
    found = families(tokenize("how did people react"), known.__contains__)
    assert found == {"react": frozenset({"reaction"})}


def test_a_stem_the_story_lacks_is_searched_as_the_form_it_has() -> None:
    stems = tokenize("how did fans react to the reactor")
    assert story_forms(stems, _known("fans", "reaction").__contains__) == [
        "fan",
        "reaction",
        "reactor",  # unknown and with no known form: kept
    ]
    assert story_forms(stems, _known("fans", "react", "reactor").__contains__) == stems


def test_a_word_of_the_family_earns_the_full_weight() -> None:
    weights = {"fan": 1.0, "react": 3.0}
    terms = QuestionTerms(("fan", "react"), weights, frozenset(), AnswerKind.OTHER)
    sentence = SentenceText.of("However, the reaction was not particularly enthusiastic.")
    assert coverage(terms, sentence.tokens) == 0.0
    related = replace(terms, families={"react": frozenset({"reaction"})})
    assert coverage(related, sentence.tokens) == pytest.approx(0.75)


@pytest.mark.parametrize("question", ["How did fans react?", "how did people react"])
def test_a_verb_question_is_answered_by_the_noun_the_story_writes(
    default_engine: Engine, question: str
) -> None:
    """The story says "the reaction was not particularly enthusiastic" and never "react"; both
    were refused before."""
    answer = default_engine.ask(question)
    assert answer.answered, question
    assert "the reaction was not particularly enthusiastic" in answer.answer, answer.answer
