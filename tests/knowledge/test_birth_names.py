"""Questions about a birth name: "born" right before a name answers them."""

from __future__ import annotations

import pytest

from knowledge.birth_names import asks_birth_name, states_birth_name
from knowledge.engine import Engine


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What was Hilaria Baldwin's birth name?", True),
        ("what's hilaria's real name", True),
        ("What was her maiden name?", True),
        ("What name was she given at birth?", True),
        ("What's the name of the baby they had in September?", False),
        ("When was Hilaria born?", False),
    ],
)
def test_a_birth_name_question(question: str, asks: bool) -> None:
    assert asks_birth_name(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("Before she was Mrs. Alec Baldwin, she was born Hillary Hayward-Thomas to two", True),
        ("Jane Smith (née Jones) said", True),
        ("His real name is Ramón Estévez.", True),
        ("Martin Luther was born in Eisleben.", False),
        ("He was born to Hans Luder and his wife.", False),
        ("The child, born January 6, is their seventh.", False),
        ("She was born on a farm.", False),
    ],
)
def test_a_birth_name_follows_born(sentence: str, states: bool) -> None:
    assert states_birth_name(sentence) is states


@pytest.mark.parametrize(
    "question", ["What was Hilaria Baldwin's birth name?", "what's hilaria's real name"]
)
def test_a_birth_name_is_answered_by_the_name_she_was_born_with(
    default_engine: Engine, question: str
) -> None:
    """The sentence says "she", not "Hilaria", and (for the second question) sits beyond the
    first 10 passages: the search widens, as for a job."""
    answer = default_engine.ask(question)
    assert answer.answered and "born Hillary Hayward-Thomas" in answer.answer, answer.answer


def test_no_birth_name_is_given_to_someone_the_story_gives_none(default_engine: Engine) -> None:
    answer = default_engine.ask("What is Alec's real name?")
    assert not answer.answered, answer.answer
