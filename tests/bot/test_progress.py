"""Progress of long builds: rate and time left, counted from where this run started."""

from __future__ import annotations

import logging

import pytest

from bot.progress import ProgressBar


def test_rate_and_time_left_count_only_this_runs_work() -> None:
    now = [0.0]
    bar = ProgressBar(enabled=False, clock=lambda: now[0])
    bar("embedding", 40_000, 100_000)  # resumed: 40,000 were done by an earlier run
    now[0] = 100.0
    assert bar.describe(50_000, 100_000) == (
        "embedding: 50000/100000 (50.0%), 100/s, about 8m20s left"
    )


def test_off_a_terminal_progress_is_logged_now_and_then(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    bar = ProgressBar(enabled=False, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="storybot.progress"):
        bar("embedding", 0, 1000)
        now[0] = 1.0
        bar("embedding", 10, 1000)  # too soon after the first line
        now[0] = 40.0
        bar("embedding", 400, 1000)
        now[0] = 41.0
        bar("embedding", 1000, 1000)  # the end is always logged
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "embedding: 0/1000 (0.0%)",
        "embedding: 400/1000 (40.0%), 10/s, about 1m00s left",
        "embedding: 1000/1000 (100.0%), 24/s",
    ]
