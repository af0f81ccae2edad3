"""Open the engine for a front end, with a progress bar when an index has to be built."""

from __future__ import annotations

import logging

from bot.progress import ProgressBar
from bot.settings import AppSettings
from knowledge.engine import Engine

log = logging.getLogger(__name__)


def open_engine(settings: AppSettings, update: bool = True, warm: bool = False) -> Engine:
    """Load the index (building or updating it first if needed) and the model; with ``warm``,
    also what the first question would wait for (for front ends that answer many)."""
    bar = ProgressBar()
    try:
        engine = Engine.open(settings, progress=bar, update=update)
    finally:
        bar.close()
    if warm:
        try:
            engine.warm()
        except BaseException:
            engine.close()
            raise
    return engine
