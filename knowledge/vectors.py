"""Dense vector search with FAISS (inner product on normalised vectors = cosine)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from knowledge.errors import IndexCorruptError


class VectorIndex:
    """A FAISS index over passage vectors, row i being passage id i."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> VectorIndex:
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (scores, ids) for one query vector, best first; ids are -1 past the end."""
        k = max(1, min(k, self.size))
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as exc:
            raise IndexCorruptError(
                f"vector index {path} cannot be read ({_first_line(exc)})"
            ) from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:120] if text else type(exc).__name__
