"""Engines for the Discord tests: the real one, slowed down or broken on purpose."""

from __future__ import annotations

import time

from knowledge.engine import Engine, IndexReport
from knowledge.models import Answer, Source


class SlowEngine:
    """The real engine, but every answer takes ``delay`` seconds more (blocking, like CPU work)."""

    def __init__(self, engine: Engine, delay: float) -> None:
        self.engine = engine
        self.delay = delay

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        time.sleep(self.delay)
        return self.engine.ask(question, top_k)

    def sources(self) -> list[Source]:
        return self.engine.sources()

    def reload(self) -> IndexReport:
        return self.engine.reload()


class BrokenEngine(SlowEngine):
    """Fails every question with an unexpected error."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, 0.0)

    def ask(self, question: str, top_k: int | None = None) -> Answer:
        raise RuntimeError("the index caught fire")
