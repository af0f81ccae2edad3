"""Yes/no questions about how something ended take a sentence that says how it ended."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.outcomes import asks_outcome, states_outcome


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Did Hilaria actually reach a million followers in the end?", True),
        ("did she eventually get there", True),
        ("Has the court finally ruled?", True),
        ("Did they end up married?", True),
        ("By what name was the army that finally conquered Bulgaria known?", False),
        ("What were Huguenots who stayed in France eventually known as?", False),
        ("Did Hilaria reach a million followers?", False),  # no word for "in the end"
    ],
)
def test_an_outcome_question_is_a_yes_no_one_about_the_end(question: str, asks: bool) -> None:
    assert asks_outcome(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("The milestone was eventually reached, and Alec Baldwin shared a note.", True),
        ("They ended up in court.", True),
        ("In the end, it worked.", True),
        ("The end of the video was awkward.", False),
        ("She was just a few followers shy of a million.", False),
    ],
)
def test_an_outcome_is_said_in_so_many_words(sentence: str, states: bool) -> None:
    assert states_outcome(sentence) is states


@pytest.mark.parametrize(
    "question",
    [
        "Did Hilaria actually reach a million followers in the end?",
        "Did she eventually get to a million?",
    ],
)
def test_how_it_ended_is_answered_by_what_happened_in_the_end(
    default_engine: Engine, question: str
) -> None:
    """ "According to the video, Hilaria Baldwin was just a few followers shy of a million" had
    answered the first: it says "a million followers", not how things ended."""
    answer = default_engine.ask(question)
    assert answer.answered and "The milestone was eventually reached" in answer.answer, (
        answer.answer
    )
