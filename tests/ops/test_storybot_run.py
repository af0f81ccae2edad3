"""End to end: ``storybot run`` as a real process against the loopback fake of Discord.

The process gets the fake's URLs, the token and the ops endpoint from its environment, as in a
container. The test waits for /healthz, asks a few questions and reads /metrics (parsed with
prometheus_client), then starts a burst of /ask, sends SIGTERM while those are still being
answered and checks that every accepted question got its answer, that questions arriving during
the shutdown were told the bot is restarting, that the gateway was closed with a close frame, that
the process exited 0, and that the token never appeared in its output.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.feedback import FeedbackStore
from knowledge.engine import Engine
from tests.fakes.discord_server import TOKEN, FakeDiscord, Interaction, Shown
from tests.ops.conftest import Samples, samples, value

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

GOLD = Path(__file__).resolve().parents[1] / "gold" / "default_story.jsonl"
CHILDREN = "How many children do the Baldwins have?"
NOT_IN_STORY = "What is the capital of France?"
RESTARTING = "StoryBot is restarting; please ask again in a minute."
HEARTBEAT = 0.5  # the fake asks for a heartbeat this often (Discord: ~41 s)
START_TIMEOUT = 240.0  # loading the model on a busy machine
ANSWER_TIMEOUT = 120.0
EXIT_TIMEOUT = 120.0
BURST = 30
LATE = 3


@pytest.fixture(scope="module")
def index_dir(default_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the session's default-story index: the process opens it without rebuilding."""
    copy = tmp_path_factory.mktemp("run-index") / "index"
    source = default_engine.settings.index.dir
    assert source is not None
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.lock", ".tmp-*"))
    yield copy


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(heartbeat_interval=HEARTBEAT)
    await server.start()
    yield server
    await server.close()
    assert server.violations == []


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    ops_url: str
    stdout: Path
    stderr: Path
    feedback: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    async def wait(self, timeout: float) -> int:
        """The exit code, waiting at most ``timeout`` s (then the process is killed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.process.poll() is None:
            if loop.time() > deadline:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"storybot run still running after {timeout:g} s:\n{self.tail()}")
            await asyncio.sleep(0.1)
        return self.process.returncode

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.stderr.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def storybot_command() -> list[str]:
    """The installed ``storybot`` script next to this Python, else ``python -m bot``."""
    script = Path(sys.executable).with_name("storybot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


@pytest_asyncio.fixture
async def bot_process(
    fake: FakeDiscord, index_dir: Path, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYBOT_")}
    env.update(
        {
            "DISCORD_TOKEN": TOKEN,
            "HF_HUB_OFFLINE": "1",
            "STORYBOT_INDEX__DIR": str(index_dir),
            "STORYBOT_FEEDBACK__PATH": str(tmp_path / "feedback.sqlite3"),
            "STORYBOT_DISCORD__API_BASE_URL": fake.api_base_url,
            "STORYBOT_DISCORD__GATEWAY_URL": fake.gateway_url,
            "STORYBOT_OPS__ENABLED": "true",
            "STORYBOT_OPS__PORT": str(port),
            "STORYBOT_OPS__SHUTDOWN_TIMEOUT_SECONDS": str(EXIT_TIMEOUT),
            "STORYBOT_LOGGING__LEVEL": "debug",  # the most output the token could leak into
            # Every /ask is acknowledged ("thinking…") at once, one answer at a time: the burst is
            # all accepted quickly and then takes a while to answer, which is when SIGTERM comes.
            "STORYBOT_DISCORD__DEFER_AFTER_SECONDS": "0",
            "STORYBOT_DISCORD__MAX_CONCURRENT_ANSWERS": "1",
            "STORYBOT_DISCORD__QUEUE_TIMEOUT_SECONDS": "600",
            "STORYBOT_DISCORD__COOLDOWN_SECONDS": "0",
        }
    )
    env.pop("STORYBOT_CONFIG", None)
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [*storybot_command(), "run"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=tmp_path,
        )
    bot = BotProcess(
        process, f"http://127.0.0.1:{port}", stdout, stderr, tmp_path / "feedback.sqlite3"
    )
    try:
        yield bot
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def get(url: str) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
        return response.status, await response.text()


async def health_until(bot: BotProcess, status: int, timeout: float) -> dict[str, Any]:
    """Poll /healthz until it answers ``status`` (bounded); fail at once if the process ended."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = "no answer yet"
    while loop.time() < deadline:
        if bot.process.poll() is not None:
            pytest.fail(f"storybot run exited {bot.process.returncode}:\n{bot.tail()}")
        try:
            got, body = await get(f"{bot.ops_url}/healthz")
        except aiohttp.ClientError as exc:
            last = repr(exc)
        else:
            if got == status:
                return dict(json.loads(body))
            last = body
        await asyncio.sleep(0.05)
    pytest.fail(f"/healthz not {status} after {timeout:g} s: {last}\n{bot.tail()}")


async def scrape(bot: BotProcess) -> Samples:
    status, body = await get(f"{bot.ops_url}/metrics")
    assert status == 200
    return samples(body)


async def until_metric(bot: BotProcess, name: str, accept: Any, **labels: str) -> Samples:
    """Scrape until ``accept(value)`` (the heartbeat is polled by the bot, not pushed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ANSWER_TIMEOUT
    while True:
        found = await scrape(bot)
        if accept(value(found, name, **labels)) or loop.time() > deadline:
            return found
        await asyncio.sleep(0.25)


def is_answer(shown: Shown) -> bool:
    """The engine's answer (cited embed with vote buttons) or its private "not found"."""
    if shown.embeds:
        fields = shown.embeds[0].get("fields") or []
        return bool(fields) and fields[0]["name"].startswith("[1] ") and len(shown.custom_ids) == 2
    return shown.private and "`/sources`" in shown.content


def is_finished(interaction: Interaction) -> bool:
    return bool(interaction.shown)


def gold_questions() -> list[str]:
    return [json.loads(line)["question"] for line in GOLD.read_text().splitlines() if line]


async def test_run_serves_health_and_metrics_and_drains_on_sigterm(
    fake: FakeDiscord, bot_process: BotProcess, default_engine: Engine
) -> None:
    bot = bot_process

    # -- ready: index loaded, the one shard connected and heartbeating --
    health = await health_until(bot, 200, START_TIMEOUT)
    assert health["status"] == "ok" and health["reasons"] == []
    assert health["checks"]["index_loaded"] and health["checks"]["gateway_connected"]
    assert health["checks"]["shards"]["0"]["connected"] is True
    assert [i["token"] for i in fake.identifies] == [TOKEN]

    # -- a few questions, then /metrics --
    first = [await fake.ask(CHILDREN, user_id=11), await fake.ask(NOT_IN_STORY, user_id=12)]
    first.append(await fake.ask("When is Hilaria's birthday?", user_id=13))
    shown = [await fake.reply(i, timeout=ANSWER_TIMEOUT) for i in first]
    children = default_engine.ask(CHILDREN)
    cited = shown[0].embeds[0]["fields"][0]["value"]
    assert cited.split("\n> ", 1)[1][:40] == children.citations[0].snippet[:40]
    assert shown[1].private and "couldn't find an answer" in shown[1].content
    assert is_answer(shown[2]) and shown[2].embeds

    found = await until_metric(bot, "storybot_gateway_latency_seconds", lambda v: math.isfinite(v))
    assert value(found, "storybot_questions_total", outcome="answered") == 2
    assert value(found, "storybot_questions_total", outcome="not_found") == 1
    assert value(found, "storybot_questions_total", outcome="error") == 0
    assert value(found, "storybot_questions_total", outcome="refused") == 0
    assert value(found, "storybot_answer_latency_seconds_count") == 3
    assert value(found, "storybot_answer_latency_seconds_sum") > 0
    assert value(found, "storybot_index_passages") == default_engine.index.size
    assert value(found, "storybot_index_articles") == len(default_engine.sources())
    latency = value(found, "storybot_gateway_latency_seconds")
    assert 0 <= latency < ANSWER_TIMEOUT
    assert value(found, "storybot_gateway_shard_latency_seconds", shard="0") == latency
    assert value(found, "storybot_gateway_connected") == 1
    assert value(found, "storybot_gateway_shard_connected", shard="0") == 1
    assert value(found, "storybot_healthy") == 1
    assert value(found, "storybot_questions_in_flight") == 0

    # -- a burst, SIGTERM once it is all accepted but not all answered --
    questions = gold_questions()[:BURST]
    burst = [await fake.ask(q, user_id=2000 + n) for n, q in enumerate(questions)]
    await fake.wait_until(lambda: all(i.callbacks for i in burst), timeout=ANSWER_TIMEOUT)
    bot.process.send_signal(signal.SIGTERM)
    unanswered_at_sigterm = sum(not is_finished(i) for i in burst)

    # While the accepted questions drain, /healthz says so and new questions are turned away.
    assert "shutting down" in (await health_until(bot, 503, ANSWER_TIMEOUT))["reasons"]
    still_draining = sum(not is_finished(i) for i in burst)
    late = [await fake.ask(CHILDREN, user_id=3000 + n) for n in range(LATE)]

    # -- the process drains, closes the gateway and exits 0 --
    assert await bot.wait(EXIT_TIMEOUT) == 0, bot.tail()
    print(
        f"\nSIGTERM with {unanswered_at_sigterm} of {BURST} accepted questions unanswered; "
        f"{still_draining} still draining when {LATE} more were asked"
    )
    assert unanswered_at_sigterm > 0, "the burst was answered before SIGTERM: nothing was tested"
    assert still_draining > 0, "the burst was answered before the late questions were sent"

    for interaction in burst:  # every accepted question got its answer, none lost
        assert len(interaction.callbacks) == 1 and not interaction.loading
        assert len(interaction.shown) == 1 and is_answer(interaction.shown[0]), interaction.shown
    for interaction in late:  # arrived after SIGTERM: a clear, private "restarting"
        assert len(interaction.callbacks) == 1 and not interaction.loading
        assert [(s.content, s.private) for s in interaction.shown] == [(RESTARTING, True)]

    assert not fake.connected
    assert fake.close_codes == [1000]  # one session, closed by the bot with a close frame
    assert fake.resumes == []
    logs = bot.output()
    assert "received SIGTERM" in logs and "shut down cleanly" in logs
    assert "shutting down with" not in logs  # nothing was left unfinished
    assert TOKEN not in logs
    assert "Traceback" not in logs
    assert TOKEN.split(".")[0] not in logs

    answered = sum(1 for i in [*first, *burst] if i.shown and i.shown[0].custom_ids)
    store = FeedbackStore(bot.feedback)
    try:
        assert store.summary().answers == answered  # every answer shown was recorded for votes
    finally:
        store.close()
