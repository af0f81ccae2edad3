"""Embedding a build's passages and sentences: batched, checkpointed (resumable), streamed to disk.

New or changed articles are embedded in groups of about ``GROUP_BATCHES`` model batches. Each
group's vectors are saved, one file per article, under ``<index dir>/.resume/`` as soon as they
are computed, so an interrupted build run again embeds only the groups it had not finished. Groups
are cut from the whole plan the same way on every run, so a resumed build embeds every text in the
same batch as an uninterrupted one would and the finished index is identical. The checkpoints are
deleted once the new build is in place.

The vectors, reused ones of unchanged articles included, are then written straight into the
build's ``.npy`` files, so even a million-passage build never holds them all in memory.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from knowledge.embedding import Embedder
from knowledge.models import Article, Passage

RESUME_DIR = ".resume"
GROUP_BATCHES = 32
"""Texts embedded (and checkpointed) together: this many model batches (1,024 texts at 32)."""
VECTORS_FILE = "vectors.npy"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
SENTENCE_SCALES_FILE = "sentence_scales.npy"
SENTENCE_OFFSETS_FILE = "sentence_offsets.npy"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Vectors:
    """Passage vectors and their sentences' vectors (rows ``offsets[i]:offsets[i+1]``).

    Sentence vectors are float16, or int8 with one float32 scale per row (``scales``).
    """

    passages: np.ndarray
    sentences: np.ndarray
    offsets: np.ndarray
    scales: np.ndarray | None = None

    def slice(self, first: int, count: int) -> Vectors:
        """The vectors of passages ``first`` .. ``first + count - 1``, offsets from zero."""
        start, end = int(self.offsets[first]), int(self.offsets[first + count])
        return Vectors(
            np.asarray(self.passages[first : first + count], dtype=np.float32),
            np.asarray(self.sentences[start:end]),
            np.asarray(self.offsets[first : first + count + 1]) - start,
            None if self.scales is None else np.asarray(self.scales[start:end]),
        )

    def sentence_rows(self, start: int, end: int) -> np.ndarray:
        """Sentence vectors ``start:end`` as float32."""
        rows = np.asarray(self.sentences[start:end], dtype=np.float32)
        if self.scales is not None:
            rows *= np.asarray(self.scales[start:end], dtype=np.float32)[:, None]
        return rows


def store_sentences(vectors: np.ndarray, dtype: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Sentence vectors as stored: float16, or int8 scaled per row (half the size again)."""
    if dtype == "float16":
        return vectors.astype(np.float16), None
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def embedding_text(article: Article, passage: Passage, with_title: bool) -> str:
    """What the model sees for a passage: its text, after the article's title if configured."""
    if with_title and article.meta.title:
        return f"{article.meta.title}\n{passage.text}"
    return passage.text


def sentence_embedding_text(article: Article, sentence: str, with_title: bool) -> str:
    """What the model sees for a sentence: the sentence alone. (Prefixing the title helped the
    default story's questions by one in 35 but cost 2-4 points of answer@1 on the SQuAD bench,
    where a short topic title makes every sentence of an article look alike.)"""
    return sentence


PlanItem = tuple[Article, list[Passage], Vectors | None]


@dataclass(frozen=True)
class _Work:
    """One new or changed article: what to embed (texts are made when needed, not kept: at a
    million passages they would take gigabytes) and where its checkpoint goes."""

    article: Article
    chunks: list[Passage]
    with_title: bool
    sentences: int
    checkpoint: Path

    @property
    def count(self) -> int:
        return len(self.chunks) + self.sentences

    def texts(self) -> list[str]:
        """Passage texts, then sentence texts, as the model sees them."""
        article, with_title = self.article, self.with_title
        return [embedding_text(article, p, with_title) for p in self.chunks] + [
            sentence_embedding_text(article, article.text[s.start : s.end], with_title)
            for p in self.chunks
            for s in p.sentences
        ]


class _Checkpoints:
    """Per-article vectors of an unfinished build, keyed by model, storage and exact texts."""

    def __init__(self, folder: Path, embedder: Embedder, sentence_dtype: str) -> None:
        self.folder = folder
        self._salt = f"{embedder.identity}\x1f{embedder.dimension}\x1f{sentence_dtype}\x1f"

    def path(self, texts: Sequence[str], passages: int) -> Path:
        digest = hashlib.sha256(f"{self._salt}{passages}\x1f".encode())
        for text in texts:
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
        return self.folder / f"{digest.hexdigest()[:40]}.npz"

    def save(self, path: Path, vectors: Vectors) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
        if vectors.scales is None:
            np.savez(tmp, passages=vectors.passages, sentences=vectors.sentences)
        else:
            np.savez(
                tmp, passages=vectors.passages, sentences=vectors.sentences, scales=vectors.scales
            )
        os.replace(tmp, path)

    @staticmethod
    def load(path: Path, passages: int, sentences: int, dim: int) -> Vectors | None:
        """The saved vectors, or None when missing or not of the expected shape."""
        try:
            with np.load(path, allow_pickle=False) as data:
                found = Vectors(
                    data["passages"],
                    data["sentences"],
                    np.array([0, sentences]),
                    data["scales"] if "scales" in data.files else None,
                )
        except (OSError, ValueError, KeyError, EOFError):
            return None
        if found.passages.shape != (passages, dim) or found.sentences.shape != (sentences, dim):
            return None
        return found


def embed_plan(
    plan: Sequence[PlanItem],
    embedder: Embedder,
    with_title: bool,
    sentence_dtype: str,
    batch_size: int,
    out: Path,
    resume: Path,
    progress: Progress | None = None,
) -> Vectors:
    """Embed what the plan does not reuse (resuming from checkpoints) and write all the vectors
    into ``out``; returns them memory-mapped from there."""
    checkpoints = _Checkpoints(resume, embedder, sentence_dtype)
    work: dict[int, _Work] = {}
    for position, (article, chunks, old) in enumerate(plan):
        if old is None:
            sentences = sum(len(p.sentences) for p in chunks)
            item = _Work(article, chunks, with_title, sentences, Path())
            path = checkpoints.path(item.texts(), len(chunks))
            work[position] = replace(item, checkpoint=path)
    _embed_groups(list(work.values()), embedder, checkpoints, sentence_dtype, batch_size, progress)
    return _assemble(plan, work, embedder, sentence_dtype, out)


def _groups(work: Sequence[_Work], size: int) -> list[list[_Work]]:
    """Consecutive articles, cut after about ``size`` texts: the same cuts on every run."""
    groups: list[list[_Work]] = []
    current: list[_Work] = []
    count = 0
    for item in work:
        current.append(item)
        count += item.count
        if count >= size:
            groups.append(current)
            current, count = [], 0
    if current:
        groups.append(current)
    return groups


def _embed_groups(
    work: Sequence[_Work],
    embedder: Embedder,
    checkpoints: _Checkpoints,
    sentence_dtype: str,
    batch_size: int,
    progress: Progress | None,
) -> None:
    total = sum(w.count for w in work)
    groups = _groups(work, batch_size * GROUP_BATCHES)
    pending = [g for g in groups if not all(w.checkpoint.is_file() for w in g)]
    done = total - sum(w.count for g in pending for w in g)

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("embedding", done, total)

    if progress:
        progress("embedding", done, total)
    for group in pending:
        texts = [t for w in group for t in w.texts()]
        vectors = _encode(embedder, texts, advance)
        row = 0
        for item in group:
            p, s = len(item.chunks), item.sentences
            sentences, scales = store_sentences(vectors[row + p : row + p + s], sentence_dtype)
            checkpoints.save(
                item.checkpoint,
                Vectors(vectors[row : row + p], sentences, np.array([0, s]), scales),
            )
            row += p + s


def _encode(embedder: Embedder, texts: list[str], advance: Callable[[int], None]) -> np.ndarray:
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.asarray(embedder.encode(texts, progress=advance), dtype=np.float32)


def _assemble(
    plan: Sequence[PlanItem],
    work: dict[int, _Work],
    embedder: Embedder,
    sentence_dtype: str,
    out: Path,
) -> Vectors:
    """Write every passage's and sentence's vector, in plan order, into ``out``."""
    dim = embedder.dimension
    counts = [np.array([len(p.sentences) for p in chunks], dtype=np.int64) for _, chunks, _ in plan]
    per_passage = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(per_passage)]).astype(np.int64)
    n, m = len(per_passage), int(offsets[-1])
    stored = np.float16 if sentence_dtype == "float16" else np.int8
    passages = np.lib.format.open_memmap(out / VECTORS_FILE, "w+", np.float32, (n, dim))
    sentences = np.lib.format.open_memmap(out / SENTENCE_VECTORS_FILE, "w+", stored, (m, dim))
    scales = (
        None
        if sentence_dtype == "float16"
        else np.lib.format.open_memmap(out / SENTENCE_SCALES_FILE, "w+", np.float32, (m,))
    )
    p_row = s_row = 0
    for position, (_, chunks, old) in enumerate(plan):
        n_sentences = sum(len(p.sentences) for p in chunks)
        part = old if old is not None else _checkpointed(work[position], embedder, sentence_dtype)
        passages[p_row : p_row + len(chunks)] = part.passages
        sentences[s_row : s_row + n_sentences] = part.sentences
        if scales is not None and part.scales is not None:
            scales[s_row : s_row + n_sentences] = part.scales
        p_row += len(chunks)
        s_row += n_sentences
    for array in (passages, sentences, scales):
        if array is not None:
            array.flush()
    del passages, sentences, scales
    np.save(out / SENTENCE_OFFSETS_FILE, offsets, allow_pickle=False)
    return read_vectors(out)


def _checkpointed(item: _Work, embedder: Embedder, sentence_dtype: str) -> Vectors:
    """An article's checkpointed vectors (embedded again if the file went missing or bad)."""
    p = len(item.chunks)
    found = _Checkpoints.load(item.checkpoint, p, item.sentences, embedder.dimension)
    if found is not None:
        return found
    vectors = _encode(embedder, item.texts(), lambda _: None)
    sentences, scales = store_sentences(vectors[p:], sentence_dtype)
    return Vectors(vectors[:p], sentences, np.array([0, item.sentences]), scales)


class RowFile:
    """The rows of a large ``.npy`` matrix, read on demand with ``pread``.

    A memory map would do the same with less code, but on this kernel every touched row maps a
    whole large page-cache folio into the process: 2,000 random reads of one sentence vector each
    left 737 MB resident. Reading rows costs about 20 µs each and leaves resident memory flat; the
    file's pages stay in the (shared, evictable) page cache.
    """

    def __init__(self, path: Path) -> None:
        header = np.load(path, mmap_mode="r", allow_pickle=False)
        if header.ndim != 2 or not header.flags.c_contiguous:
            raise ValueError(f"{path.name} is not a C-ordered matrix")
        self.shape: tuple[int, int] = (int(header.shape[0]), int(header.shape[1]))
        self.dtype = header.dtype
        self._start = int(header.offset)
        self._row = header.dtype.itemsize * self.shape[1]
        del header
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice) -> np.ndarray:
        start, stop, step = rows.indices(self.shape[0])
        if step != 1:
            raise ValueError("RowFile reads contiguous rows only")
        count = max(0, stop - start)
        data = os.pread(self._fd, count * self._row, self._start + start * self._row)
        if len(data) != count * self._row:
            raise OSError(f"short read: {len(data)} of {count * self._row} bytes")
        return np.frombuffer(data, dtype=self.dtype).reshape(count, self.shape[1])

    def __del__(self) -> None:
        # Closed with the object, not by ``LoadedIndex.close``: a question still running on an
        # index that a reload just replaced keeps reading safely.
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)


def read_vectors(folder: Path) -> Vectors:
    """A build's vectors, memory-mapped (nothing is read until used)."""
    scales_path = folder / SENTENCE_SCALES_FILE
    return Vectors(
        np.load(folder / VECTORS_FILE, mmap_mode="r", allow_pickle=False),
        np.load(folder / SENTENCE_VECTORS_FILE, mmap_mode="r", allow_pickle=False),
        np.load(folder / SENTENCE_OFFSETS_FILE, allow_pickle=False),
        np.load(scales_path, mmap_mode="r", allow_pickle=False) if scales_path.exists() else None,
    )
