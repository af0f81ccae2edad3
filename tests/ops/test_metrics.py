"""/metrics: Prometheus text that parses and counts exactly what the bot reported."""

from __future__ import annotations

import math

import pytest

from bot.ops.health import HealthState
from bot.ops.metrics import Metrics
from tests.ops.conftest import answer, get, samples, value


@pytest.mark.asyncio
async def test_scrape_counts_what_was_fed(
    endpoint: str, metrics: Metrics, health: HealthState
) -> None:
    latencies_ms = [12.0, 40.0, 300.0, 8.0, 2500.0]
    for n, ms in enumerate(latencies_ms):
        metrics.observe_answer(answer(answered=n < 3, latency_ms=ms))
    metrics.error()
    metrics.refused()
    metrics.refused()
    metrics.set_index_size(passages=37, articles=3)
    health.mark_gateway_connected()
    health.heartbeat_ack(0.125)

    status, content_type, body = await get(f"{endpoint}/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    found = samples(body)

    assert value(found, "storybot_questions_total", outcome="answered") == 3
    assert value(found, "storybot_questions_total", outcome="not_found") == 2
    assert value(found, "storybot_questions_total", outcome="error") == 1
    assert value(found, "storybot_questions_total", outcome="refused") == 2
    assert value(found, "storybot_answer_latency_seconds_count") == 5
    assert math.isclose(value(found, "storybot_answer_latency_seconds_sum"), 2.86)
    assert value(found, "storybot_answer_latency_seconds_bucket", le="0.05") == 3
    assert value(found, "storybot_answer_latency_seconds_bucket", le="+Inf") == 5
    assert value(found, "storybot_index_passages") == 37
    assert value(found, "storybot_index_articles") == 3
    assert value(found, "storybot_gateway_latency_seconds") == 0.125
    assert value(found, "storybot_gateway_connected") == 1
    assert value(found, "storybot_healthy") == 0  # the index was never marked loaded
    assert value(found, "storybot_info", version="0.1.0") == 1


@pytest.mark.asyncio
async def test_outcomes_exist_at_zero_before_any_question(endpoint: str) -> None:
    _, _, body = await get(f"{endpoint}/metrics")
    found = samples(body)
    for outcome in ("answered", "not_found", "error", "refused"):
        assert value(found, "storybot_questions_total", outcome=outcome) == 0
    assert math.isnan(value(found, "storybot_gateway_latency_seconds"))
    assert not [name for name, _ in found if name.endswith("_created")]


def test_explicit_seconds_override_the_engine_latency() -> None:
    metrics = Metrics()
    metrics.observe_answer(answer(answered=True, latency_ms=5.0), seconds=1.5)
    body, _ = metrics.render()
    assert value(samples(body.decode()), "storybot_answer_latency_seconds_sum") == 1.5


def test_in_flight_gauge_reads_live_state() -> None:
    count = [2]
    metrics = Metrics(in_flight=lambda: count[0])
    assert value(samples(metrics.render()[0].decode()), "storybot_questions_in_flight") == 2
    count[0] = 0
    assert value(samples(metrics.render()[0].decode()), "storybot_questions_in_flight") == 0


def test_openmetrics_when_asked() -> None:
    body, content_type = Metrics().render("application/openmetrics-text; version=1.0.0")
    assert content_type.startswith("application/openmetrics-text")
    assert body.decode().rstrip().endswith("# EOF")


def test_each_shard_has_its_own_series() -> None:
    health = HealthState()
    metrics = Metrics(health)
    health.expect_shards([2, 5])
    health.mark_gateway_connected(5)
    health.heartbeat_ack(0.25, 5)
    found = samples(metrics.render()[0].decode())
    assert value(found, "storybot_gateway_shard_connected", shard="2") == 0
    assert value(found, "storybot_gateway_shard_connected", shard="5") == 1
    assert math.isnan(value(found, "storybot_gateway_shard_latency_seconds", shard="2"))
    assert value(found, "storybot_gateway_shard_latency_seconds", shard="5") == 0.25
    assert value(found, "storybot_gateway_latency_seconds") == 0.25
    assert value(found, "storybot_gateway_connected") == 0
