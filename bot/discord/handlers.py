"""The calls that slash commands and buttons make into the bot (``StoryBotClient``).

Commands and buttons only parse what Discord sends and hand it over through this protocol, so
they need not import the client, and the client can import them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import discord


@runtime_checkable
class Handlers(Protocol):
    async def handle_ask(
        self, interaction: discord.Interaction, question: str, private: bool | None
    ) -> None: ...

    async def handle_sources(
        self, interaction: discord.Interaction, private: bool | None
    ) -> None: ...

    async def handle_help(self, interaction: discord.Interaction, private: bool | None) -> None: ...

    async def handle_reload(self, interaction: discord.Interaction) -> None: ...

    async def handle_vote(
        self, interaction: discord.Interaction, answer_id: str, vote: int
    ) -> None: ...


def handlers_of(interaction: discord.Interaction) -> Handlers:
    """The bot behind an interaction."""
    client = interaction.client
    if not isinstance(client, Handlers):
        raise TypeError(f"{type(client).__name__} does not implement StoryBot's handlers")
    return client
