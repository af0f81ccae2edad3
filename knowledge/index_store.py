"""The saved index: build it (incrementally, atomically), find it, load it and check it.

Layout of an index folder::

    CURRENT                 name of the build in use (replaced atomically)
    build-<id>/manifest.json, passages.sqlite, vectors.npy, vectors.faiss, lexical/,
               sentence_vectors.npy (float16), sentence_offsets.npy (passage id -> first row)

A build is written into a temporary folder and only then named in ``CURRENT``, so a crash halfway
leaves the previous index in use. Nothing is pickled.
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
from dataclasses import dataclass
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
from knowledge.vectors import VectorIndex

log = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
VECTORS_FILE = "vectors.npy"
FAISS_FILE = "vectors.faiss"
STORE_FILE = "passages.sqlite"
LEXICAL_DIR = "lexical"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
SENTENCE_OFFSETS_FILE = "sentence_offsets.npy"
KEEP_OLD_BUILDS = 1

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work."""


def index_spec(embedder: Embedder, settings: EngineSettings) -> dict[str, object]:
    """The settings an index depends on; any difference means it must be rebuilt."""
    chunking = settings.chunking
    return {
        "model": embedder.identity,
        "dimension": embedder.dimension,
        "chunking": {
            "max_chars": chunking.max_chars,
            "overlap_sentences": chunking.overlap_sentences,
            "title_in_embedding": chunking.title_in_embedding,
        },
        "lexical": {"k1": settings.retrieval.bm25_k1, "b": settings.retrieval.bm25_b},
    }


@dataclass
class LoadedIndex:
    """A built index, opened read-only."""

    folder: Path
    manifest: Manifest
    vectors: VectorIndex
    lexical: LexicalIndex
    store: PassageStore
    sentence_vectors: np.ndarray
    sentence_offsets: np.ndarray

    @property
    def size(self) -> int:
        return self.manifest.passages

    def sentence_similarity(self, passage_id: int, query: np.ndarray) -> np.ndarray:
        """Cosine of ``query`` with each sentence of a passage."""
        start, end = self.sentence_offsets[passage_id], self.sentence_offsets[passage_id + 1]
        rows = np.asarray(self.sentence_vectors[start:end], dtype=np.float32)
        return rows @ query

    def close(self) -> None:
        self.store.close()


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
    if spec is not None and (diff := spec_difference(manifest.spec, spec)):
        raise IndexMismatchError(f"index in {index_dir} was built with other settings: {diff}")
    vectors = VectorIndex.load(build / FAISS_FILE)
    try:
        lexical = LexicalIndex.load(build / LEXICAL_DIR)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexCorruptError(f"lexical index in {build} cannot be read ({exc})") from None
    store = PassageStore(build / STORE_FILE)
    try:
        sentences = np.load(build / SENTENCE_VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        offsets = np.load(build / SENTENCE_OFFSETS_FILE, allow_pickle=False)
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
    if manifest.spec.get("dimension") != vectors.dimension or sentences.shape != (
        int(offsets[-1]) if len(offsets) else 0,
        vectors.dimension,
    ):
        store.close()
        raise IndexCorruptError(f"index in {build}: vector shapes differ from the manifest")
    return LoadedIndex(build, manifest, vectors, lexical, store, sentences, offsets)


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


def embedding_text(article: Article, passage: Passage, with_title: bool) -> str:
    """What the model sees for a passage: its text, after the article's title if configured."""
    if with_title and article.meta.title:
        return f"{article.meta.title}\n{passage.text}"
    return passage.text


def build_index(
    index_dir: Path,
    articles: Sequence[Article],
    skipped: Sequence[Skipped],
    embedder: Embedder,
    settings: EngineSettings,
    progress: Progress | None = None,
) -> LoadedIndex:
    """Build a new index, re-using the vectors of articles unchanged since the previous build."""
    spec = index_spec(embedder, settings)
    with build_lock(index_dir):
        previous = _previous_vectors(index_dir, spec)
        plan = _plan(articles, settings, previous)
        vectors = _embed(plan, embedder, settings, progress)
        passages = number_passages([p for _, chunks, _ in plan for p in chunks])
        entries = _entries(plan)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            spec=spec,
            passages=len(passages),
            articles=tuple(entries),
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            skipped=tuple(
                SkippedEntry(s.path, *file_stat(Path(s.path)), reason=s.reason) for s in skipped
            ),
        )
        _write_build(
            index_dir, manifest, [a for a, _, _ in plan], passages, vectors, settings, progress
        )
    return open_index(index_dir, spec)


@dataclass(frozen=True)
class Vectors:
    """Passage vectors and the vectors of their sentences (rows ``offsets[i]:offsets[i+1]``)."""

    passages: np.ndarray
    sentences: np.ndarray
    offsets: np.ndarray

    def slice(self, first: int, count: int) -> Vectors:
        """The vectors of passages ``first`` .. ``first + count - 1``, offsets from zero."""
        start, end = int(self.offsets[first]), int(self.offsets[first + count])
        return Vectors(
            np.asarray(self.passages[first : first + count], dtype=np.float32),
            np.asarray(self.sentences[start:end], dtype=np.float16),
            np.asarray(self.offsets[first : first + count + 1]) - start,
        )


_Plan = list[tuple[Article, list[Passage], "Vectors | None"]]


def _previous_vectors(index_dir: Path, spec: dict[str, object]) -> tuple[Manifest, Vectors] | None:
    """The previous build's manifest and vectors, if they were made the same way."""
    try:
        build = current_build(index_dir)
        manifest = Manifest.read(build)
        if manifest.format_version != FORMAT_VERSION:
            return None
        same = {k: v for k, v in spec.items() if k != "lexical"}
        if spec_difference({k: manifest.spec.get(k) for k in same}, same):
            return None
        vectors = np.load(build / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        sentences = np.load(build / SENTENCE_VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        offsets = np.load(build / SENTENCE_OFFSETS_FILE, allow_pickle=False)
        if vectors.shape != (manifest.passages, spec["dimension"]):
            return None
        if len(offsets) != manifest.passages + 1 or sentences.shape[0] != offsets[-1]:
            return None
        return manifest, Vectors(vectors, sentences, offsets)
    except (IndexMissingError, IndexCorruptError, OSError, ValueError):
        return None


def _plan(
    articles: Sequence[Article],
    settings: EngineSettings,
    previous: tuple[Manifest, Vectors] | None,
) -> _Plan:
    """Each article with its passages and, when unchanged, the vectors it already had."""
    chunking = settings.chunking
    plan: _Plan = []
    for article in sorted(articles, key=lambda a: a.doc_id):
        chunks = chunk_article(article, chunking.max_chars, chunking.overlap_sentences)
        reused = None
        if previous is not None:
            manifest, old = previous
            entry = manifest.article(article.doc_id)
            if entry and entry.content_hash == article.content_hash and entry.count == len(chunks):
                reused = old.slice(entry.first, entry.count)
        plan.append((article, chunks, reused))
    return plan


def _embed(
    plan: _Plan, embedder: Embedder, settings: EngineSettings, progress: Progress | None
) -> Vectors:
    """Embed the passages and sentences of new or changed articles; reuse the rest."""
    with_title = settings.chunking.title_in_embedding
    new = [(a, chunks) for a, chunks, old in plan if old is None]
    passage_texts = [embedding_text(a, p, with_title) for a, chunks in new for p in chunks]
    sentence_texts = [
        a.text[s.start : s.end] for a, chunks in new for p in chunks for s in p.sentences
    ]
    total = len(passage_texts) + len(sentence_texts)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("embedding", done, total)

    if progress:
        progress("embedding", 0, total)
    fresh_passages = _encode(embedder, passage_texts, advance)
    fresh_sentences = _encode(embedder, sentence_texts, advance).astype(np.float16)
    passages: list[np.ndarray] = []
    sentences: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    p_cursor = s_cursor = 0
    for _, chunks, old in plan:
        if old is not None:
            passages.append(old.passages)
            sentences.append(old.sentences)
            counts.append(np.diff(old.offsets))
            continue
        n_sentences = sum(len(p.sentences) for p in chunks)
        passages.append(fresh_passages[p_cursor : p_cursor + len(chunks)])
        sentences.append(fresh_sentences[s_cursor : s_cursor + n_sentences])
        counts.append(np.array([len(p.sentences) for p in chunks], dtype=np.int64))
        p_cursor += len(chunks)
        s_cursor += n_sentences
    dim = embedder.dimension
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(counts))]) if counts else np.zeros(1)
    return Vectors(
        np.ascontiguousarray(
            np.concatenate(passages) if passages else np.zeros((0, dim)), dtype=np.float32
        ),
        np.ascontiguousarray(
            np.concatenate(sentences) if sentences else np.zeros((0, dim)), dtype=np.float16
        ),
        offsets.astype(np.int64),
    )


def _encode(embedder: Embedder, texts: list[str], advance: Callable[[int], None]) -> np.ndarray:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return embedder.encode(texts, progress=advance)


def _entries(plan: _Plan) -> list[ArticleEntry]:
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
    articles: list[Article],
    passages: list[Passage],
    vectors: Vectors,
    settings: EngineSettings,
    progress: Progress | None,
) -> None:
    if progress:
        progress("saving", 0, 1)
    tmp = index_dir / f".tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        np.save(tmp / VECTORS_FILE, vectors.passages, allow_pickle=False)
        np.save(tmp / SENTENCE_VECTORS_FILE, vectors.sentences, allow_pickle=False)
        np.save(tmp / SENTENCE_OFFSETS_FILE, vectors.offsets, allow_pickle=False)
        VectorIndex.build(vectors.passages).save(tmp / FAISS_FILE)
        retrieval = settings.retrieval
        LexicalIndex.build([p.text for p in passages], retrieval.bm25_k1, retrieval.bm25_b).save(
            tmp / LEXICAL_DIR
        )
        write_store(tmp / STORE_FILE, articles, passages)
        (tmp / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
        _fsync_tree(tmp)
        name = f"build-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
        tmp.rename(index_dir / name)
        _point_to(index_dir, name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_builds(index_dir, name)
    if progress:
        progress("saving", 1, 1)


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
