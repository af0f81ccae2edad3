"""Words that shape a question ("what kind of", "happened") are not words to match."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine
from tests.conftest import story_settings

STORY = (
    "A quiet coronation\n\n"
    "The new king was crowned in a private ceremony in the palace chapel, with only his family "
    "present.\n\n"
    "Many things happened that year, and a kind of calm returned to the capital after the "
    "riots.\n\n"
    "The old king had ruled for forty years before his death in the spring.\n"
)


def test_a_sentence_is_not_chosen_for_sharing_the_questions_form_words(
    tmp_path: Path,
    write_story: Callable[[dict[str, str | bytes]], Path],
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    """ "a kind of calm" and "things happened" had answered "What kind of ceremony happened?"."""
    story = write_story({"crown.txt": STORY})
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=real_embedder)
    answer = engine.ask("What kind of ceremony happened?")
    assert answer.answered and "a private ceremony" in answer.answer
    assert "calm" not in answer.answer
    engine.close()
