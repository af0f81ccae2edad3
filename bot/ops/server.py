"""The operations HTTP endpoint: ``GET /healthz`` and ``GET /metrics``, served by aiohttp.

It runs on the bot's own event loop rather than in a thread: aiohttp is already there (discord.py
uses it), nothing needs locking, and a blocked event loop then makes /healthz time out, which is
exactly the failure an orchestrator should see. Access logs are off (probes come every few seconds).
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.ops.health import HealthState
from bot.ops.metrics import Metrics
from knowledge.errors import StoryBotError

log = logging.getLogger(__name__)

HEALTH_KEY = web.AppKey("health", HealthState)
METRICS_KEY = web.AppKey("metrics", Metrics)


class OpsServerError(StoryBotError):
    """The endpoint cannot listen where configured (port taken, bad address)."""


def make_app(health: HealthState, metrics: Metrics) -> web.Application:
    """The aiohttp application, usable on its own (tests) or under ``OpsServer``."""
    app = web.Application()
    app[HEALTH_KEY] = health
    app[METRICS_KEY] = metrics
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/metrics", _metrics)
    return app


async def _healthz(request: web.Request) -> web.Response:
    report = request.app[HEALTH_KEY].report()
    return web.json_response(
        report.to_dict(), status=200 if report.healthy else 503, dumps=_compact_json
    )


async def _metrics(request: web.Request) -> web.Response:
    body, content_type = request.app[METRICS_KEY].render(request.headers.get("Accept", ""))
    return web.Response(body=body, headers={"Content-Type": content_type})


def _compact_json(data: object) -> str:
    return json.dumps(data, separators=(",", ":"))


class OpsServer:
    """Serves ``make_app`` on ``host:port`` (port 0 picks a free one; see ``port`` after start)."""

    def __init__(self, health: HealthState, metrics: Metrics, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._runner = web.AppRunner(make_app(health, metrics), access_log=None)

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise OpsServerError(
                f"cannot serve /healthz and /metrics on {self.host}:{self.port}: {exc.strerror}"
            ) from None
        self.port = int(self._runner.addresses[0][1])
        log.info("serving /healthz and /metrics on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
