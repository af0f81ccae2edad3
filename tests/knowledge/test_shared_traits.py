"""Questions about who shares something with someone: "also X's birthday" answers them."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.shared_traits import shared_thing, states_shared


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Which actor has the same birthday as Hilaria?", "birthday"),
        ("who has the same hometown as alec", "hometown"),
        ("When is Hilaria's birthday?", None),
        ("Was it the same as last year?", None),
    ],
)
def test_the_thing_a_question_asks_who_shares(question: str, thing: str | None) -> None:
    assert shared_thing(question) == thing


@pytest.mark.parametrize(
    ("sentence", "shared"),
    [
        ("It’s also Norman Reedus’s birthday, but you don’t see him making a stink.", True),
        ("She shares a birthday with her brother.", True),
        ("He has the same birthday as his son.", True),
        ("It is my wife Hilaria’s birthday tomorrow January 6th.", False),
        ("It’s also Norman Reedus’s hometown.", False),  # another thing
    ],
)
def test_a_shared_thing_is_said_with_also_share_or_same(sentence: str, shared: bool) -> None:
    assert states_shared(sentence, "birthday") is shared


def test_who_shares_a_birthday_is_answered_by_also_their_birthday(default_engine: Engine) -> None:
    """ "The actor took to Instagram ..." had answered: it matched "actor" and "Hilaria"."""
    answer = default_engine.ask("Which actor has the same birthday as Hilaria?")
    assert answer.answered and "Norman Reedus" in answer.answer, answer.answer
