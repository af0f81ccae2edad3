"""One object that wires health, metrics, the HTTP endpoint and shutdown for ``storybot run``."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.ops.health import Clock, HealthState
from bot.ops.lifecycle import ShutdownCoordinator
from bot.ops.metrics import Metrics
from bot.ops.server import OpsServer
from bot.settings import OpsSettings

if TYPE_CHECKING:
    from knowledge.engine import Engine


class Operations:
    """Health, metrics and shutdown coordinator of one process, plus the endpoint if enabled."""

    def __init__(self, settings: OpsSettings, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self.health = HealthState(settings.heartbeat_timeout_seconds, clock)
        self.lifecycle = ShutdownCoordinator(settings.shutdown_timeout_seconds, self.health)
        self.metrics = Metrics(self.health, lambda: self.lifecycle.in_flight)
        self.server: OpsServer | None = None

    def index_loaded(self, engine: Engine) -> None:
        """The engine's index is loaded (or was reloaded): healthy on that count, sizes updated."""
        manifest = engine.index.manifest
        self.metrics.set_index_size(manifest.passages, len(manifest.articles))
        self.health.mark_index_loaded()

    async def start(self) -> None:
        """Serve /healthz and /metrics if ``ops.enabled`` (idempotent)."""
        if self.settings.enabled and self.server is None:
            server = OpsServer(self.health, self.metrics, self.settings.host, self.settings.port)
            await server.start()
            self.server = server

    async def stop(self) -> None:
        if self.server is not None:
            server, self.server = self.server, None
            await server.stop()

    async def run(self, main: Awaitable[object], close: Callable[[], Awaitable[object]]) -> int:
        """Serve the endpoint while ``main`` runs; on SIGTERM drain, ``close`` and return 0."""
        try:
            await self.start()
        except BaseException:
            if inspect.iscoroutine(main):
                main.close()  # never started: no "coroutine was never awaited" warning
            raise
        try:
            return await self.lifecycle.run(main, close)
        finally:
            await self.stop()
