"""Questions about a former husband or wife take a sentence that names one."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.former_spouses import asks_former_spouse, states_former_spouse


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who was Alec Baldwin married to before Hilaria?", True),
        ("who's alec's ex wife", True),
        ("Who was his first wife?", True),
        ("Who did Alec divorce?", True),
        ("Who is Alec married to?", False),
        ("Who posted before Alec?", False),
    ],
)
def test_a_former_spouse_question(question: str, asks: bool) -> None:
    assert asks_former_spouse(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        (
            "Alec Baldwin is also father to model Ireland Baldwin, 27, with ex-wife Kim Basinger.",
            True,
        ),
        ("His former husband said nothing.", True),
        ("They divorced in 2002.", True),
        ("Alec Baldwin took to Instagram to beg for his wife, Hilaria.", False),
        ("The Baldwins, who wed in 2012, have seven children together.", False),
    ],
)
def test_a_former_spouse_is_named_so(sentence: str, states: bool) -> None:
    assert states_former_spouse(sentence) is states


def test_who_someone_was_married_to_before_is_their_ex(default_engine: Engine) -> None:
    """ "Alec Baldwin took to Instagram to beg for his wife, Hilaria" had answered: it matched
    the question's names best."""
    answer = default_engine.ask("Who was Alec Baldwin married to before Hilaria?")
    assert answer.answered and "ex-wife Kim Basinger" in answer.answer, answer.answer
