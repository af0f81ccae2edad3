"""The application's settings: the engine's sections plus the front ends' own.

Loaded once at start-up from the shipped defaults, the user's YAML (``--config`` or
``STORYBOT_CONFIG``) and ``STORYBOT_<SECTION>__<KEY>`` environment variables. Secrets (the Discord
token) are never settings: they come only from the environment, where they are read at use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from config import DEFAULT_CONFIG
from knowledge.configuration import load
from knowledge.settings import CorpusSettings, EngineSettings, IndexSettings


@dataclass(frozen=True)
class LoggingSettings:
    """How StoryBot logs (always to stderr)."""

    level: Literal["debug", "info", "warning", "error"] = "warning"
    format: Literal["text", "json"] = "text"


@dataclass(frozen=True)
class OpsSettings:
    """Operations of ``storybot run``: the /healthz and /metrics endpoint, graceful shutdown.

    Off by default (the console and one-off commands need no server); the container image turns
    it on with ``STORYBOT_OPS__ENABLED=true`` and ``STORYBOT_OPS__HOST=0.0.0.0``.
    """

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8080
    shutdown_timeout_seconds: float = 5.0
    heartbeat_timeout_seconds: float = 120.0

    def validate(self) -> None:
        if not self.host.strip():
            raise ValueError("host must not be empty")
        if not 0 <= self.port <= 65535:
            raise ValueError("port must be between 0 (any free port) and 65535")
        if self.shutdown_timeout_seconds < 0:
            raise ValueError("shutdown_timeout_seconds must be 0 or more")
        if self.heartbeat_timeout_seconds <= 0:
            raise ValueError("heartbeat_timeout_seconds must be positive")


_SNOWFLAKE_MAX = 2**63 - 1
_PERMISSION_NAME = re.compile(r"^[a-z][a-z_]*[a-z]$")


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord bot (``storybot run``, ``storybot sync``). The token is never a setting.

    ``api_base_url`` and ``gateway_url`` are Discord's own unless a REST/gateway proxy (or a test's
    local fake) stands in. Answers run at most ``max_concurrent_answers`` at a time; a question
    waits at most ``queue_timeout_seconds`` for a free slot, then gets a "busy, retry in N s" reply.
    """

    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    sync_on_start: bool = False
    guild_ids: tuple[int, ...] = ()
    ephemeral_default: bool = False
    ephemeral_guild_ids: tuple[int, ...] = ()
    answer_mentions: bool = True
    cooldown_questions: int = 3
    cooldown_seconds: float = 30.0
    max_concurrent_answers: int = 2
    queue_timeout_seconds: float = 10.0
    defer_after_seconds: float = 1.5
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()
    reload_permission: str = "manage_guild"

    def validate(self) -> None:
        if not self.api_base_url.startswith(("https://", "http://")):
            raise ValueError("api_base_url must start with https:// (or http://)")
        if not self.gateway_url.startswith(("wss://", "ws://")):
            raise ValueError("gateway_url must start with wss:// (or ws://)")
        for name in ("guild_ids", "ephemeral_guild_ids"):
            if any(not 0 < guild <= _SNOWFLAKE_MAX for guild in getattr(self, name)):
                raise ValueError(f"{name} must hold Discord server ids (positive numbers)")
        if self.cooldown_questions < 1:
            raise ValueError("cooldown_questions must be at least 1")
        if not 0 <= self.cooldown_seconds <= 86_400:
            raise ValueError("cooldown_seconds must be between 0 (no cooldown) and 86400")
        if not 1 <= self.max_concurrent_answers <= 64:
            raise ValueError("max_concurrent_answers must be between 1 and 64")
        if not 0 < self.queue_timeout_seconds <= 600:
            raise ValueError("queue_timeout_seconds must be more than 0 and at most 600")
        if not 0 <= self.defer_after_seconds <= 2.5:
            raise ValueError(
                "defer_after_seconds must be between 0 and 2.5 (Discord's deadline is 3 s)"
            )
        self._validate_shards()
        if not _PERMISSION_NAME.match(self.reload_permission):
            raise ValueError(
                "reload_permission must be a Discord permission name such as manage_guild"
            )

    def _validate_shards(self) -> None:
        if self.shard_count is not None and not 1 <= self.shard_count <= 65_536:
            raise ValueError("shard_count must be at least 1 (or null: Discord's recommendation)")
        if not self.shard_ids:
            return
        if self.shard_count is None:
            raise ValueError("shard_ids needs shard_count (the total across all replicas)")
        if len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("shard_ids must not repeat an id")
        if any(not 0 <= shard < self.shard_count for shard in self.shard_ids):
            raise ValueError(f"shard_ids must be between 0 and {self.shard_count - 1}")


@dataclass(frozen=True)
class FeedbackSettings:
    """Where the 👍/👎 votes on Discord answers are kept (SQLite)."""

    path: str | None = None

    def validate(self) -> None:
        if self.path is not None and not self.path.strip():
            raise ValueError("path must not be empty (leave it out for the default)")


@dataclass(frozen=True)
class ConsoleSettings:
    """The interactive ``storybot console``."""

    history_file: str | None = None
    history_size: int = 1000
    colour: Literal["auto", "always", "never"] = "auto"

    def validate(self) -> None:
        if self.history_file is not None and not self.history_file.strip():
            raise ValueError("history_file must not be empty (leave it out for the default)")
        if not 0 <= self.history_size <= 100_000:
            raise ValueError("history_size must be between 0 (no history) and 100000")


@dataclass(frozen=True)
class AppSettings(EngineSettings):
    """Everything ``storybot`` reads."""

    logging: LoggingSettings = field(default_factory=LoggingSettings)
    ops: OpsSettings = field(default_factory=OpsSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> AppSettings:
    """Defaults, then ``path`` (or ``$STORYBOT_CONFIG``), then environment overrides."""
    env = os.environ if environ is None else environ
    if path is None and env.get("STORYBOT_CONFIG"):
        path = Path(env["STORYBOT_CONFIG"])
    return load(AppSettings, DEFAULT_CONFIG, path, env)


def with_overrides(
    settings: AppSettings, corpus: list[str] | None = None, index_dir: str | None = None
) -> AppSettings:
    """Apply command-line ``--corpus`` / ``--index-dir``, which win over config and environment."""
    if corpus:
        settings = replace(settings, corpus=replace(settings.corpus, paths=tuple(corpus)))
    if index_dir:
        settings = replace(settings, index=replace(settings.index, dir=index_dir))
    return settings


__all__ = [
    "AppSettings",
    "ConsoleSettings",
    "CorpusSettings",
    "DiscordSettings",
    "FeedbackSettings",
    "IndexSettings",
    "LoggingSettings",
    "OpsSettings",
    "load_settings",
    "with_overrides",
]
