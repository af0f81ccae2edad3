"""Questions about where someone is from: the sentence that says so next to the name answers."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.origins import asks_origin, states_origin


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Where is Hilaria from?", True),
        ("Where was Hilaria actually born?", True),
        ("where did hilaria grow up", True),
        ("Where does the river flow from?", True),  # asks; no person named, so no rule applies
        ("Where did Alec take Hilaria on her birthday?", False),
        ("Who is Hilaria from Boston?", False),
    ],
)
def test_an_origin_question_asks_where_someone_is_from(question: str, asks: bool) -> None:
    assert asks_origin(question) is asks


@pytest.mark.parametrize(
    ("sentence", "names", "states"),
    [
        (
            "Meanwhile, another referenced Massachusetts native Hilaria Baldwin being",
            "hilaria",
            True,
        ),
        ("The Boston-born actress Hilaria Baldwin said", "hilaria", True),
        ("Hilaria Baldwin was born in Boston to two Bostonians.", "hilaria", True),
        ("Hilaria Thomas, a native of Boston, said", "hilaria", True),
        ("Massachusetts native Hilaria Baldwin", "alec", False),  # someone else's origin
        ("The actor took to Instagram to praise his wife Hilaria.", "hilaria", False),
        ("Martin Luther was born to Hans Luder and his wife in Eisleben.", "luther", False),
        ("Massachusetts native Hilaria Baldwin", "", False),  # no name asked
    ],
)
def test_an_origin_is_stated_next_to_the_name(sentence: str, names: str, states: bool) -> None:
    assert states_origin(sentence, names.split()) is states


@pytest.mark.parametrize(
    "question",
    ["Where is Hilaria from?", "Where was Hilaria born?", "Where is Hilaria from originally?"],
)
def test_where_someone_is_from_is_answered_by_their_origin(
    default_engine: Engine, question: str
) -> None:
    """ "The actor took to Instagram ... his American Wife Hilaria" had answered: "to Instagram"
    counts as a place."""
    answer = default_engine.ask(question)
    assert answer.answered and "Massachusetts native Hilaria Baldwin" in answer.answer, (
        answer.answer
    )
