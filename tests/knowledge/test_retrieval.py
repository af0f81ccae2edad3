"""Hybrid retrieval: BM25 counts only as much as the question's words are the story's words."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.retrieval import known_share

TEXTS = [
    "Alec Baldwin asked fans to follow Hilaria.",
    "Alec and Hilaria have seven children.",
    "Hilaria turned 39 on her birthday.",
    "The note thanked everyone who followed.",
]


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    return LexicalIndex.build(TEXTS, k1=1.5, b=0.75)


def test_a_question_in_the_storys_words_keeps_full_bm25_weight(lexical: LexicalIndex) -> None:
    assert known_share(tokenize("How many children do Alec and Hilaria have?"), lexical) == 1.0
    assert known_share([], lexical) == 1.0


def test_words_no_article_has_shrink_bm25s_share(lexical: LexicalIndex) -> None:
    """ "kids" is in no article: only the names, the commonest words, would match."""
    share = known_share(tokenize("How many kids do Alec and Hilaria have?"), lexical)
    assert 0.0 < share < 0.5
    assert known_share(tokenize("zebra quasar"), lexical) == 0.0


def test_a_paraphrased_question_finds_the_passage_that_answers_it(default_engine: Engine) -> None:
    """The story says "children"; BM25 matched only "Alec" and "Hilaria", and its best score,
    scaled to 1, kept both "seven children" passages out of the first five (9th and 14th)."""
    analysis = default_engine.analyse("How many kids do Alec and Hilaria have?")
    ids = [c.passage_id for c in analysis.retrieval.candidates[:5]]
    texts = [p.text for p in default_engine.index.store.passages(ids)]
    assert any("seven children" in text for text in texts)
