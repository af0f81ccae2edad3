"""The slash commands, built from the settings (so ``/ask``'s length bound is the engine's).

No ``from __future__ import annotations`` here on purpose: discord.py reads the parameter
annotations at definition time, and ``Range[str, 1, limit]`` needs ``limit`` from the settings.
Each callback only hands its options to the bot (``bot.discord.handlers``).
"""

from typing import Any

import discord
from discord import app_commands

from bot.discord.handlers import handlers_of
from bot.settings import AppSettings
from knowledge.errors import ConfigError

PRIVATE = "Only you see the reply (default: this server's setting)"


def reload_permissions(permission: str) -> discord.Permissions:
    """The permission ``/reload`` needs, checked against discord.py's list of flags."""
    if permission not in discord.Permissions.VALID_FLAGS:
        raise ConfigError(
            f"config key 'discord.reload_permission': {permission!r} is not a Discord permission "
            "(e.g. manage_guild, administrator)"
        )
    return discord.Permissions(**{permission: True})


def build_commands(settings: AppSettings) -> list[app_commands.Command[Any, Any, Any]]:
    """``/ask``, ``/sources``, ``/help`` and ``/reload`` for this configuration."""
    limit = settings.limits.max_question_chars
    needed = reload_permissions(settings.discord.reload_permission)

    @app_commands.command(name="ask", description="Ask about the story; the answer quotes it")
    @app_commands.describe(
        question=f"Your question (up to {limit} characters)",
        private=PRIVATE,
    )
    async def ask(
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, limit],
        private: bool | None = None,
    ) -> None:
        await handlers_of(interaction).handle_ask(interaction, question, private)

    @app_commands.command(name="sources", description="List the articles StoryBot knows")
    @app_commands.describe(private=PRIVATE)
    async def sources(interaction: discord.Interaction, private: bool | None = None) -> None:
        await handlers_of(interaction).handle_sources(interaction, private)

    @app_commands.command(name="help", description="What StoryBot knows and how to ask it")
    @app_commands.describe(private="Only you see the reply (default: yes)")
    async def help_(interaction: discord.Interaction, private: bool | None = None) -> None:
        await handlers_of(interaction).handle_help(interaction, private)

    @app_commands.command(name="reload", description="Re-read the articles and update the index")
    @app_commands.guild_only()
    @app_commands.default_permissions(needed)
    async def reload(interaction: discord.Interaction) -> None:
        await handlers_of(interaction).handle_reload(interaction)

    return [ask, sources, help_, reload]
