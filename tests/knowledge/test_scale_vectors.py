"""The vector layer chooses its FAISS structure by size, tunes it for recall, and records it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.errors import IndexCorruptError
from knowledge.settings import IndexSettings
from knowledge.vectors import (
    FLAT,
    HNSW,
    IVF_SQ8,
    VectorIndex,
    choose_structure,
    exact_top,
    ivf_lists,
    recall,
)


def clustered(n: int, dim: int = 32, centres: int = 40, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few centres, like passages of a handful of topics."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((centres, dim)).astype(np.float32)
    vectors = base[rng.integers(0, centres, n)] + 0.4 * rng.standard_normal((n, dim))
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_exact_search_while_small_then_an_approximate_structure() -> None:
    settings = IndexSettings()
    assert choose_structure(0, settings) == FLAT
    assert choose_structure(settings.exact_max_passages, settings) == FLAT
    assert choose_structure(settings.exact_max_passages + 1, settings) == IVF_SQ8
    assert choose_structure(5_000_000, settings) == IVF_SQ8


def test_config_forces_a_structure_at_any_size() -> None:
    assert choose_structure(10, IndexSettings(vector_search="ivf-sq8")) == IVF_SQ8
    assert choose_structure(10**6, IndexSettings(vector_search="flat")) == FLAT
    assert choose_structure(10, IndexSettings(vector_search="hnsw")) == HNSW
    assert choose_structure(50, IndexSettings(exact_max_passages=10)) == IVF_SQ8
    # Nothing to search: always exact.
    assert choose_structure(0, IndexSettings(vector_search="hnsw")) == FLAT


def test_inverted_file_grows_with_the_square_root_of_the_collection() -> None:
    assert ivf_lists(1_000_000) == 2048
    assert ivf_lists(100_000) == 512
    assert ivf_lists(25_000) == 256
    # Every list gets enough training points, even when forced on a tiny collection.
    assert ivf_lists(400) == 10
    assert ivf_lists(10) == 1
    assert ivf_lists(1_000_000, configured=4096) == 4096


def test_ivf_is_tuned_to_the_target_recall_and_records_it(tmp_path: Path) -> None:
    vectors = clustered(4000)
    queries = clustered(60, seed=1)
    settings = IndexSettings(vector_search="ivf-sq8", recall_target=0.95)
    index = VectorIndex.build(vectors, settings, tuning_queries=queries)
    layout = index.layout
    assert layout["structure"] == IVF_SQ8 and layout["passages"] == 4000
    assert layout["lists"] == ivf_lists(4000)
    assert 1 <= layout["nprobe"] <= layout["lists"]
    assert layout["tuned_recall_at_10"] >= 0.95
    assert layout["tuning_queries"] == 60

    # The recall it claims holds on other queries of the same kind.
    held_out = clustered(60, seed=2)
    found = np.stack([index.search(q, 10)[1] for q in held_out])
    assert recall(found, exact_top(vectors, held_out, 10)) >= 0.9

    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", layout)
    assert loaded.structure == IVF_SQ8 and loaded.layout["nprobe"] == layout["nprobe"]
    assert np.array_equal(loaded.search(held_out[0], 10)[1], index.search(held_out[0], 10)[1])
    # A configured breadth overrides the tuned one when the index is opened.
    assert VectorIndex.load(tmp_path / "v.faiss", layout, breadth=3).layout["nprobe"] == 3


def test_configured_breadth_is_used_and_its_recall_recorded() -> None:
    settings = IndexSettings(vector_search="ivf-sq8", search_breadth=1)
    index = VectorIndex.build(clustered(2000), settings, tuning_queries=clustered(30, seed=3))
    assert index.layout["nprobe"] == 1
    assert 0.0 < index.layout["tuned_recall_at_10"] <= 1.0


def test_unreachable_target_settles_where_recall_stops_improving() -> None:
    # Int8 codes cannot separate exact duplicates' ties perfectly: 100% is out of reach.
    vectors = np.repeat(clustered(300), 8, axis=0)
    settings = IndexSettings(vector_search="ivf-sq8", recall_target=1.0)
    index = VectorIndex.build(vectors, settings, tuning_queries=clustered(30, seed=4))
    assert index.layout["nprobe"] <= index.layout["lists"]
    assert index.layout["tuned_recall_at_10"] > 0.0


def test_hnsw_can_be_forced() -> None:
    vectors = clustered(1500)
    index = VectorIndex.build(vectors, IndexSettings(vector_search="hnsw", recall_target=0.9))
    assert index.layout["structure"] == HNSW and index.layout["ef_search"] >= 16
    scores, ids = index.search(vectors[7], 5)
    assert ids[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_search_is_exact_on_a_flat_index_and_accepts_memory_mapped_vectors(
    tmp_path: Path,
) -> None:
    np.save(tmp_path / "v.npy", clustered(500))
    vectors = np.load(tmp_path / "v.npy", mmap_mode="r")
    index = VectorIndex.build(vectors)
    assert index.layout == {"structure": FLAT, "passages": 500}
    query = np.asarray(vectors[42])
    assert index.search(query, 10)[1].tolist() == exact_top(vectors, query[None], 10)[0].tolist()
    # More asked than stored: what there is, no -1 ids.
    assert len(VectorIndex.build(clustered(3)).search(query, 10)[1]) == 3


def test_structure_other_than_the_manifest_says_is_corrupt(tmp_path: Path) -> None:
    VectorIndex.build(clustered(100)).save(tmp_path / "v.faiss")
    with pytest.raises(IndexCorruptError, match="not the ivf-sq8 structure"):
        VectorIndex.load(tmp_path / "v.faiss", {"structure": IVF_SQ8, "nprobe": 4})
    (tmp_path / "v.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        VectorIndex.load(tmp_path / "v.faiss")
