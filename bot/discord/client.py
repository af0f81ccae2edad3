"""The Discord client: the slash commands' and buttons' handlers, mentions, command sync.

``StoryBotClient`` is an ``AutoShardedClient`` (``discord.shard_count``/``shard_ids`` split the
gateway between replicas). It asks for no privileged intent: messages that mention the bot carry
their text anyway. Commands are registered only on purpose: ``storybot sync`` or
``discord.sync_on_start``.

With ``bot.ops.Operations`` it reports each shard's connection and heartbeats to the health state
(/healthz is healthy only when every shard this process runs is up and heartbeating), and every
interaction and mention is tracked until its reply is sent, so a graceful shutdown closes the
gateway only after the replies have gone out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import discord
import yarl
from discord import app_commands

from bot.discord.commands import build_commands
from bot.discord.errors import (
    error_reply_for,
    interaction_context,
    message_context,
    reference_id,
)
from bot.discord.render import empty_mention_reply, permission_refusal
from bot.discord.sending import defer, deliver, reply_to_message, respond
from bot.discord.service import Answerer
from bot.discord.votes import VoteButton
from bot.settings import AppSettings, DiscordSettings

if TYPE_CHECKING:
    from bot.ops import Operations

log = logging.getLogger("bot.discord")
# discord.py has no event for a heartbeat ACK: each shard's latency is polled this often, and a
# changed value means a new ACK (the health check allows minutes, so seconds of lag are fine).
HEARTBEAT_POLL_SECONDS = 1.0
USER_MENTION = re.compile(r"<@!?(\d+)>")


def configure_discord(settings: DiscordSettings) -> None:
    """Point discord.py at the configured REST and gateway URLs (process-wide, as discord.py is).

    Also silences discord.py's warnings about missing voice libraries: StoryBot has no voice.
    """
    discord.http.Route.BASE = settings.api_base_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def intents(settings: DiscordSettings) -> discord.Intents:
    """Servers, plus messages when mentions are answered; nothing privileged."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = settings.answer_mentions
    wanted.dm_messages = settings.answer_mentions
    return wanted


class StoryBotTree(app_commands.CommandTree[Any]):
    """The command tree, with StoryBot's error handler."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        with finishing(self.client):
            await report_interaction_error(interaction, error)


def finishing(client: discord.Client) -> contextlib.AbstractContextManager[None]:
    """Work a graceful shutdown must wait for (a reply being sent); nothing without ops."""
    ops = getattr(client, "ops", None)
    return contextlib.nullcontext() if ops is None else ops.lifecycle.track()


async def report_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user (privately) what went wrong; log the unexpected."""
    reply = error_reply_for(error, interaction_context(interaction))
    try:
        await deliver(interaction, reply)
    except discord.HTTPException as exc:  # e.g. the interaction expired
        log.warning("could not send an error reply for interaction %s: %s", interaction.id, exc)


def add_commands(tree: app_commands.CommandTree[Any], settings: AppSettings) -> None:
    for command in build_commands(settings):
        tree.add_command(command)


async def sync_commands(
    tree: app_commands.CommandTree[Any], guild_ids: Iterable[int] = ()
) -> list[str]:
    """Register the commands in these servers (at once), or globally when none (up to an hour).

    Returns one line per registration, for the operator.
    """
    done = []
    guild_ids = list(guild_ids)
    for guild_id in guild_ids:
        guild = discord.Object(id=guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        done.append(f"server {guild_id}: {', '.join('/' + c.name for c in synced)}")
    if not guild_ids:
        synced = await tree.sync()
        done.append(f"globally: {', '.join('/' + c.name for c in synced)}")
    return done


class StoryBotClient(discord.AutoShardedClient):
    """StoryBot on Discord; every question goes through ``answerer``."""

    def __init__(
        self,
        answerer: Answerer,
        settings: AppSettings,
        ops: Operations | None = None,
        **options: Any,
    ) -> None:
        """``options`` go to discord.py's client (e.g. ``guild_ready_timeout``)."""
        discord_settings = settings.discord
        configure_discord(discord_settings)
        shards: dict[str, Any] = {"shard_count": discord_settings.shard_count}
        if discord_settings.shard_ids:
            shards["shard_ids"] = list(discord_settings.shard_ids)
        super().__init__(
            intents=intents(discord_settings),
            allowed_mentions=discord.AllowedMentions.none(),
            **shards,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            **options,
        )
        self.answerer = answerer
        self.settings = discord_settings
        self.ops = ops
        self.tree = StoryBotTree(self)
        add_commands(self.tree, settings)
        self._watcher: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(VoteButton)
        if self.shard_count is None:
            # Ask Discord how many shards, as discord.py would, but keep connecting to the
            # configured gateway URL instead of the one Discord returns.
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        if self.settings.sync_on_start:
            for line in await sync_commands(self.tree, self.settings.guild_ids):
                log.info("registered slash commands %s", line)
        if self.ops is not None:
            # Every shard this process will run must connect before /healthz says ok.
            self.ops.health.expect_shards(self.shard_ids or range(self.shard_count))
            self._watcher = asyncio.create_task(self._watch_heartbeats())

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        await super().close()

    # -- slash commands and buttons (bot.discord.handlers.Handlers) --

    async def handle_ask(
        self, interaction: discord.Interaction, question: str, private: bool | None
    ) -> None:
        with finishing(self):
            private = self.answerer.private_for(interaction.guild_id, private)
            work = self.answerer.answer(question, interaction.user.id, private, "discord")
            await respond(
                interaction, work, private=private, defer_after=self.settings.defer_after_seconds
            )

    async def handle_sources(self, interaction: discord.Interaction, private: bool | None) -> None:
        with finishing(self):
            private = self.answerer.private_for(interaction.guild_id, private)
            await deliver(interaction, self.answerer.sources(private))

    async def handle_help(self, interaction: discord.Interaction, private: bool | None) -> None:
        with finishing(self):
            await deliver(interaction, self.answerer.help(True if private is None else private))

    async def handle_reload(self, interaction: discord.Interaction) -> None:
        with finishing(self):
            permission = self.settings.reload_permission
            if interaction.guild_id is None or not getattr(interaction.permissions, permission):
                await deliver(interaction, permission_refusal(permission))
                return
            await defer(interaction, private=True)
            await deliver(interaction, await self.answerer.reload())

    async def handle_vote(
        self, interaction: discord.Interaction, answer_id: str, vote: int
    ) -> None:
        with finishing(self):
            try:
                reply = await self.answerer.vote(answer_id, interaction.user.id, vote)
                await deliver(interaction, reply)
            except Exception as error:
                await report_interaction_error(interaction, error)

    # -- mentions --

    async def on_message(self, message: discord.Message) -> None:
        if not self.settings.answer_mentions or message.author.bot or self.user is None:
            return
        with finishing(self):
            await self._answer_mention(message, self.user.id)

    async def _answer_mention(self, message: discord.Message, me: int) -> None:
        if me not in {int(m) for m in USER_MENTION.findall(message.content)}:
            return
        question = USER_MENTION.sub(lambda m: "" if int(m[1]) == me else m[0], message.content)
        question = question.strip()
        try:
            if not question:
                reply = empty_mention_reply()
            else:
                reply = await self.answerer.answer(question, message.author.id, False, "mention")
        except Exception as error:
            reply = error_reply_for(error, message_context(message))
        try:
            await reply_to_message(message, reply)
        except discord.HTTPException as exc:
            log.warning("could not reply to message %s: %s", message.id, exc)

    # -- gateway health, for the ops endpoint --

    async def on_ready(self) -> None:
        log.info(
            "connected to Discord as %s, in %d server(s), shards %s of %s",
            self.user,
            len(self.guilds),
            sorted(self.shards),
            self.shard_count,
        )

    async def on_shard_connect(self, shard_id: int) -> None:
        """READY: the session is up and interactions flow; the guild cache may still be filling
        (``on_shard_ready`` waits up to ``guild_ready_timeout`` for it), which answers need not.
        """
        if self.ops is not None:
            self.ops.health.mark_gateway_connected(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        if self.ops is not None:
            self.ops.health.mark_gateway_connected(shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        if self.ops is not None:
            self.ops.health.mark_gateway_disconnected(shard_id)

    async def _watch_heartbeats(self) -> None:
        """Report each shard's new heartbeat round trips (discord.py has no event for the ack).

        A shard's ``latency`` changes with every ACK (it is a fresh ``perf_counter`` difference),
        so a changed value is a new ACK; it stays infinite until a new connection's first ACK.
        """
        assert self.ops is not None
        last: dict[int, float] = {}
        while True:
            await asyncio.sleep(HEARTBEAT_POLL_SECONDS)
            for shard_id, latency in self.latencies:
                if math.isfinite(latency) and latency != last.get(shard_id):
                    self.ops.health.heartbeat_ack(latency, shard_id)
                    last[shard_id] = latency

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        reference = reference_id()
        log.exception(
            "unexpected error (reference %s) in event %s",
            reference,
            event_method,
            extra={"ctx_reference": reference, "ctx_where": event_method},
        )


__all__ = [
    "StoryBotClient",
    "StoryBotTree",
    "add_commands",
    "configure_discord",
    "finishing",
    "report_interaction_error",
    "sync_commands",
]
