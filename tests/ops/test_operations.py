"""Operations wires it all: endpoint up while running, index facts reported, clean stop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from bot.ops.operations import Operations
from bot.ops.server import OpsServer, OpsServerError
from bot.settings import OpsSettings, load_settings
from knowledge.embedding import HashingEmbedder
from knowledge.engine import Engine
from knowledge.errors import ConfigError
from tests.conftest import story_settings
from tests.ops.conftest import get


@pytest.mark.asyncio
async def test_run_serves_while_running_and_stops_after(
    write_story: Callable[[dict[str, str]], Path],
    tmp_path: Path,
    hashing_embedder: HashingEmbedder,
) -> None:
    story = write_story({"a.txt": "Title A\n\nAlec Baldwin has seven children with Hilaria."})
    engine = Engine.open(story_settings(story, tmp_path / "index"), embedder=hashing_embedder)
    ops = Operations(OpsSettings(enabled=True, port=0))
    ops.index_loaded(engine)
    ops.health.mark_gateway_connected()
    closed = asyncio.Event()

    async def client() -> None:
        await closed.wait()

    async def close() -> None:
        closed.set()

    runner = asyncio.create_task(ops.run(client(), close))
    while ops.server is None:
        await asyncio.sleep(0.001)
    base = f"http://127.0.0.1:{ops.server.port}"
    status, _, body = await get(f"{base}/healthz")
    assert status == 200, body
    _, _, metrics = await get(f"{base}/metrics")
    assert f"storybot_index_passages {float(engine.index.size)}" in metrics
    assert "storybot_index_articles 1.0" in metrics

    ops.lifecycle.request_shutdown("test")
    assert await runner == 0
    assert ops.server is None
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(f"{base}/healthz")
    engine.close()


@pytest.mark.asyncio
async def test_disabled_endpoint_serves_nothing() -> None:
    ops = Operations(OpsSettings(enabled=False))
    await ops.start()
    assert ops.server is None


@pytest.mark.asyncio
async def test_port_in_use_is_one_readable_error() -> None:
    first = Operations(OpsSettings(enabled=True, port=0))
    await first.start()
    assert first.server is not None
    taken = Operations(OpsSettings(enabled=True, port=first.server.port))

    async def never_started() -> None:
        raise AssertionError("must not run")

    async def close() -> None:
        return None

    with pytest.raises(OpsServerError, match=r"cannot serve /healthz and /metrics on 127\.0\.0\.1"):
        await taken.run(never_started(), close)
    await first.stop()


@pytest.mark.asyncio
async def test_server_reports_its_port(
    endpoint: str,
) -> None:
    status, _, body = await get(f"{endpoint}/healthz")
    assert status == 503 and json.loads(body)["status"] == "unhealthy"
    assert isinstance(OpsServer, type)


def test_ops_settings_defaults_and_validation() -> None:
    ops = load_settings(environ={}).ops
    assert (ops.enabled, ops.host, ops.port) == (False, "127.0.0.1", 8080)
    assert load_settings(environ={"STORYBOT_OPS__ENABLED": "true"}).ops.enabled
    with pytest.raises(ConfigError, match="ops: port"):
        load_settings(environ={"STORYBOT_OPS__PORT": "70000"})
    with pytest.raises(ConfigError, match="ops: shutdown_timeout_seconds"):
        load_settings(environ={"STORYBOT_OPS__SHUTDOWN_TIMEOUT_SECONDS": "-1"})
    with pytest.raises(ConfigError, match=r"unknown config key 'ops\.prot'"):
        load_settings(environ={"STORYBOT_OPS__PROT": "1"})
