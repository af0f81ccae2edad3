"""Prometheus metrics of a running bot, in a registry of their own (so tests can make many).

storybot_questions_total{outcome}       answered | not_found | error | refused
storybot_answer_latency_seconds         histogram of answered and not-found questions
storybot_questions_in_flight            questions being answered now
storybot_gateway_latency_seconds        last heartbeat round trip, slowest shard (NaN before any)
storybot_gateway_connected              1 while every gateway shard of this process is up
storybot_gateway_shard_latency_seconds{shard}  last heartbeat round trip of each shard
storybot_gateway_shard_connected{shard}        1 while that shard's session is up
storybot_healthy                        1 when /healthz would answer 200
storybot_index_passages / _articles     size of the loaded index
storybot_info{version}                  always 1
process_*                               memory, CPU and file descriptors (Linux)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot import __version__
from bot.ops.health import HealthState

if TYPE_CHECKING:
    from knowledge.models import Answer

OUTCOMES = ("answered", "not_found", "error", "refused")
# The *_created series (one timestamp per counter) only add noise for a single long-lived process.
disable_created_metrics()
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """What ``/metrics`` reports. Counters are fed by the front end; gauges read live state."""

    def __init__(
        self,
        health: HealthState | None = None,
        in_flight: Callable[[], int] | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self._questions = Counter(
            "storybot_questions",
            "Questions handled, by outcome.",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in OUTCOMES:
            self._questions.labels(outcome)
        self._latency = Histogram(
            "storybot_answer_latency_seconds",
            "Time to answer a question (answered or not found).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._passages = Gauge(
            "storybot_index_passages", "Passages in the loaded index.", registry=self.registry
        )
        self._articles = Gauge(
            "storybot_index_articles", "Articles in the loaded index.", registry=self.registry
        )
        Info("storybot", "StoryBot build.", registry=self.registry).info({"version": __version__})
        ProcessCollector(registry=self.registry)
        if in_flight is not None:
            Gauge(
                "storybot_questions_in_flight",
                "Questions being answered now.",
                registry=self.registry,
            ).set_function(lambda: float(in_flight()))
        if health is not None:
            self._watch(health)

    def _watch(self, health: HealthState) -> None:
        def latency() -> float:
            return float("nan") if health.gateway_latency is None else health.gateway_latency

        Gauge(
            "storybot_gateway_latency_seconds",
            "Round trip of the last acknowledged gateway heartbeat (the slowest shard's).",
            registry=self.registry,
        ).set_function(latency)
        Gauge(
            "storybot_gateway_connected",
            "1 while every Discord gateway session (shard) of this process is up.",
            registry=self.registry,
        ).set_function(lambda: float(health.gateway_connected))
        Gauge(
            "storybot_healthy", "1 when /healthz answers 200.", registry=self.registry
        ).set_function(lambda: float(health.report().healthy))
        self.registry.register(ShardCollector(health))

    def observe_answer(self, answer: Answer, seconds: float | None = None) -> None:
        """Count an answer (answered or not found) and its latency.

        ``seconds`` is the wall time the asker waited, queueing included; without it, the
        engine's own time for the answer.
        """
        self._questions.labels("answered" if answer.answered else "not_found").inc()
        self._latency.observe(answer.latency_ms / 1000.0 if seconds is None else seconds)

    def error(self) -> None:
        """A question failed unexpectedly (not a user mistake such as an over-long question)."""
        self._questions.labels("error").inc()

    def refused(self) -> None:
        """A question arrived while shutting down and was turned away."""
        self._questions.labels("refused").inc()

    def set_index_size(self, passages: int, articles: int) -> None:
        self._passages.set(passages)
        self._articles.set(articles)

    def render(self, accept: str = "") -> tuple[bytes, str]:
        """The exposition (Prometheus text, or OpenMetrics if ``accept`` asks) and its type."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class ShardCollector(Collector):
    """Per-shard gateway series, read from the health state at each scrape.

    Only numbered shards appear (a process that does not shard has just the totals above).
    """

    def __init__(self, health: HealthState) -> None:
        self._health = health

    def describe(self) -> Iterator[Metric]:
        return iter(self._families())

    def collect(self) -> Iterator[Metric]:
        latency, connected = self._families()
        shards = self._health.shards()
        for shard_id in sorted(i for i in shards if i is not None):
            shard, label = shards[shard_id], [str(shard_id)]
            latency.add_metric(label, float("nan") if shard.latency is None else shard.latency)
            connected.add_metric(label, float(shard.connected))
        yield latency
        yield connected

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "storybot_gateway_shard_latency_seconds",
                "Round trip of the shard's last acknowledged gateway heartbeat.",
                labels=["shard"],
            ),
            GaugeMetricFamily(
                "storybot_gateway_shard_connected",
                "1 while the shard's gateway session is up.",
                labels=["shard"],
            ),
        )
