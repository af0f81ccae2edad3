"""Chat shorthand is written out before searching, unless the story uses it too."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.shorthand import without_shorthand


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("when is her bday", "when is her birthday"),
        ("wat did ppl say about the vid?", "what did people say about the video?"),
        ("how old r u", "how old are you"),
        ("is she on IG", "is she on Instagram"),
        ("how many kids do they hav", "how many kids do they have"),
        ("wen is hilaria's bday", "when is hilaria's birthday"),
        ("who is her hubby", "who is her husband"),
        ("What did the U.S. agency do?", "What did the U.S. agency do?"),
        ("What does Mark U. Edwards claim?", "What does Mark U. Edwards claim?"),
        ("What is R?", "What is R?"),
        ("Who wrote it?", "Who wrote it?"),
    ],
)
def test_shorthand_is_written_out(typed: str, searched: str) -> None:
    assert without_shorthand(typed, lambda word: False) == searched


def test_shorthand_the_story_uses_is_kept() -> None:
    assert without_shorthand("did she get to 2 mil", lambda word: word == "mil") == (
        "did she get to 2 mil"
    )


def test_a_question_in_shorthand_gets_the_plain_answer(default_engine: Engine) -> None:
    """ "vid" and "wat" matched no article word, so the question was refused."""
    answer = default_engine.ask("wat did carmen say in the vid")
    assert answer.answered and "Follow my mom on Instagram" in answer.answer
    assert answer.searched_as == "what did carmen say in the video"
    assert answer.question == "wat did carmen say in the vid"


def test_a_dropped_letter_in_chat_spelling_is_written_out(default_engine: Engine) -> None:
    """ "hav" is three letters, too short for the spelling corrector, so it counted as a rare
    word no sentence has and the question was refused."""
    answer = default_engine.ask("how many kids do they hav")
    assert answer.answered and "seven children" in answer.answer


def test_shorthand_in_the_story_stays_as_written(default_engine: Engine) -> None:
    """One article writes "Insta", so "insta" is a word of the story, not shorthand."""
    assert default_engine.ask("how many followers does she have on insta").searched_as is None
