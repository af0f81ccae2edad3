"""Who a story's relation words ("his wife") name."""

from __future__ import annotations

from knowledge.relations import relatives_of, story_relations

STORY = [
    "Alec Baldwin took to Instagram to beg for his wife, Hilaria, to get more followers.",
    "It is my wife Hilaria’s birthday tomorrow.",
    "His 9-year-old daughter, Carmen, said: follow my mom on Instagram.",
    "They welcomed daughter Ilaria in September, with ex-wife Kim Basinger.",
    "Baldwin begs fans to follow wife\nAlec Baldwin is an actor.",
    "He thanked his wife, who smiled, and his son The Boss.",
]


def test_a_relation_word_names_the_capitalised_name_after_it() -> None:
    relations = story_relations(STORY)
    assert relations["wife"] == {"hilaria"}  # not Kim Basinger (ex-wife), nor Alec (next line)
    assert relations["daughter"] == {"carmen", "ilaria"}
    assert "mom" not in relations  # "my mom on Instagram": no name follows
    assert "son" not in relations  # "The" is no name


def test_relatives_of_the_names_asked_about() -> None:
    relations = story_relations(STORY)
    assert relatives_of({"hilaria", "old"}, relations) == {"wife"}
    assert relatives_of({"carmen"}, relations) == {"daughter"}
    assert relatives_of({"alec"}, relations) == frozenset()
