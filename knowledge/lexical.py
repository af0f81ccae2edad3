"""Lexical retrieval: BM25 (bm25s, sparse) over stemmed tokens, plus term weights for sentences."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

_TOKEN = re.compile(r"(?u)\b(?:\w\w+|\d)\b")
_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | {"did", "does", "do", "many", "much", "whom", "whose"}
IDF_FILE = "idf.npy"
PARAMS_FILE = "lexical.json"


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens without stop words."""
    if len(text) <= _SHORT:
        return list(_tokenize_short(text))
    return _tokenize(text)


_SHORT = 64
"""Words and short phrases recur across a question's sentences: their tokens are kept."""


@lru_cache(maxsize=65_536)
def _tokenize_short(text: str) -> tuple[str, ...]:
    return tuple(_tokenize(text))


def _tokenize(text: str) -> list[str]:
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS]
    return list(_stemmer().stemWords(words)) if words else []


class LexicalIndex:
    """BM25 over passages, and the inverse document frequency of every term."""

    def __init__(self, bm25: bm25s.BM25, idf: np.ndarray) -> None:
        self._bm25 = bm25
        self._idf = idf
        self._vocab: dict[str, int] = bm25.vocab_dict

    @classmethod
    def build(cls, texts: Sequence[str], k1: float, b: float) -> LexicalIndex:
        tokens = [tokenize(t) for t in texts]
        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.index(tokens, show_progress=False)
        # Column t of the sparse score matrix lists the passages holding term t (BM25 scores are
        # positive), so its length is the term's document frequency.
        # (bm25s may add an empty-string term with no column.)
        columns = np.diff(np.asarray(bm25.scores["indptr"], dtype=np.int64))
        df = np.zeros(len(bm25.vocab_dict), dtype=np.float64)
        df[: len(columns)] = columns
        n = max(len(texts), 1)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return cls(bm25, idf)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._bm25.save(str(folder), show_progress=False)
        np.save(folder / IDF_FILE, self._idf, allow_pickle=False)
        (folder / PARAMS_FILE).write_text(json.dumps({"tokenizer": "stemmed-en-v1"}))

    @classmethod
    def load(cls, folder: Path, mmap: bool = False) -> LexicalIndex:
        """Open a saved index; with ``mmap`` its score matrix stays on disk (pages are read as
        queries touch them), which keeps a million-passage index within the memory budget."""
        bm25 = bm25s.BM25.load(str(folder), mmap=mmap, show_progress=False, allow_pickle=False)
        idf = np.load(folder / IDF_FILE, allow_pickle=False)
        return cls(bm25, idf)

    @property
    def size(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the query (zeros when no term is known)."""
        ids = [self._vocab[t] for t in query_tokens if t in self._vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def has(self, token: str) -> bool:
        """Whether some passage has the term ``token``."""
        return token in self._vocab

    def contains(self, word: str) -> bool:
        """Whether some passage has a term of ``word``."""
        return any(self.has(t) for t in tokenize(word))

    def share(self, token: str) -> float:
        """The share of passages that contain ``token`` (0 for unseen terms)."""
        index = self._vocab.get(token)
        n = self.size
        if index is None or n == 0:
            return 0.0
        ratio = float(np.exp(self._idf[index])) - 1.0
        return min(1.0, max(0.0, (n + 0.5 - 0.5 * ratio) / (1.0 + ratio) / n))

    def idf(self, token: str) -> float:
        """How rare a term is among passages; unseen terms count as the rarest."""
        index = self._vocab.get(token)
        if index is None:
            return float(self._idf.max()) if len(self._idf) else 1.0
        return float(self._idf[index])
