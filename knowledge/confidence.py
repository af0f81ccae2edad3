"""How sure the engine is that the story answers a question: a calibrated probability.

A logistic model over signals that separate in-story from out-of-story questions on the public
bench: the dense top-1 passage cosine (the strongest), the best sentence cosine, how much of the
question's term weight the chosen sentence and passage contain, and the answer sentence's score.
Rank-fusion scores are deliberately not used: they are relative to the query, not calibrated.
Weights fitted by ``scripts/fit_selector.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SIGNALS = ("bias", "dense_top", "sentence_top", "sentence_coverage", "passage_coverage", "selector")

WEIGHTS = np.array([-13.752, 10.689, 6.249, 1.781, 3.559, 0.552], dtype=np.float64)


@dataclass(frozen=True)
class Signals:
    dense_top: float
    sentence_top: float
    sentence_coverage: float
    passage_coverage: float
    selector: float

    def vector(self) -> np.ndarray:
        return np.array(
            [
                1.0,
                self.dense_top,
                self.sentence_top,
                self.sentence_coverage,
                self.passage_coverage,
                self.selector,
            ],
            dtype=np.float64,
        )


def confidence(signals: Signals) -> float:
    """Probability that the story answers the question."""
    logit = float(signals.vector() @ WEIGHTS)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
