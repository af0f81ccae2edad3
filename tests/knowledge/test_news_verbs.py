"""News verbs count as the plainer verbs people ask with: "quipped" for "joke"."""

from __future__ import annotations

from knowledge.engine import Engine
from knowledge.lexical import tokenize
from knowledge.news_verbs import synonyms


def _known(*words: str) -> set[str]:
    return {stem for word in words for stem in tokenize(word)}


def test_a_verb_gets_the_news_verbs_of_its_meaning_that_the_story_writes() -> None:
    known = _known("quipped", "slammed", "pleaded", "followers").__contains__
    found = synonyms(tokenize("did people joke, criticize or beg them to follow"), known)
    assert found == {
        "joke": frozenset({"quip"}),
        "critic": frozenset({"slam"}),
        "beg": frozenset({"plead"}),
    }


def test_a_verb_the_story_has_no_synonym_of_gets_none() -> None:
    assert synonyms(tokenize("joke"), _known("laughed").__contains__) == {}


def test_what_someone_joked_is_answered_by_what_they_quipped(default_engine: Engine) -> None:
    """ "Even Twitter users have been posting about the strange incident" had answered."""
    answer = default_engine.ask("What did a Twitter user joke Alec should add to his plea?")
    assert answer.answered and "por favor" in answer.answer, answer.answer
