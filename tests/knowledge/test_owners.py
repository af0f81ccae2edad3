"""A quote that gives the asked-about person's thing only to someone else does not answer."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.owners import OwnedThing, asked_owner, gives_to_others, owners_in

STORY_NAMES = frozenset({"alec", "baldwin", "hilaria", "norman", "reedus"})


def story_names() -> frozenset[str]:
    return STORY_NAMES


@pytest.mark.parametrize(
    ("question", "owner", "thing"),
    [
        ("When is Alec's birthday?", {"alec"}, "birthday"),
        ("when is alec's birthday", {"alec"}, "birthday"),  # lower case: the story's names
        ("When is Alec Baldwin’s birthday?", {"alec", "baldwin"}, "birthday"),
        ("What is Hilaria's real name?", {"hilaria"}, "name"),
        ("Alec's birthday, when is it?", {"alec"}, "birthday"),
        ("What was Beyoncé's first album?", {"beyoncé"}, "album"),
    ],
)
def test_a_named_owner_and_thing_are_found(question: str, owner: set[str], thing: str) -> None:
    owned = asked_owner(question, story_names)
    assert owned is not None
    assert (owned.owner, owned.thing) == (frozenset(owner), thing)


@pytest.mark.parametrize(
    "question",
    [
        "What is Alec's wife's name?",  # the name is the wife's, and "wife" is no name
        "What's the name of the baby?",  # a contraction
        "It's whose birthday?",
        "what did the story's author say?",  # "story" is not a name
        "When is everyone's birthday?",
        "How old is Alec?",
        # typed with capitals, so a lower-case word is no name, even one the story capitalises
        "Who praised Alec on the 39th anniversary of the baldwin's birth?",
    ],
)
def test_no_named_owner(question: str) -> None:
    assert asked_owner(question, story_names) is None


def test_owners_a_sentence_gives_a_thing_to() -> None:
    assert owners_in("It is my wife Hilaria’s birthday tomorrow.", "birthday") == {"hilaria"}
    assert owners_in("It’s also Norman Reedus's 54th birthday.", "birthday") == {"reedus"}
    assert owners_in("The day before my wife's birthday.", "birthday") == frozenset()
    assert owners_in("It's her birthday.", "birthday") == frozenset()
    assert owners_in("Hilaria’s birthday party", "name") == frozenset()


def owned(question: str) -> OwnedThing:
    found = asked_owner(question, story_names)
    assert found is not None
    return found


def test_a_quote_that_gives_the_thing_to_someone_else() -> None:
    hilarias = ["It is my wife Hilaria’s birthday tomorrow January 6th."]
    assert gives_to_others(hilarias, owned("When is Alec's birthday?"))
    assert not gives_to_others(hilarias, owned("When is Hilaria's birthday?"))
    assert not gives_to_others(hilarias, owned("When is Hilaria Baldwin's birthday?"))
    # the question names the other owner too: the quote may be the comparison it asks for
    assert not gives_to_others(hilarias, owned("Is Alec's birthday before Hilaria's?"))
    both = [*hilarias, "It’s also Alec’s birthday."]
    assert not gives_to_others(both, owned("When is Alec's birthday?"))
    # no owner named: a pronoun or a relation may well be the person asked about
    assert not gives_to_others(["It's her birthday."], owned("When is Hilaria's birthday?"))


def test_an_owner_spelt_another_way_or_named_elsewhere_is_the_same_owner() -> None:
    """Cases from the SQuAD bench, where a stricter rule refused right answers."""
    celoron = ["Céloron's expedition force consisted of about 200 Troupes de la marine."]
    assert not gives_to_others(celoron, owned("Who was on Celeron's expedition?"))
    eu = [
        "While constitutional law concerns the European Union's governance structure, "
        "administrative law binds EU institutions and member states to follow the law."
    ]
    assert not gives_to_others(eu, owned("Which type of law concerns the EU's governance?"))
    assert gives_to_others(eu, owned("Which type of law concerns the UN's governance?"))


@pytest.mark.parametrize(
    "question", ["When is Alec's birthday?", "when is alec baldwin's birthday"]
)
def test_someone_elses_birthday_does_not_answer(default_engine: Engine, question: str) -> None:
    answer = default_engine.ask(question)
    assert not answer.answered
    assert answer.citations == ()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When is Hilaria's birthday?", "January 6th"),
        ("When is Norman Reedus's birthday?", "Norman Reedus’s birthday"),
    ],
)
def test_the_owners_own_thing_still_answers(
    default_engine: Engine, question: str, expected: str
) -> None:
    answer = default_engine.ask(question)
    assert answer.answered
    assert expected in answer.answer
