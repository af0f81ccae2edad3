"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused by weighted scores.

Each side's scores are scaled to [0, 1] within the query (dense: cosine over the candidate range,
BM25: divided by the best score), then mixed with ``dense_weight``. BM25's share shrinks with the
part of the question's term weight that no article holds: "How many kids do Alec and Hilaria
have?" in a story that says "children" matches only the names on every page, and its best BM25
score, scaled to 1, would otherwise outweigh the passage about "seven children". The dense top-1
cosine is kept apart: it is the calibrated signal for "the story does not answer this". A
question word that no article holds is searched as another form of it that one does ("react" as
"reaction"; ``derivations.py``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from knowledge.derivations import story_forms
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.vectors import VectorIndex


@dataclass(frozen=True)
class Candidate:
    """One retrieved passage id with its scores."""

    passage_id: int
    fused: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Retrieval:
    """The ranked candidates of one query and the signals used to decide whether to answer."""

    candidates: tuple[Candidate, ...]
    dense_top: float
    query_tokens: tuple[str, ...]


def retrieve(
    query_vector: np.ndarray,
    question: str,
    vectors: VectorIndex,
    lexical: LexicalIndex,
    candidates: int,
    dense_weight: float,
    exclude: Collection[int] = (),
) -> Retrieval:
    """Rank passages for a question; ``exclude`` drops passage ids (for held-out evaluation)."""
    tokens = story_forms(tokenize(question), lexical.has)
    fetch = candidates + len(exclude)
    dense_scores, dense_ids = vectors.search(query_vector, fetch)
    keep = np.array([int(i) not in exclude for i in dense_ids], dtype=bool)
    dense_scores, dense_ids = dense_scores[keep][:candidates], dense_ids[keep][:candidates]
    bm25 = lexical.scores(tokens)
    if exclude:
        bm25[np.fromiter(exclude, dtype=np.int64)] = 0.0
    lexical_ids = _top(bm25, candidates)
    pool = np.union1d(dense_ids, lexical_ids).astype(np.int64)
    if len(pool) == 0:
        return Retrieval((), float(dense_scores[0]) if len(dense_scores) else 0.0, tuple(tokens))
    dense_map = dict(zip(dense_ids.tolist(), dense_scores.tolist(), strict=True))
    floor = float(dense_scores[-1]) if len(dense_scores) else 0.0
    dense = np.array([dense_map.get(int(i), floor) for i in pool], dtype=np.float32)
    lex = bm25[pool]
    lexical_weight = (1.0 - dense_weight) * known_share(tokens, lexical)
    fused = (1.0 - lexical_weight) * _scale(dense, floor) + lexical_weight * _scale(lex, 0.0)
    order = np.argsort(-fused, kind="stable")
    ranked = tuple(
        Candidate(int(pool[i]), float(fused[i]), float(dense[i]), float(lex[i])) for i in order
    )
    top = float(dense_scores[0]) if len(dense_scores) else 0.0
    return Retrieval(ranked, top, tuple(tokens))


def known_share(tokens: list[str], lexical: LexicalIndex) -> float:
    """The share of the question's term weight (idf; a word no article has counts as the rarest)
    that some article holds; 1 for a question with no terms."""
    weights = [lexical.idf(t) for t in tokens]
    total = sum(weights)
    if total <= 0:
        return 1.0
    return sum(w for t, w in zip(tokens, weights, strict=True) if lexical.has(t)) / total


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(scores > 0)
    if len(positive) <= k:
        return positive
    best = np.argpartition(-scores[positive], k - 1)[:k]
    return positive[best]


def _scale(values: np.ndarray, floor: float) -> np.ndarray:
    """Scale to [0, 1]: ``floor`` maps to 0 and the best value to 1."""
    top = float(values.max()) if len(values) else 0.0
    if top <= floor:
        return np.zeros_like(values)
    return np.clip((values - floor) / (top - floor), 0.0, 1.0)
