"""Progress of long engine work (index builds) on stderr, with rate and time left.

On a terminal: tqdm bars. Elsewhere (a build job, a container's log): an INFO log line per stage
every ``LOG_EVERY`` seconds and when it ends, e.g. ``embedding: 120000/5400000 (2.2%), 210/s,
about 7h00m left`` (shown at ``logging.level: info`` or with ``-v``); piped output stays clean.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from tqdm import tqdm

log = logging.getLogger("storybot.progress")
LOG_EVERY = 30.0


class ProgressBar:
    """Adapts the engine's ``progress(stage, done, total)`` callback to tqdm bars or log lines.

    The rate counts only work done in this run: a resumed build starts its bar (and its rate)
    where the previous run stopped.
    """

    def __init__(
        self, enabled: bool | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._enabled = sys.stderr.isatty() if enabled is None else enabled
        self._clock = clock
        self._bar: tqdm | None = None
        self._stage = ""
        self._started = 0.0
        self._first = 0
        self._logged = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._started = self._clock()
            self._logged = float("-inf")  # a stage's first report is always logged
            self._first = done
            if self._enabled:
                self._bar = tqdm(
                    total=total,
                    initial=done,
                    desc=stage,
                    unit="text",
                    file=sys.stderr,
                    leave=False,
                    dynamic_ncols=True,
                )
        if self._bar is not None:
            self._bar.total = total
            self._bar.n = done
            self._bar.refresh()
        else:
            now = self._clock()
            if done >= total or now - self._logged >= LOG_EVERY:
                self._logged = now
                log.info("%s", self.describe(done, total, now))
        if done >= total:
            self.close()

    def describe(self, done: int, total: int, now: float | None = None) -> str:
        """``stage: done/total (share), rate/s, time left`` for the current stage."""
        elapsed = (self._clock() if now is None else now) - self._started
        share = f" ({100.0 * done / total:.1f}%)" if total else ""
        line = f"{self._stage}: {done}/{total}{share}"
        rate = (done - self._first) / elapsed if elapsed > 0 else 0.0
        if rate > 0:
            line += f", {rate:.0f}/s" if rate >= 10 else f", {rate:.1f}/s"
            if done < total:
                line += f", about {_duration((total - done) / rate)} left"
        return line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._stage = ""


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
