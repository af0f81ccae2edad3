"""A monotonic clock for tests where time matters: it moves only when told to."""

from __future__ import annotations


class FakeClock:
    """Call it for the time; ``advance`` (or set ``now``) to move it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
