"""The saved index: build it (incrementally, resumably, atomically), find it, load it, check it.

Layout of an index folder::

    CURRENT                 name of the build in use (replaced atomically)
    build-<id>/manifest.json, passages.sqlite, vectors.npy, vectors.faiss, lexical/,
               sentence_vectors.npy (float16, or int8 with sentence_scales.npy),
               sentence_offsets.npy (passage id -> first sentence row)
    .resume/                vectors of an unfinished build, one file per article (see
                            ``vector_build``); deleted when the build is in place

A build is written into a temporary folder and only then named in ``CURRENT``, so a crash halfway
leaves the previous index in use; run again, it continues from its checkpoints. Large parts are
read on demand (sentence vectors, BM25 matrices), so opening a million-passage index takes a few
seconds and holds little in RAM. Nothing is pickled.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from knowledge.articles import ArticleFile, Skipped, sidecar_path
from knowledge.embedding import Embedder
from knowledge.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from knowledge.lexical import LexicalIndex
from knowledge.manifest import (
    FORMAT_VERSION,
    MANIFEST_FILE,
    ArticleEntry,
    Manifest,
    SkippedEntry,
    spec_difference,
)
from knowledge.models import Article, Passage
from knowledge.passage_store import PassageStore, write_store
from knowledge.passages import chunk_article, number_passages
from knowledge.settings import EngineSettings
from knowledge.story_words import StoryWords
from knowledge.vector_build import (
    RESUME_DIR,
    SENTENCE_VECTORS_FILE,
    PlanItem,
    RowFile,
    Vectors,
    embed_plan,
    embedding_text,
    read_vectors,
    sentence_embedding_text,
)
from knowledge.vectors import TUNING_QUERIES, VectorIndex

__all__ = [
    "LoadedIndex",
    "Progress",
    "build_index",
    "current_build",
    "embedding_text",
    "index_spec",
    "is_fresh",
    "open_index",
    "sentence_embedding_text",
]

log = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
FAISS_FILE = "vectors.faiss"
STORE_FILE = "passages.sqlite"
LEXICAL_DIR = "lexical"
KEEP_OLD_BUILDS = 1
IN_MEMORY_BYTES = 256 * 1024 * 1024
"""Sentence vectors (as float32) and BM25 matrices up to this size are read into memory. Larger
sentence vectors are read a passage at a time from disk (``RowFile``); larger BM25 matrices are
memory-mapped (a query reads the columns of its terms)."""
CENTROID_SAMPLE = 8192
"""Up to this many sentence vectors, the story's centre is their exact mean; beyond, the mean of
``CENTROID_BLOCKS`` evenly spaced runs of 256 rows (a few MB read once, at any index size)."""
CENTROID_BLOCKS = 32
STORY_WORDS_PASSAGES = 10_000
"""The story's words (for spelling, names and name parts) come from at most this many passages
(about 1 s to read once)."""
CHUNKER_VERSION = 4
"""Bump when sentence splitting or passage cutting changes: old vectors no longer line up."""
REUSE_KEYS = {"model": None, "dimension": None, "chunking": None, "sentence_vectors": "float16"}
"""Spec keys (with the value a missing key means) that must match to reuse a build's vectors."""
QUERY_TIME_KEYS = ("search_breadth",)
"""Spec keys applied when an index is opened, without rebuilding it."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work."""


def index_spec(embedder: Embedder, settings: EngineSettings) -> dict[str, object]:
    """The settings an index depends on; any difference means it must be rebuilt (vectors are
    reused when only the vector structure or BM25 parameters changed)."""
    chunking = settings.chunking
    index = settings.index
    return {
        "model": embedder.identity,
        "dimension": embedder.dimension,
        "chunking": {
            "version": CHUNKER_VERSION,
            "max_chars": chunking.max_chars,
            "overlap_sentences": chunking.overlap_sentences,
            "title_in_embedding": chunking.title_in_embedding,
        },
        "lexical": {"k1": settings.retrieval.bm25_k1, "b": settings.retrieval.bm25_b},
        "sentence_vectors": index.sentence_vectors,
        "vector_search": {
            "structure": index.vector_search,
            "exact_max_passages": index.exact_max_passages,
            "ivf_lists": index.ivf_lists,
            "recall_target": index.recall_target,
        },
        "search_breadth": index.search_breadth,
    }


@dataclass
class LoadedIndex:
    """A built index, opened read-only."""

    folder: Path
    manifest: Manifest
    vectors: VectorIndex
    lexical: LexicalIndex
    store: PassageStore
    sentence_vectors: np.ndarray | RowFile
    """float32 in memory; for large indexes, float16 or int8 rows read from disk on demand."""
    sentence_offsets: np.ndarray
    sentence_scales: np.ndarray | None = None
    """Per-row scales when ``sentence_vectors`` are int8 codes (large indexes)."""
    _centroid: np.ndarray | None = field(default=None, init=False, repr=False)
    _words: StoryWords | None = field(default=None, init=False, repr=False)

    @property
    def size(self) -> int:
        return self.manifest.passages

    def sentence_similarity(self, passage_id: int, query: np.ndarray) -> np.ndarray:
        """Cosine of ``query`` with each sentence of a passage."""
        return self.sentence_vectors_of(passage_id) @ query

    def sentence_vectors_of(self, passage_id: int) -> np.ndarray:
        """The vectors of a passage's sentences (float32 rows)."""
        start, end = self.sentence_offsets[passage_id], self.sentence_offsets[passage_id + 1]
        return self._sentence_rows(int(start), int(end))

    def centroid(self) -> np.ndarray:
        """The unit-length mean of the sentence vectors: what the story as a whole is about.
        Computed once per index (zeros for an empty one)."""
        if self._centroid is None:
            total = len(self.sentence_vectors)
            blocks, size = (1, total) if total <= CENTROID_SAMPLE else (CENTROID_BLOCKS, 256)
            starts = np.linspace(0, total - size, blocks).astype(int)
            self._centroid = unit_mean([self._sentence_rows(int(s), int(s) + size) for s in starts])
        return self._centroid

    def words(self) -> StoryWords:
        """The words the story uses (from its first ``STORY_WORDS_PASSAGES`` passages and all
        titles), read once per index."""
        if self._words is None:
            self._words = StoryWords.of(self.store.texts(STORY_WORDS_PASSAGES))
        return self._words

    def _sentence_rows(self, start: int, end: int) -> np.ndarray:
        rows = np.asarray(self.sentence_vectors[start:end], dtype=np.float32)
        if self.sentence_scales is not None:
            rows = rows * np.asarray(self.sentence_scales[start:end], dtype=np.float32)[:, None]
        return rows

    def close(self) -> None:
        self.store.close()


def unit_mean(rows: Sequence[np.ndarray]) -> np.ndarray:
    """The unit-length mean direction of all rows of these matrices (zeros when there are none)."""
    total = np.concatenate(rows).sum(axis=0) if rows else np.zeros(0, np.float32)
    return (total / float(np.linalg.norm(total) or 1.0)).astype(np.float32)


def current_build(index_dir: Path) -> Path:
    """The folder of the build in use; ``IndexMissingError`` when none was made."""
    pointer = index_dir / CURRENT_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissingError(f"no index built yet in {index_dir}") from None
    except OSError as exc:
        raise IndexCorruptError(f"cannot read {pointer}: {exc.strerror}") from None
    build = index_dir / name
    if not name or "/" in name or not build.is_dir():
        raise IndexCorruptError(f"{pointer} names a build that does not exist ({name!r})")
    return build


def open_index(index_dir: Path, spec: dict[str, object] | None = None) -> LoadedIndex:
    """Open the current build, checking it against its manifest and (if given) ``spec``."""
    build = current_build(index_dir)
    manifest = Manifest.read(build)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index format {manifest.format_version} in {index_dir}; this StoryBot reads "
            f"format {FORMAT_VERSION}"
        )
    if spec is not None:
        saved = {k: v for k, v in manifest.spec.items() if k not in QUERY_TIME_KEYS}
        wanted = {k: v for k, v in spec.items() if k not in QUERY_TIME_KEYS}
        if diff := spec_difference(saved, wanted):
            raise IndexMismatchError(f"index in {index_dir} was built with other settings: {diff}")
    breadth = spec.get("search_breadth", 0) if spec is not None else 0
    vectors = VectorIndex.load(
        build / FAISS_FILE, manifest.vector_index, breadth if isinstance(breadth, int) else 0
    )
    lexical_dir = build / LEXICAL_DIR
    try:
        lexical = LexicalIndex.load(lexical_dir, mmap=_bytes(lexical_dir) > IN_MEMORY_BYTES)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexCorruptError(f"lexical index in {build} cannot be read ({exc})") from None
    store = PassageStore(build / STORE_FILE)
    try:
        stored = read_vectors(build)
        offsets = stored.offsets
        sentences: np.ndarray | RowFile = stored.sentences
        scales = stored.scales
        if stored.sentences.shape[0] * stored.sentences.shape[1] * 4 <= IN_MEMORY_BYTES:
            sentences, scales = stored.sentence_rows(0, len(stored.sentences)), None
        else:
            sentences = RowFile(build / SENTENCE_VECTORS_FILE)
            scales = None if scales is None else np.array(scales)
    except (OSError, ValueError) as exc:
        store.close()
        raise IndexCorruptError(f"sentence vectors in {build} cannot be read ({exc})") from None
    sizes = {
        "vectors": vectors.size,
        "lexical": lexical.size,
        "passages": store.count,
        "sentence offsets": len(offsets) - 1,
    }
    for name, size in sizes.items():
        if size != manifest.passages:
            store.close()
            raise IndexCorruptError(
                f"index in {build} is inconsistent: {size} {name} but the manifest says "
                f"{manifest.passages}"
            )
    rows = int(offsets[-1]) if len(offsets) else 0
    if (
        manifest.spec.get("dimension") != vectors.dimension
        or sentences.shape != (rows, vectors.dimension)
        or (scales is not None and scales.shape != (rows,))
    ):
        store.close()
        raise IndexCorruptError(f"index in {build}: vector shapes differ from the manifest")
    return LoadedIndex(build, manifest, vectors, lexical, store, sentences, offsets, scales)


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.npy")) if folder.is_dir() else 0


def file_stat(path: Path) -> tuple[int, int]:
    """Size and newest modification time of an article and its sidecar metadata."""
    size, mtime = 0, 0
    for candidate in (path, sidecar_path(path)):
        with contextlib.suppress(FileNotFoundError):
            stat = candidate.stat()
            size += stat.st_size
            mtime = max(mtime, stat.st_mtime_ns)
    return size, mtime


def is_fresh(manifest: Manifest, files: Sequence[ArticleFile]) -> bool:
    """Whether the index covers exactly these files, none changed since (by size and time)."""
    known: dict[str, tuple[int, int]] = {e.path: (e.size, e.mtime_ns) for e in manifest.articles}
    known.update({s.path: (s.size, s.mtime_ns) for s in manifest.skipped})
    if set(known) != {str(f.path) for f in files}:
        return False
    return all(known[str(f.path)] == file_stat(f.path) for f in files)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One builder at a time per index folder (other processes wait)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(
    index_dir: Path,
    articles: Sequence[Article],
    skipped: Sequence[Skipped],
    embedder: Embedder,
    settings: EngineSettings,
    progress: Progress | None = None,
) -> LoadedIndex:
    """Build a new index, re-using the vectors of articles unchanged since the previous build
    and the checkpoints of an interrupted one."""
    spec = index_spec(embedder, settings)
    with build_lock(index_dir):
        previous = _previous_vectors(index_dir, spec)
        plan = _plan(articles, settings, previous, progress)
        passages = number_passages([p for _, chunks, _ in plan for p in chunks])
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            spec=spec,
            passages=len(passages),
            articles=tuple(_entries(plan)),
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            skipped=tuple(
                SkippedEntry(s.path, *file_stat(Path(s.path)), reason=s.reason) for s in skipped
            ),
        )
        _write_build(index_dir, manifest, plan, passages, embedder, settings, progress)
    return open_index(index_dir, spec)


def _previous_vectors(index_dir: Path, spec: dict[str, object]) -> tuple[Manifest, Vectors] | None:
    """The previous build's manifest and vectors, if they were made the same way."""
    try:
        build = current_build(index_dir)
        manifest = Manifest.read(build)
        if manifest.format_version != FORMAT_VERSION:
            return None
        saved = {k: manifest.spec.get(k, missing) for k, missing in REUSE_KEYS.items()}
        if spec_difference(saved, {k: spec.get(k) for k in REUSE_KEYS}):
            return None
        vectors = read_vectors(build)
        offsets = vectors.offsets
        if vectors.passages.shape != (manifest.passages, spec["dimension"]):
            return None
        if len(offsets) != manifest.passages + 1 or vectors.sentences.shape[0] != offsets[-1]:
            return None
        return manifest, vectors
    except (IndexMissingError, IndexCorruptError, OSError, ValueError):
        return None


def _plan(
    articles: Sequence[Article],
    settings: EngineSettings,
    previous: tuple[Manifest, Vectors] | None,
    progress: Progress | None,
) -> list[PlanItem]:
    """Each article with its passages and, when unchanged, the vectors it already had."""
    chunking = settings.chunking
    plan: list[PlanItem] = []
    ordered = sorted(articles, key=lambda a: a.doc_id)
    for number, article in enumerate(ordered, start=1):
        chunks = chunk_article(article, chunking.max_chars, chunking.overlap_sentences)
        reused = None
        if previous is not None:
            manifest, old = previous
            entry = manifest.article(article.doc_id)
            if entry and entry.content_hash == article.content_hash and entry.count == len(chunks):
                candidate = old.slice(entry.first, entry.count)
                if list(np.diff(candidate.offsets)) == [len(p.sentences) for p in chunks]:
                    reused = candidate
        plan.append((article, chunks, reused))
        if progress and (number % 500 == 0 or number == len(ordered)):
            progress("chunking", number, len(ordered))
    return plan


def _entries(plan: Sequence[PlanItem]) -> list[ArticleEntry]:
    entries = []
    first = 0
    for article, chunks, _ in plan:
        size, mtime = file_stat(Path(article.path))
        entries.append(
            ArticleEntry(
                article.doc_id, article.path, article.content_hash, size, mtime, first, len(chunks)
            )
        )
        first += len(chunks)
    return entries


def _write_build(
    index_dir: Path,
    manifest: Manifest,
    plan: Sequence[PlanItem],
    passages: list[Passage],
    embedder: Embedder,
    settings: EngineSettings,
    progress: Progress | None,
) -> None:
    tmp = index_dir / f".tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    resume = index_dir / RESUME_DIR
    try:
        vectors = embed_plan(
            plan,
            embedder,
            settings.chunking.title_in_embedding,
            settings.index.sentence_vectors,
            settings.model.batch_size,
            tmp,
            resume,
            progress,
        )
        dense = VectorIndex.build(
            vectors.passages, settings.index, _tuning_queries(vectors), progress
        )
        dense.save(tmp / FAISS_FILE)
        manifest = replace(manifest, vector_index=dict(dense.layout))
        del dense, vectors
        if progress:
            progress("saving", 0, 3)
        retrieval = settings.retrieval
        LexicalIndex.build([p.text for p in passages], retrieval.bm25_k1, retrieval.bm25_b).save(
            tmp / LEXICAL_DIR
        )
        if progress:
            progress("saving", 1, 3)
        write_store(tmp / STORE_FILE, [a for a, _, _ in plan], passages)
        if progress:
            progress("saving", 2, 3)
        (tmp / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
        _fsync_tree(tmp)
        name = f"build-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
        tmp.rename(index_dir / name)
        _point_to(index_dir, name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(resume, ignore_errors=True)
    _remove_old_builds(index_dir, name)
    if progress:
        progress("saving", 3, 3)


def _tuning_queries(vectors: Vectors) -> np.ndarray:
    """A fixed sample of the build's own sentence vectors: queries for tuning the vector index."""
    count = len(vectors.sentences)
    if count == 0:
        return np.zeros((0, vectors.passages.shape[1]), dtype=np.float32)
    rows = np.sort(np.random.default_rng(7).permutation(count)[:TUNING_QUERIES])
    queries = np.concatenate([vectors.sentence_rows(int(r), int(r) + 1) for r in rows])
    norms = np.linalg.norm(queries, axis=1, keepdims=True)
    return np.asarray(queries / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _point_to(index_dir: Path, name: str) -> None:
    pointer = index_dir / f"{CURRENT_FILE}.tmp"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT_FILE)
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_old_builds(index_dir: Path, keep: str) -> None:
    """Delete superseded builds (keeping the newest few, which a running reader may still use)."""
    builds = sorted(
        (p for p in index_dir.glob("build-*") if p.is_dir() and p.name != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[KEEP_OLD_BUILDS:]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in index_dir.glob(".tmp-*"):
        if time.time() - tmp.stat().st_mtime > 3600:
            shutil.rmtree(tmp, ignore_errors=True)
