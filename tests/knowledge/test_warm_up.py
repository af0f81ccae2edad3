"""Warming: the story's words are read before the first question, not by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import HashingEmbedder
from knowledge.engine import Engine
from knowledge.story_words import StoryWords
from tests.conftest import story_settings

ARTICLES = {
    "dam.txt": "Dam Opens\n\nMayor Ann Lee opened the new dam on Friday after nine years.\n",
    "vote.txt": "Council Vote\n\nThe council voted seven to two to close the library.\n",
}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per time the engine reads a story's words."""
    calls: list[int] = []
    real = StoryWords.of.__func__  # type: ignore[attr-defined]

    def counted(cls: type[StoryWords], texts):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(cls, texts)

    monkeypatch.setattr(StoryWords, "of", classmethod(counted))
    return calls


def test_warm_reads_the_story_words_before_the_first_question(
    write_story, tmp_path: Path, reads: list[int]
) -> None:
    settings = story_settings(write_story(ARTICLES), tmp_path / "index")
    engine = Engine.open(settings, HashingEmbedder(64))
    assert reads == []
    engine.warm()
    assert reads == [1]
    assert engine.ask("When did the dam open?").answered
    assert reads == [1]
    engine.close()


def test_reload_warms_the_new_index_before_it_takes_questions(
    write_story, tmp_path: Path, reads: list[int]
) -> None:
    story = write_story(ARTICLES)
    engine = Engine.open(story_settings(story, tmp_path / "index"), HashingEmbedder(64))
    engine.warm()
    (story / "fire.txt").write_text("Forest Fire\n\nA fire burned 300 hectares near Oak.\n")
    engine.reload()
    assert reads == [1, 1]
    assert engine.ask("How many hectares burned?").citations[0].doc_id == "fire"
    assert reads == [1, 1]
    engine.reload()  # nothing changed, but the index is opened afresh: warmed again
    assert engine.ask("How many hectares burned?").answered
    assert reads == [1, 1, 1]
    engine.close()
