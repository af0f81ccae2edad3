"""How close two single words are in meaning, from the embedding model's own input embeddings.

A question says "kids" where the article says "children", "birth" where it says "born". The
transformer's input (word-piece) embedding matrix already places such words near each other
(kids/children 0.77, birth/born 0.56, unrelated pairs about 0.1), and looking a word up costs a
few microseconds, so near-synonyms can earn part of a matching word's credit without running the
model again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

FULL_CREDIT = 0.80
NO_CREDIT = 0.35


class WordVectors(Protocol):
    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per word (zeros for a word it cannot place)."""
        ...

    def is_common(self, word: str) -> bool:
        """Whether the model knows ``word`` as one piece (common words and names)."""
        ...


class InputEmbeddingWords:
    """Word vectors as the mean of a word's word-piece input embeddings.

    ``pieces`` gives a word's word-piece ids (no special tokens); ``matrix`` is the model's input
    embedding matrix, normalised here unless ``normalised``.
    """

    def __init__(
        self, pieces: Callable[[str], list[int]], matrix: np.ndarray, normalised: bool = False
    ) -> None:
        self._pieces = pieces
        if not normalised:
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = (matrix / np.maximum(norms, 1e-9)).astype(np.float32)
        self._matrix = matrix
        self.vector = lru_cache(maxsize=200_000)(self._vector)
        self._stacked = lru_cache(maxsize=16_384)(self._stack)
        self.is_common = lru_cache(maxsize=65_536)(self._is_common)

    @property
    def matrix(self) -> np.ndarray:
        """The normalised input embedding matrix (one row per word piece)."""
        return self._matrix

    def _is_common(self, word: str) -> bool:
        return len(self._pieces(word)) == 1

    def _vector(self, word: str) -> np.ndarray:
        ids = self._pieces(word)
        if not ids:
            return np.zeros(self._matrix.shape[1], dtype=np.float32)
        vector = np.asarray(self._matrix[ids], dtype=np.float32).mean(axis=0)
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """Rows for ``words``; a tuple (a sentence's words) is stacked once and kept, read-only."""
        if isinstance(words, tuple):
            return self._stacked(words)
        return self._stack(tuple(words))

    def _stack(self, words: tuple[str, ...]) -> np.ndarray:
        if not words:
            return np.zeros((0, self._matrix.shape[1]), dtype=np.float32)
        rows = np.stack([self.vector(w) for w in words])
        rows.flags.writeable = False
        return rows


def credit(similarity: np.ndarray) -> np.ndarray:
    """Partial credit for a near-synonym: 0 below ``NO_CREDIT``, 1 from ``FULL_CREDIT``."""
    return np.clip((similarity - NO_CREDIT) / (FULL_CREDIT - NO_CREDIT), 0.0, 1.0)


def from_sentence_transformer(model: Any) -> InputEmbeddingWords | None:
    """Word vectors for a sentence-transformers model whose first module is a transformer."""
    try:
        backbone = model[0].auto_model
        matrix = backbone.get_input_embeddings().weight.detach().float().numpy()
        tokenizer = model.tokenizer
        return InputEmbeddingWords(
            lambda word: list(tokenizer(word, add_special_tokens=False)["input_ids"]), matrix
        )
    except (AttributeError, IndexError, TypeError, KeyError):
        return None
