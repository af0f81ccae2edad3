"""The confidence model: a story's size is one of its signals, within the sizes it was fitted on."""

from __future__ import annotations

import math

import pytest

from knowledge.confidence import SIZE_RANGE, Signals, confidence


def _signals(passages: int) -> Signals:
    return Signals(
        dense_top=0.45,
        sentence_top=0.5,
        sentence_coverage=0.5,
        passage_coverage=0.5,
        selector=6.0,
        passages=passages,
    )


@pytest.mark.parametrize(
    ("passages", "counted"),
    [(1, SIZE_RANGE[0]), (37, 37), (1100, 1100), (250_000, SIZE_RANGE[1])],
)
def test_story_size_is_clipped_to_the_fitted_range(passages: int, counted: int) -> None:
    assert _signals(passages).story_size == pytest.approx(math.log10(counted))


def test_sizes_beyond_the_fitted_range_change_nothing() -> None:
    low, high = SIZE_RANGE
    assert confidence(_signals(1)) == confidence(_signals(low))
    assert confidence(_signals(10 * high)) == confidence(_signals(high))
    assert 0.0 < confidence(_signals(low)) < 1.0
