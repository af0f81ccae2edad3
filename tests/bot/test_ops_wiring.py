"""The real client reporting to ``bot.ops``: per-shard health, heartbeats, answer latency."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

import bot.discord.client
from bot.ops import Operations
from bot.settings import OpsSettings
from knowledge.engine import Engine
from tests.bot.conftest import StartBot
from tests.bot.engines import SlowEngine
from tests.fakes.discord_server import FakeDiscord

pytestmark = pytest.mark.asyncio

CHILDREN = "How many children do the Baldwins have?"
WAIT = 30.0


@pytest.fixture
def ops(monkeypatch: pytest.MonkeyPatch) -> Operations:
    """Operations without the HTTP endpoint; the client polls heartbeats every 50 ms."""
    monkeypatch.setattr(bot.discord.client, "HEARTBEAT_POLL_SECONDS", 0.05)
    return Operations(OpsSettings())


async def until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


@pytest.mark.usefixtures("no_identify_delay")
async def test_healthy_only_with_every_shard_connected_and_heartbeating(
    fake: FakeDiscord, start_bot: StartBot, ops: Operations
) -> None:
    fake.heartbeat_interval = 0.1
    disconnected: list[int | None] = []
    mark_disconnected = ops.health.mark_gateway_disconnected

    def spy(shard_id: int | None = None) -> None:
        disconnected.append(shard_id)
        mark_disconnected(shard_id)

    ops.health.mark_gateway_disconnected = spy  # type: ignore[method-assign]
    ops.health.mark_index_loaded()
    await start_bot(ops=ops, shard_count=2)
    assert set(ops.health.shards()) == {0, 1}

    await until(lambda: all(s.latency is not None for s in ops.health.shards().values()))
    report = ops.health.report()
    assert report.healthy, report.reasons
    assert set(report.checks["shards"]) == {"0", "1"}
    assert all(s["connected"] for s in report.checks["shards"].values())

    await fake.drop_gateway()
    await until(lambda: set(disconnected) == {0, 1})
    await until(lambda: len(fake.resumes) == 2 and ops.health.report().healthy)
    assert (await fake.reply(await fake.ask(CHILDREN))).embeds


async def test_a_replica_expects_only_its_own_shards(
    fake: FakeDiscord, start_bot: StartBot, ops: Operations
) -> None:
    ops.health.mark_index_loaded()
    await start_bot(ops=ops, shard_count=3, shard_ids=(1,))
    await until(lambda: ops.health.report().healthy)
    assert set(ops.health.shards()) == {1}
    assert list(ops.health.report().checks["shards"]) == ["1"]


async def test_answer_latency_includes_the_wait_for_an_answer_slot(
    fake: FakeDiscord, start_bot: StartBot, ops: Operations, default_engine: Engine
) -> None:
    delay = 0.3
    await start_bot(
        engine=SlowEngine(default_engine, delay),
        ops=ops,
        max_concurrent_answers=1,
        defer_after_seconds=0.05,
    )
    asked = await asyncio.gather(fake.ask(CHILDREN, 1), fake.ask(CHILDREN, 2))
    await asyncio.gather(*(fake.reply(i) for i in asked))
    registry = ops.metrics.registry
    assert registry.get_sample_value("storybot_answer_latency_seconds_count") == 2
    # One slot: the second asker waited for the first answer, then for its own. The engine's own
    # latency (the default) would count neither the queue nor the slow engine's extra delay.
    total = registry.get_sample_value("storybot_answer_latency_seconds_sum")
    assert total is not None and total >= delay + 2 * delay - 0.05
