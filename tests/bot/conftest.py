"""Fixtures for the Discord tests: the loopback fake of Discord and the real client on it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.discord.client import StoryBotClient
from bot.discord.service import AnswerEngine, Answerer
from bot.feedback import FeedbackStore
from bot.ops import Operations
from bot.settings import AppSettings, DiscordSettings
from knowledge.engine import Engine
from tests.fakes.discord_server import TOKEN, FakeDiscord


@dataclass
class RunningBot:
    client: StoryBotClient
    answerer: Answerer
    feedback: FeedbackStore
    settings: AppSettings
    task: asyncio.Task[None]


StartBot = Callable[..., Awaitable[RunningBot]]


@pytest.fixture(autouse=True)
def restore_discord_endpoints() -> Iterator[None]:
    """The bot points discord.py (process-wide) at the fake; put Discord's URLs back after."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
def no_identify_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord spaces shard IDENTIFYs 5 s apart; the fake does not need it."""

    async def at_once(self: object, shard_id: int | None, *, initial: bool) -> None:
        return None

    monkeypatch.setattr(StoryBotClient, "before_identify_hook", at_once)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A fresh fake Discord; the test fails if the bot sent anything Discord would reject."""
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()
    assert server.violations == []


def bot_settings(fake: FakeDiscord, tmp_path: Path, **discord_options: Any) -> AppSettings:
    settings = AppSettings()
    discord_settings = replace(
        DiscordSettings(),
        api_base_url=fake.api_base_url,
        gateway_url=fake.gateway_url,
        **discord_options,
    )
    discord_settings.validate()
    return replace(settings, discord=discord_settings)


@pytest_asyncio.fixture
async def start_bot(
    fake: FakeDiscord, default_engine: Engine, tmp_path: Path
) -> AsyncIterator[StartBot]:
    """``await start_bot(**discord_settings)``: the real client, connected to ``fake``.

    With ``ops=Operations(...)`` the client reports health and metrics to it, as in production.
    """
    running: list[RunningBot] = []

    async def start(
        engine: AnswerEngine | None = None, ops: Operations | None = None, **options: Any
    ) -> RunningBot:
        settings = bot_settings(fake, tmp_path, **options)
        feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
        answerer = Answerer(engine or default_engine, settings, feedback, ops)
        client = StoryBotClient(answerer, settings, ops, guild_ready_timeout=0.05)
        task = asyncio.create_task(client.start(TOKEN))
        bot = RunningBot(client, answerer, feedback, settings, task)
        running.append(bot)
        await asyncio.wait_for(_ready(client, task), 15)
        return bot

    yield start
    for bot in running:
        await stop_bot(bot)


async def _ready(client: StoryBotClient, task: asyncio.Task[None]) -> None:
    while not client.is_ready():
        if task.done():
            task.result()
        await asyncio.sleep(0.01)


async def stop_bot(bot: RunningBot) -> None:
    if not bot.client.is_closed():
        await bot.client.close()
    with contextlib.suppress(asyncio.CancelledError):
        await bot.task
    bot.answerer.close()
    bot.feedback.close()
