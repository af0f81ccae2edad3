"""The saved index: incremental, atomic, checked on load, never pickled."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.embedding import HashingEmbedder
from knowledge.engine import Engine, prepare_index
from knowledge.errors import IndexCorruptError, IndexMismatchError
from knowledge.index_store import CURRENT_FILE, current_build, open_index
from tests.conftest import story_settings

ARTICLES = {
    "dam.txt": "Dam Opens\n\nThe new dam opened on Friday after nine years of work.\n\n"
    "It holds enough water for forty thousand homes, officials said.\n",
    "vote.txt": "Council Vote\n\nThe council voted seven to two to close the library.\n",
    "fire.txt": "Forest Fire\n\nA forest fire burned 300 hectares near the village of Oak.\n",
}


class CountingEmbedder(HashingEmbedder):
    """Counts how many texts it embedded."""

    def __init__(self) -> None:
        super().__init__(dimension=64)
        self.embedded = 0

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return super().encode(texts, progress)


def test_incremental_update_reembeds_only_changed_articles(write_story, tmp_path: Path) -> None:
    story = write_story(ARTICLES)
    settings = story_settings(story, tmp_path / "index")
    embedder = CountingEmbedder()
    index, report = prepare_index(settings, embedder)
    first = embedder.embedded
    assert report.rebuilt and set(report.added) == {"dam", "vote", "fire"} and first > 0
    index.close()

    index, report = prepare_index(settings, embedder)
    assert not report.rebuilt and embedder.embedded == first
    index.close()

    (story / "vote.txt").write_text("Council Vote\n\nThe council voted to keep the library.\n")
    (story / "fire.txt").unlink()
    index, report = prepare_index(settings, embedder)
    assert report.changed == ("vote",) and report.removed == ("fire",) and not report.added
    assert 0 < embedder.embedded - first < first
    assert {s.doc_id for s in index.store.sources()} == {"dam", "vote"}
    index.close()


def test_removed_article_disappears_from_answers(write_story, tmp_path: Path) -> None:
    story = write_story(ARTICLES)
    settings = story_settings(story, tmp_path / "index", min_confidence=0.0)
    engine = Engine.open(settings, embedder=HashingEmbedder(64))
    assert engine.ask("forest fire hectares village").citations[0].doc_id == "fire"
    (story / "fire.txt").unlink()
    engine.reload()
    answer = engine.ask("forest fire hectares village")
    assert all(c.doc_id != "fire" for c in answer.citations)


def test_crash_mid_build_keeps_the_previous_index(
    write_story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = write_story(ARTICLES)
    settings = story_settings(story, tmp_path / "index")
    index, _ = prepare_index(settings, HashingEmbedder(64))
    before = current_build(tmp_path / "index")
    index.close()
    (story / "vote.txt").write_text("Council Vote\n\nChanged text about the library vote.\n")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr("knowledge.index_store.write_store", explode)
    with pytest.raises(RuntimeError, match="power cut"):
        prepare_index(settings, HashingEmbedder(64))
    assert current_build(tmp_path / "index") == before
    assert not list((tmp_path / "index").glob(".tmp-*"))
    assert open_index(tmp_path / "index").size > 0


def test_corrupt_or_mismatched_index_is_detected(write_story, tmp_path: Path) -> None:
    story = write_story(ARTICLES)
    settings = story_settings(story, tmp_path / "index")
    index, _ = prepare_index(settings, HashingEmbedder(64))
    build = index.folder
    index.close()
    (build / "vectors.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="vector index"):
        open_index(tmp_path / "index")
    # The engine rebuilds a damaged index instead of crashing.
    engine = Engine.open(settings, embedder=HashingEmbedder(64))
    assert engine.index.size > 0
    with pytest.raises(IndexMismatchError, match="model changed"):
        open_index(tmp_path / "index", spec={**engine.index.manifest.spec, "model": "other"})


def test_manifest_records_what_the_index_was_built_from(write_story, tmp_path: Path) -> None:
    story = write_story(ARTICLES)
    settings = story_settings(story, tmp_path / "index")
    index, _ = prepare_index(settings, HashingEmbedder(64))
    manifest = json.loads((index.folder / "manifest.json").read_text())
    assert manifest["format_version"] == 1
    assert manifest["spec"]["model"] == "hashing-64" and manifest["spec"]["dimension"] == 64
    assert {a["doc_id"] for a in manifest["articles"]} == {"dam", "vote", "fire"}
    assert all(len(a["content_hash"]) == 64 for a in manifest["articles"])
    assert not any(p.suffix in (".pkl", ".pickle") for p in index.folder.rglob("*"))
    index.close()


def test_damaged_pointer_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / CURRENT_FILE).write_text("build-that-does-not-exist\n")
    with pytest.raises(IndexCorruptError, match="names a build that does not exist"):
        open_index(folder)


def test_unreadable_articles_do_not_stop_the_rest(write_story, tmp_path: Path) -> None:
    story = write_story({**ARTICLES, "broken.txt": b"\xff\xfe\x00\x00binary"})
    settings = story_settings(story, tmp_path / "index")
    index, report = prepare_index(settings, HashingEmbedder(64))
    assert report.articles == 3
    assert [Path(p).name for p, _ in report.skipped] == ["broken.txt"]
    index.close()
    # The skipped file does not make the index look stale on the next run.
    index, report = prepare_index(replace(settings), HashingEmbedder(64))
    assert not report.rebuilt
    index.close()
