"""A progress bar on stderr for long engine work (index builds)."""

from __future__ import annotations

import sys

from tqdm import tqdm


class ProgressBar:
    """Adapts the engine's ``progress(stage, done, total)`` callback to tqdm bars on stderr.

    Bars show on a terminal only; piped output stays clean.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self._enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: tqdm | None = None
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, unit="text", file=sys.stderr, leave=False)
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
