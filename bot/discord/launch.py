"""Starting the bot and registering its commands: the token, the wiring, one-line failures.

The token is read from ``$DISCORD_TOKEN`` only, at the moment it is needed; it is never a
setting, an option or a log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence

import aiohttp
import discord
from discord import app_commands

from bot.discord.client import StoryBotClient, add_commands, configure_discord, sync_commands
from bot.discord.commands import reload_permissions
from bot.discord.service import Answerer
from bot.engine_factory import open_engine
from bot.feedback import FeedbackStore, feedback_path
from bot.ops import Operations
from bot.settings import AppSettings
from knowledge.engine import Engine
from knowledge.errors import StoryBotError

TOKEN_ENV = "DISCORD_TOKEN"
log = logging.getLogger("bot.discord")


def discord_token(environ: Mapping[str, str] | None = None) -> str:
    """The bot token from the environment, or one clear error."""
    token = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    if not token:
        raise StoryBotError(
            f"{TOKEN_ENV} is not set: export the bot's token (Discord developer portal > Bot) "
            "in that environment variable"
        )
    return token


@contextlib.contextmanager
def discord_failures(settings: AppSettings) -> Iterator[None]:
    """Turn Discord start-up failures into one-line ``StoryBotError``s."""
    try:
        yield
    except discord.LoginFailure:
        raise StoryBotError(f"Discord rejected the token in {TOKEN_ENV}") from None
    except discord.Forbidden as exc:
        raise StoryBotError(
            f"Discord refused ({exc.text or exc.status}): is the bot in that server, invited "
            "with the applications.commands scope?"
        ) from None
    except discord.HTTPException as exc:
        raise StoryBotError(f"Discord answered {exc.status}: {exc.text or 'no details'}") from None
    except (aiohttp.ClientError, discord.GatewayNotFound, OSError) as exc:
        raise StoryBotError(
            f"cannot reach Discord at {settings.discord.api_base_url} ({exc})"
        ) from None


async def serve(settings: AppSettings, token: str) -> int:
    """Load the engine, connect, answer until SIGTERM/SIGINT; then drain and return 0."""
    reload_permissions(settings.discord.reload_permission)  # a bad name fails before loading
    ops = Operations(settings.ops)
    await ops.start()
    try:
        engine = await asyncio.to_thread(open_engine, settings, warm=True)
        try:
            return await _serve_engine(settings, token, ops, engine)
        finally:
            engine.close()
    finally:
        await ops.stop()


async def _serve_engine(settings: AppSettings, token: str, ops: Operations, engine: Engine) -> int:
    ops.index_loaded(engine)
    feedback = FeedbackStore(feedback_path(settings.feedback.path))
    answerer = Answerer(
        engine, settings, feedback, ops, after_reload=lambda: ops.index_loaded(engine)
    )
    client = StoryBotClient(answerer, settings, ops)
    try:
        with discord_failures(settings):
            return await ops.run(client.start(token), close=client.close)
    finally:
        if not client.is_closed():
            await client.close()
        answerer.close()
        feedback.close()


async def register(settings: AppSettings, token: str, guild_ids: Sequence[int]) -> list[str]:
    """Register the slash commands (in ``guild_ids``, or globally) without opening the gateway."""
    configure_discord(settings.discord)
    client = discord.Client(intents=discord.Intents(guilds=True))
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    add_commands(tree, settings)
    with discord_failures(settings):
        async with client:
            await client.login(token)
            return await sync_commands(tree, guild_ids)
