"""The 👍/👎 buttons under every answer.

They are ``DynamicItem``s: the answer id and the vote travel in the button's ``custom_id``, so any
running bot (after a restart, or another replica) handles a click on any answer it ever sent,
without keeping a view per message in memory.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord.handlers import handlers_of
from bot.feedback import DOWN, UP

TEMPLATE = r"storybot:vote:(?P<answer>[0-9a-f]{16}):(?P<vote>up|down)"
EMOJI = {"up": "👍", "down": "👎"}


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One vote button of one answer."""

    def __init__(self, answer_id: str, vote: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji=EMOJI[vote],
                custom_id=f"storybot:vote:{answer_id}:{vote}",
            )
        )
        self.answer_id = answer_id
        self.vote = vote

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(match["answer"], match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        vote = UP if self.vote == "up" else DOWN
        await handlers_of(interaction).handle_vote(interaction, self.answer_id, vote)


def vote_view(answer_id: str) -> discord.ui.View:
    """The two buttons for one recorded answer."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(answer_id, "up"))
    view.add_item(VoteButton(answer_id, "down"))
    return view
