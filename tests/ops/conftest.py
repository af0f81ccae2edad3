"""Fixtures for the operations tests: a fake clock, and the endpoint served on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from bot.ops.health import HealthState
from bot.ops.metrics import Metrics
from bot.ops.server import OpsServer
from knowledge.models import Answer
from tests.fakes.clock import FakeClock

__all__ = ["FakeClock", "Samples", "answer", "get", "make_healthy", "samples", "value"]

# A scrape of /metrics: (sample name, sorted labels) -> value.
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def health(clock: FakeClock) -> HealthState:
    return HealthState(heartbeat_timeout=120.0, clock=clock)


@pytest.fixture
def metrics(health: HealthState) -> Metrics:
    return Metrics(health)


@pytest_asyncio.fixture
async def endpoint(health: HealthState, metrics: Metrics) -> AsyncIterator[str]:
    """Base URL of a real OpsServer on 127.0.0.1 and a free port."""
    server = OpsServer(health, metrics, "127.0.0.1", 0)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def get(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def make_healthy(health: HealthState) -> None:
    health.mark_index_loaded()
    health.mark_gateway_connected()
    health.heartbeat_ack(0.05)


def answer(answered: bool, latency_ms: float) -> Answer:
    text = "They have seven children." if answered else ""
    return Answer("How many children?", answered, text, (), latency_ms)


def samples(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, parsed by the client library."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found[(name, tuple(sorted(labels.items())))]
