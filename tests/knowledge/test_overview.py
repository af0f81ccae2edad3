"""Questions about the whole story are answered with its most central sentences, cited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding import HashingEmbedder
from knowledge.engine import Engine
from knowledge.models import ArticleMeta, Source
from knowledge.overview import is_overview_question, overview_scope
from tests.conftest import story_settings

OVERVIEW = [
    "What is this story about?",
    "what's the story",
    "Summarize the articles, please",
    "tl;dr",
    "What happened?",
    "Can you give me a quick overview of the news?",
    "What are these articles about?",
    "What’s going on here?",
]
ORDINARY = [
    "What is the movie Rust about?",
    "What happened to Hilaria in 2020?",
    "Who wrote the story?",
    "Summarize what Alec said",
    "How old is Alec Baldwin?",
    "What is this?",
    "",
]


@pytest.mark.parametrize("question", OVERVIEW)
def test_questions_about_the_whole_story_are_recognised(question: str) -> None:
    assert is_overview_question(question)


@pytest.mark.parametrize("question", ORDINARY)
def test_questions_naming_anything_else_are_ordinary(question: str) -> None:
    assert not is_overview_question(question)


SOURCES = [
    Source("a", ArticleMeta(title="Mocked", outlet="Newsweek", author="Ryan Smith"), 19, "a.txt"),
    Source("b", ArticleMeta(title="Roasted", author="Jessica Scott"), 12, "b.txt"),
    Source("c", ArticleMeta(title="Newsweek Scott Smith"), 6, "c.txt"),  # titles do not count
]


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("What did the Newsweek article say?", ("a",)),
        ("Summarize Jessica Scott's piece", ("b",)),
        ("what did ryan smith write", None),  # no overview word: an ordinary question
        ("What is the story by Smith about?", ("a",)),
        ("What is this story about?", ()),
        ("What did the New York Times article say?", None),  # no such outlet
        ("What is the Newsweek story about Hilaria?", None),  # names more than an outlet
    ],
)
def test_an_overview_may_name_an_outlet_or_author(
    question: str, scope: tuple[str, ...] | None
) -> None:
    assert overview_scope(question, lambda: SOURCES) == scope


def test_an_outlets_article_is_summed_up_from_its_own_sentences(default_engine: Engine) -> None:
    newsweek = next(s for s in default_engine.sources() if s.meta.outlet == "Newsweek")
    answer = default_engine.ask("What did the Newsweek article say?")
    assert answer.answered and len(answer.citations) == 3
    assert {c.doc_id for c in answer.citations} == {newsweek.doc_id}
    assert answer.citations[0].paragraph == 1  # its lead


def test_story_overview_quotes_one_central_sentence_per_article(default_engine: Engine) -> None:
    answer = default_engine.ask("What is this story about?")
    assert answer.answered and answer.answer == answer.citations[0].snippet
    texts = {s.doc_id: Path(s.path).read_text(encoding="utf-8") for s in default_engine.sources()}
    assert len({c.doc_id for c in answer.citations}) == len(answer.citations) == 3
    for citation in answer.citations:
        assert " ".join(citation.snippet.split()) in " ".join(texts[citation.doc_id].split())
        assert "Instagram" in citation.snippet  # the story's theme, not a chatty aside
        assert citation.snippet.count(". ") == 0  # one sentence, not widened with neighbours
        assert 0.0 < citation.score <= 1.0  # a relevance in [0, 1], as for any answer


def test_a_question_naming_something_else_is_still_judged_on_its_own(
    default_engine: Engine,
) -> None:
    assert not default_engine.ask("What is the movie Rust about?").answered


def test_overview_skips_fragments_and_questions(
    write_story: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    story = write_story(
        {
            "harbour.txt": "Harbour bridge closes\n\nWould the bridge close?\n\n"
            "The harbour bridge closes for repairs to its steel cables next month.\n\n"
            "Bridge repairs.\n",
            "ferries.txt": "Ferries fill the gap\n\n"
            "Extra harbour ferries will run while the bridge is closed for repairs.\n",
        }
    )
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=HashingEmbedder(256))
    answer = engine.ask("What is the story about?")
    assert answer.answered
    quoted = {c.snippet for c in answer.citations}
    assert quoted == {
        "The harbour bridge closes for repairs to its steel cables next month.",
        "Extra harbour ferries will run while the bridge is closed for repairs.",
    }


def test_centre_is_the_normalised_mean_of_sentence_vectors(default_engine: Engine) -> None:
    index = default_engine.index
    rows = np.asarray(index.sentence_vectors[0 : len(index.sentence_vectors)], dtype=np.float32)
    mean = rows.sum(axis=0)
    assert np.allclose(index.centroid(), mean / np.linalg.norm(mean), atol=1e-5)
