"""Index builds at scale: the structure is recorded and forceable, builds resume after an
interruption to the same result, large parts are memory-mapped, damage is still detected."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from knowledge import index_store
from knowledge.embedding import HashingEmbedder
from knowledge.engine import Engine, prepare_index
from knowledge.errors import IndexCorruptError
from knowledge.index_store import current_build, open_index
from knowledge.settings import EngineSettings
from knowledge.vector_build import RESUME_DIR, RowFile
from tests.conftest import story_settings

WORDS = [
    "council",
    "river",
    "bridge",
    "mayor",
    "school",
    "budget",
    "storm",
    "harbour",
    "museum",
    "railway",
    "election",
    "farmers",
    "hospital",
    "festival",
    "library",
    "court",
    "police",
    "airport",
    "factory",
    "vote",
    "forest",
    "village",
    "teachers",
    "drought",
    "market",
    "union",
    "strike",
    "bakery",
    "stadium",
    "ferry",
    "mine",
]


def newsroom(count: int = 40, seed: int = 0) -> dict[str, str]:
    """``count`` small articles of a few paragraphs each."""
    rng = random.Random(seed)
    articles = {}
    for n in range(count):
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))).capitalize() + "."
                for _ in range(rng.randint(1, 4))
            ]
            paragraphs.append(" ".join(sentences))
        articles[f"a{n:03d}.txt"] = f"Story {n} {rng.choice(WORDS)}\n\n" + "\n\n".join(paragraphs)
    return articles


class PowerCut(Exception):
    pass


class CountingEmbedder(HashingEmbedder):
    """Counts embedded texts; can fail on a given call to ``encode``, like a killed build."""

    def __init__(self, fail_on_call: int | None = None) -> None:
        super().__init__(dimension=32)
        self.embedded = 0
        self.calls = 0
        self.fail_on_call = fail_on_call

    def encode(self, texts: Sequence[str], progress=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise PowerCut("killed mid-build")
        self.embedded += len(texts)
        return super().encode(texts, progress)


def scale_settings(story: Path, index: Path, **index_fields: object) -> EngineSettings:
    settings = story_settings(story, index)
    # One model batch of 1 text: every article group is a checkpoint of ~32 texts.
    settings = replace(settings, model=replace(settings.model, batch_size=1))
    return replace(settings, index=replace(settings.index, **index_fields))


def build_contents(index_dir: Path) -> dict[str, object]:
    """Everything a build holds, except when it was made."""
    build = current_build(index_dir)
    files: dict[str, object] = {
        path.relative_to(build).as_posix(): path.read_bytes()
        for path in sorted(build.rglob("*"))
        if path.is_file()
        and path.suffix in (".npy", ".faiss", ".json")
        and path.name != "manifest.json"
    }
    manifest = json.loads((build / "manifest.json").read_text())
    manifest.pop("created")
    files["manifest"] = manifest
    with sqlite3.connect(build / "passages.sqlite") as conn:
        files["passages"] = conn.execute("SELECT * FROM passages ORDER BY id").fetchall()
        files["articles"] = conn.execute("SELECT * FROM articles ORDER BY doc_id").fetchall()
    return files


def test_manifest_records_the_structure_chosen_by_size(write_story, tmp_path: Path) -> None:
    story = write_story(newsroom())
    index, _ = prepare_index(scale_settings(story, tmp_path / "small"), HashingEmbedder(32))
    assert index.manifest.vector_index == {"structure": "flat", "passages": index.size}
    index.close()

    settings = scale_settings(story, tmp_path / "large", exact_max_passages=50)
    index, _ = prepare_index(settings, HashingEmbedder(32))
    saved = json.loads((index.folder / "manifest.json").read_text())["vector_index"]
    assert saved["structure"] == "ivf-sq8" and index.size > 50
    assert saved["passages"] == index.size and 1 <= saved["nprobe"] <= saved["lists"]
    assert 0 < saved["tuned_recall_at_10"] <= 1 and saved["tuning_queries"] > 0
    assert index.vectors.structure == "ivf-sq8"
    index.close()


def test_forcing_a_structure_rebuilds_the_search_index_but_reuses_vectors(
    write_story, tmp_path: Path
) -> None:
    story = write_story(newsroom())
    embedder = CountingEmbedder()
    settings = scale_settings(story, tmp_path / "index")
    index, _ = prepare_index(settings, embedder)
    embedded = embedder.embedded
    index.close()

    forced = scale_settings(story, tmp_path / "index", vector_search="ivf-sq8")
    index, report = prepare_index(forced, embedder)
    assert report.rebuilt and index.manifest.vector_index["structure"] == "ivf-sq8"
    assert embedder.embedded == embedded  # nothing embedded again

    # The search breadth is a query-time setting: applied on open, no rebuild.
    lists = index.manifest.vector_index["lists"]
    index.close()
    narrow = scale_settings(story, tmp_path / "index", vector_search="ivf-sq8", search_breadth=1)
    index, report = prepare_index(narrow, embedder)
    assert not report.rebuilt and index.vectors.layout["nprobe"] == 1 < lists
    index.close()


def test_interrupted_build_resumes_where_it_stopped_with_the_same_result(
    write_story, tmp_path: Path
) -> None:
    story = write_story(newsroom(60))
    whole = CountingEmbedder()
    settings = scale_settings(story, tmp_path / "whole", vector_search="ivf-sq8")
    index, _ = prepare_index(settings, whole)
    index.close()
    assert whole.calls >= 5, "the story must span several checkpointed groups"

    interrupted = scale_settings(story, tmp_path / "resumed", vector_search="ivf-sq8")
    killed = CountingEmbedder(fail_on_call=4)
    with pytest.raises(PowerCut):
        prepare_index(interrupted, killed)
    assert list((tmp_path / "resumed" / RESUME_DIR).glob("*.npz"))
    assert not list((tmp_path / "resumed").glob(".tmp-*"))

    stages: list[tuple[str, int, int]] = []
    rerun = CountingEmbedder()
    index, _ = prepare_index(interrupted, rerun, lambda *report: stages.append(report))
    index.close()
    # Only the groups the killed run had not finished were embedded again...
    assert rerun.embedded == whole.embedded - killed.embedded
    # ...the progress started from where it stopped...
    first = next(s for s in stages if s[0] == "embedding")
    assert first[1] == killed.embedded and first[2] == whole.embedded
    # ...the checkpoints are gone, and the index is the same, byte for byte.
    assert not (tmp_path / "resumed" / RESUME_DIR).exists()
    assert build_contents(tmp_path / "resumed") == build_contents(tmp_path / "whole")


def test_a_damaged_checkpoint_is_embedded_again(write_story, tmp_path: Path) -> None:
    story = write_story(newsroom(30))
    settings = scale_settings(story, tmp_path / "index")
    with pytest.raises(PowerCut):
        prepare_index(settings, CountingEmbedder(fail_on_call=3))
    for checkpoint in (tmp_path / "index" / RESUME_DIR).glob("*.npz"):
        checkpoint.write_bytes(b"not a checkpoint")
    index, _ = prepare_index(settings, CountingEmbedder())
    reference, _ = prepare_index(scale_settings(story, tmp_path / "ref"), CountingEmbedder())
    vectors = np.load(index.folder / "vectors.npy")
    assert np.allclose(vectors, np.load(reference.folder / "vectors.npy"), atol=1e-6)
    index.close()
    reference.close()


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_parts_read_from_disk_answer_like_in_memory_ones(
    write_story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dtype: str
) -> None:
    story = write_story(newsroom())
    settings = scale_settings(story, tmp_path / "index", sentence_vectors=dtype)
    index, _ = prepare_index(settings, HashingEmbedder(32))
    in_memory = [index.sentence_similarity(i, index.sentence_vectors[0]) for i in range(5)]
    assert index.sentence_vectors.dtype == np.float32 and index.sentence_scales is None
    index.close()

    monkeypatch.setattr(index_store, "IN_MEMORY_BYTES", 0)
    mapped = open_index(tmp_path / "index")
    assert isinstance(mapped.sentence_vectors, RowFile)
    assert mapped.sentence_vectors.dtype == (np.float16 if dtype == "float16" else np.int8)
    assert (mapped.sentence_scales is not None) == (dtype == "int8")
    query = np.asarray(mapped.sentence_vectors[0:1][0], dtype=np.float32)
    if mapped.sentence_scales is not None:
        query = query * float(mapped.sentence_scales[0])
    for i, expected in enumerate(in_memory):
        assert np.allclose(mapped.sentence_similarity(i, query), expected, atol=1e-5)
    tokens = ["council", "river"]
    assert mapped.lexical.scores(tokens).shape == (mapped.size,)
    mapped.close()


def test_int8_sentence_vectors_stay_close_to_float16(write_story, tmp_path: Path) -> None:
    story = write_story(newsroom())
    results = {}
    for dtype in ("float16", "int8"):
        settings = scale_settings(story, tmp_path / dtype, sentence_vectors=dtype)
        index, _ = prepare_index(settings, HashingEmbedder(32))
        query = HashingEmbedder(32).encode_query("council budget vote")
        results[dtype] = np.concatenate([index.sentence_similarity(i, query) for i in range(20)])
        index.close()
    assert np.abs(results["int8"] - results["float16"]).max() < 0.02


def test_damage_and_mismatch_are_still_detected(write_story, tmp_path: Path) -> None:
    story = write_story(newsroom())
    settings = scale_settings(story, tmp_path / "index", exact_max_passages=10)
    index, _ = prepare_index(settings, HashingEmbedder(32))
    build = index.folder
    spec = index.manifest.spec
    index.close()
    # Another structure than the manifest names.
    flat = build / "vectors.faiss"
    from knowledge.vectors import VectorIndex

    VectorIndex.build(np.load(build / "vectors.npy")[:, :]).save(flat)
    with pytest.raises(IndexCorruptError, match="not the ivf-sq8 structure"):
        open_index(tmp_path / "index")
    # A vector structure setting that differs is a mismatch (the engine rebuilds).
    engine = Engine.open(settings, embedder=HashingEmbedder(32))
    assert engine.index.vectors.structure == "ivf-sq8"
    engine.close()
    other = {**spec, "vector_search": {**spec["vector_search"], "structure": "hnsw"}}  # type: ignore[dict-item]
    with pytest.raises(Exception, match="vector_search changed"):
        open_index(tmp_path / "index", other)
    # Missing sentence scales of an int8 index.
    settings8 = scale_settings(story, tmp_path / "int8", sentence_vectors="int8")
    index, _ = prepare_index(settings8, HashingEmbedder(32))
    (index.folder / "sentence_scales.npy").write_bytes(b"broken")
    index.close()
    with pytest.raises(IndexCorruptError, match="sentence vectors"):
        open_index(tmp_path / "int8")


def test_progress_names_every_stage(write_story, tmp_path: Path) -> None:
    story = write_story(newsroom())
    seen: list[str] = []
    report: Callable[[str, int, int], None] = lambda stage, done, total: seen.append(stage)  # noqa: E731
    settings = scale_settings(story, tmp_path / "index", exact_max_passages=10)
    index, _ = prepare_index(settings, HashingEmbedder(32), report)
    index.close()
    assert list(dict.fromkeys(seen)) == [
        "chunking",
        "embedding",
        "vector index: training",
        "vector index: adding",
        "vector index: tuning",
        "saving",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORYBOT_INDEX__VECTOR_SEARCH": "annoy"}, "'index.vector_search'"),
        ({"STORYBOT_INDEX__RECALL_TARGET": "1.5"}, "recall_target must be between"),
        ({"STORYBOT_INDEX__SEARCH_BREADTH": "-1"}, "search_breadth must be 0"),
        ({"STORYBOT_INDEX__IVF_LISTS": "2"}, "ivf_lists must be 0"),
        ({"STORYBOT_INDEX__SENTENCE_VECTORS": "int4"}, "'index.sentence_vectors'"),
        ({"STORYBOT_MODEL__QUERY_BACKEND": "tensorflow"}, "'model.query_backend'"),
    ],
)
def test_scale_settings_are_validated(env: dict[str, str], message: str) -> None:
    from bot.settings import load_settings
    from knowledge.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        load_settings(None, environ=env)
    forced = load_settings(None, environ={"STORYBOT_INDEX__VECTOR_SEARCH": "ivf-sq8"})
    assert forced.index.vector_search == "ivf-sq8"
