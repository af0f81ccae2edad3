"""Features that say how likely a sentence is to hold the answer to a question.

The weights that combine them were fitted once by logistic regression on the public SQuAD bench
(``scripts/fit_selector.py``); they are few and generic (word overlap, answer kind, rank), so they
carry over to other articles and to questions phrased in other words.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from knowledge.lexical import LexicalIndex, tokenize
from knowledge.question_types import AnswerKind, kind_spans

FEATURES = (
    "bias",
    "fused",
    "rank_inverse",
    "coverage",
    "window_coverage",
    "bigram",
    "kind_match",
    "kind_missing",
    "novelty",
    "first_sentence",
    "dense_sentence",
    "log_length",
)


@dataclass(frozen=True)
class QuestionTerms:
    """A question's stemmed terms with their weights, and the kind of answer it wants."""

    tokens: tuple[str, ...]
    weights: dict[str, float]
    bigrams: frozenset[tuple[str, str]]
    kind: AnswerKind

    @classmethod
    def of(cls, tokens: tuple[str, ...], lexical: LexicalIndex, kind: AnswerKind) -> QuestionTerms:
        weights = {t: lexical.idf(t) for t in tokens}
        bigrams = frozenset(itertools.pairwise(tokens))
        return cls(tokens, weights, bigrams, kind)

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values())


@dataclass(frozen=True)
class SentenceText:
    """A sentence's text and stemmed tokens."""

    text: str
    tokens: frozenset[str]
    ordered: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> SentenceText:
        ordered = tuple(tokenize(text))
        return cls(text, frozenset(ordered), ordered)


def coverage(terms: QuestionTerms, tokens: frozenset[str]) -> float:
    """Share of the question's term weight found in ``tokens``."""
    total = terms.total_weight
    if total <= 0:
        return 0.0
    return sum(w for t, w in terms.weights.items() if t in tokens) / total


def kind_hits(terms: QuestionTerms, sentence: SentenceText) -> list[tuple[int, int]]:
    """Spans of the wanted kind that are not just the question's own words."""
    hits = []
    for start, end in kind_spans(sentence.text, terms.kind):
        words = set(tokenize(sentence.text[start:end]))
        if not words or not words <= set(terms.tokens):
            hits.append((start, end))
    return hits


def sentence_features(
    terms: QuestionTerms,
    sentences: list[SentenceText],
    index: int,
    fused: float,
    rank: int,
    dense: float,
) -> np.ndarray:
    """The feature vector of sentence ``index`` of a passage at ``rank`` (0 = best)."""
    sentence = sentences[index]
    window = set(sentence.tokens)
    for neighbour in (index - 1, index + 1):
        if 0 <= neighbour < len(sentences):
            window |= sentences[neighbour].tokens
    pairs = set(zip(sentence.ordered, sentence.ordered[1:], strict=False))
    bigram = len(terms.bigrams & pairs) / len(terms.bigrams) if terms.bigrams else 0.0
    wanted = terms.kind is not AnswerKind.OTHER
    has_kind = bool(kind_hits(terms, sentence)) if wanted else False
    novel = len(sentence.tokens - set(terms.tokens)) / max(len(sentence.tokens), 1)
    return np.array(
        [
            1.0,
            fused,
            1.0 / (1.0 + rank),
            coverage(terms, sentence.tokens),
            coverage(terms, frozenset(window)),
            bigram,
            1.0 if has_kind else 0.0,
            1.0 if wanted and not has_kind else 0.0,
            novel,
            1.0 if index == 0 else 0.0,
            dense,
            math.log1p(len(sentence.text)) / 6.0,
        ],
        dtype=np.float32,
    )


# Fitted by scripts/fit_selector.py on the public bench (see README, "Answer selection").
WEIGHTS = np.array(
    [-4.0, 2.0, 1.0, 4.0, 1.0, 1.0, 1.0, -1.0, 0.5, 0.2, 2.0, 0.0],
    dtype=np.float32,
)
