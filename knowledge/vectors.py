"""Dense vector search with FAISS (inner product on normalised vectors = cosine).

The structure follows the collection's size (``choose_structure``), or is forced in config
(``index.vector_search``):

- ``flat``: exact search. Used up to ``index.exact_max_passages`` (20,000 by default): one query
  then costs about 5 ms on a 2-core machine, and grows linearly (20 ms at 100,000, 0.6 s at 1M).
- ``ivf-sq8``: an inverted file of about 2·√N lists over vectors stored as 8-bit scalar codes (a
  quarter of float32's memory: 0.4 GB at 1M passages). The number of lists a query visits
  (``nprobe``) is tuned when the index is built: the smallest that reaches
  ``index.recall_target`` recall@10 against exact search on sample queries (the index's own
  sentence vectors, three at a time: queries between topics, like real questions).
- ``hnsw``: a graph over full float32 vectors (HNSW32), ``efSearch`` tuned the same way. Only when
  forced: it needs more memory than ivf-sq8 and reached lower recall on our data, whose passages
  come in near-duplicate clusters.

What was built, with its parameters and measured recall, is recorded in the manifest
(``VectorIndex.layout``). Builds are deterministic for ``flat`` and ``ivf-sq8`` (fixed seeds);
an HNSW graph built on several threads is not.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from knowledge.errors import IndexCorruptError
from knowledge.settings import IndexSettings

FLAT, IVF_SQ8, HNSW = "flat", "ivf-sq8", "hnsw"
TUNING_QUERIES = 128
"""Queries used to tune an approximate structure (their exact top 10 costs one pass over N)."""
MIXED_SENTENCES = 3
"""A tuning query is the normalised sum of this many of the index's sentence vectors: it lies
between topics, as real questions do. On the public bench's vectors (copied to 100k) its recall
tracks real questions' (nprobe 8 / 16 / 32: 0.83 / 0.93 / 0.98 against 0.92 / 0.95 / 0.97),
where single sentence vectors, even moved away by noise, claimed 0.96 at nprobe 4 for real 0.85."""
TRAINING_POINTS_PER_LIST = 40
ADD_CHUNK = 65_536
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
SEED = 1234
_BREADTHS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536)
"""Candidate ``nprobe`` (up to the number of lists) or ``efSearch`` (from 16) values, in order."""
_PLATEAU = 0.005
"""When the target recall is out of reach, take the first breadth this close to the best."""

Progress = Callable[[str, int, int], None]


def choose_structure(passages: int, settings: IndexSettings) -> str:
    """Exact search while it is fast enough, else the configured or default approximate one."""
    if settings.vector_search != "auto":
        return FLAT if passages == 0 else settings.vector_search
    return FLAT if passages <= settings.exact_max_passages else IVF_SQ8


def ivf_lists(passages: int, configured: int = 0) -> int:
    """Lists of an inverted file: about 2·√N (a power of two), each trained on >= 39 points."""
    wanted = configured or 2 ** round(math.log2(max(2.0 * math.sqrt(max(passages, 1)), 1.0)))
    return max(1, min(wanted, passages // 39 or 1))


class VectorIndex:
    """A FAISS index over passage vectors, row i being passage id i."""

    def __init__(self, index: faiss.Index, layout: dict[str, Any] | None = None) -> None:
        self._index = index
        self.layout: dict[str, Any] = layout or {"structure": FLAT}

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        settings: IndexSettings | None = None,
        tuning_queries: np.ndarray | None = None,
        progress: Progress | None = None,
    ) -> VectorIndex:
        """Build the structure ``settings`` call for at this size; ``vectors`` may be mmapped."""
        settings = settings or IndexSettings()
        n, dim = vectors.shape
        structure = choose_structure(n, settings)
        if structure == FLAT:
            index: faiss.Index = faiss.IndexFlatIP(dim)
            layout: dict[str, Any] = {"structure": FLAT}
        elif structure == IVF_SQ8:
            lists = ivf_lists(n, settings.ivf_lists)
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFScalarQuantizer(
                quantizer, dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
            index.cp.seed = SEED
            if progress:
                progress("vector index: training", 0, 1)
            index.train(_training_sample(vectors, lists * TRAINING_POINTS_PER_LIST))
            layout = {"structure": IVF_SQ8, "lists": lists}
        elif structure == HNSW:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            layout = {"structure": HNSW, "m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION}
        else:
            raise ValueError(f"unknown vector structure {structure!r}")
        for start in range(0, n, ADD_CHUNK):
            index.add(np.ascontiguousarray(vectors[start : start + ADD_CHUNK], dtype=np.float32))
            if progress:
                progress("vector index: adding", min(n, start + ADD_CHUNK), n)
        built = cls(index, {**layout, "passages": n})
        if structure != FLAT:
            built._tune(vectors, tuning_queries, settings, progress)
        return built

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    @property
    def structure(self) -> str:
        return str(self.layout.get("structure", FLAT))

    def set_breadth(self, breadth: int) -> None:
        """How much of an approximate index a query visits (``nprobe`` or ``efSearch``)."""
        if breadth <= 0:
            return
        ivf = _ivf(self._index)
        if ivf is not None:
            ivf.nprobe = min(breadth, ivf.nlist)
            self.layout["nprobe"] = int(ivf.nprobe)
        elif isinstance(self._index, faiss.IndexHNSW):
            self._index.hnsw.efSearch = breadth
            self.layout["ef_search"] = breadth

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (scores, ids) for one query vector, best first; ids are -1 past the end."""
        k = max(1, min(k, self.size))
        with _one_thread():
            scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(
        cls, path: Path, layout: dict[str, Any] | None = None, breadth: int = 0
    ) -> VectorIndex:
        """Read a saved index; ``breadth`` (when > 0) overrides the tuned nprobe/efSearch."""
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(
                f"vector index {path} cannot be read ({_first_line(exc)})"
            ) from None
        loaded = cls(index, dict(layout or {"structure": _kind(index)}))
        if loaded.structure != _kind(index):
            raise IndexCorruptError(
                f"vector index {path} is not the {loaded.structure} structure the manifest names"
            )
        saved = loaded.layout.get("nprobe") or loaded.layout.get("ef_search") or 0
        loaded.set_breadth(breadth or int(saved))
        return loaded

    def _tune(
        self,
        vectors: np.ndarray,
        queries: np.ndarray | None,
        settings: IndexSettings,
        progress: Progress | None,
    ) -> None:
        """Pick the smallest search breadth that reaches the target recall@10 (or the configured
        breadth), and record the recall it measured."""
        if queries is None or len(queries) == 0:
            queries = _training_sample(vectors, TUNING_QUERIES)
        queries = question_like(np.asarray(queries[:TUNING_QUERIES], dtype=np.float32))
        k = min(10, self.size)
        if progress:
            progress("vector index: tuning", 0, 1)
        truth = exact_top(vectors, queries, k)
        if settings.search_breadth:
            candidates: tuple[int, ...] = (settings.search_breadth,)
        elif self.structure == IVF_SQ8:
            lists = int(self.layout["lists"])
            candidates = (*(b for b in _BREADTHS if b < lists), lists)
        else:
            candidates = tuple(b for b in _BREADTHS if b >= 16)
        tried: list[tuple[int, float]] = []
        for breadth in candidates:
            self.set_breadth(breadth)
            _, found = self._index.search(queries, k)
            tried.append((breadth, recall(found, truth)))
            if tried[-1][1] >= settings.recall_target:
                break
        best = max(r for _, r in tried)
        breadth, reached = next(
            (b, r) for b, r in tried if r >= min(settings.recall_target, best - _PLATEAU)
        )
        self.set_breadth(breadth)
        self.layout["tuned_recall_at_10"] = round(reached, 4)
        self.layout["tuning_queries"] = len(queries)
        if progress:
            progress("vector index: tuning", 1, 1)


def question_like(vectors: np.ndarray, mixed: int = MIXED_SENTENCES) -> np.ndarray:
    """Unit sums of ``mixed`` (seeded) random rows of ``vectors``, one per row."""
    rng = np.random.default_rng(SEED)
    total = np.array(vectors, dtype=np.float32)
    for _ in range(mixed - 1):
        total += vectors[rng.permutation(len(vectors))]
    norms = np.linalg.norm(total, axis=1, keepdims=True)
    return np.ascontiguousarray(total / np.maximum(norms, 1e-12), dtype=np.float32)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Ids of the exact top-``k`` rows for each query (``vectors`` is read in blocks)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    block = 262_144
    for start in range(0, len(vectors), block):
        part = np.ascontiguousarray(vectors[start : start + block], dtype=np.float32)
        scores, ids = faiss.knn(queries, part, min(k, len(part)), faiss.METRIC_INNER_PRODUCT)
        best_scores = np.concatenate([best_scores, scores], axis=1)
        best_ids = np.concatenate([best_ids, ids + start], axis=1)
        order = np.argsort(-best_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        best_ids = np.take_along_axis(best_ids, order, axis=1)
    return best_ids


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's true top-k that was found."""
    if truth.size == 0:
        return 1.0
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


def _training_sample(vectors: np.ndarray, count: int) -> np.ndarray:
    """A fixed, seeded sample of rows (sorted, so a memory-mapped array is read in order)."""
    n = len(vectors)
    if count >= n:
        return np.ascontiguousarray(vectors, dtype=np.float32)
    rows = np.sort(np.random.default_rng(SEED).choice(n, size=count, replace=False))
    return np.ascontiguousarray(vectors[rows], dtype=np.float32)


def _ivf(index: faiss.Index) -> Any:
    return faiss.try_extract_index_ivf(index)


def _kind(index: faiss.Index) -> str:
    if _ivf(index) is not None:
        return IVF_SQ8
    return HNSW if isinstance(index, faiss.IndexHNSW) else FLAT


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """One query runs on the calling thread: FAISS's OpenMP team only adds wake-up cost (a flat
    search over 10,000 vectors took 5 ms on two threads under load, 2.4 ms on one)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:120] if text else type(exc).__name__
