"""How a ``Reply`` reaches Discord, within the interaction deadline and without pinging anyone.

``respond`` starts the work and answers at once when it is done within ``defer_after`` seconds;
otherwise it first defers ("StoryBot is thinking…", inside Discord's 3 s) and completes the
response when the work ends. ``deliver`` sends a reply whatever state the interaction is in, so
a private reply stays private even after a public "thinking" message (which is then removed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import discord

from bot.discord.render import Reply
from bot.discord.votes import vote_view

NO_PINGS = discord.AllowedMentions.none()
_DEFERRED = "storybot.deferred_private"  # in Interaction.extras while a deferral is unanswered


async def respond(
    interaction: discord.Interaction,
    work: Awaitable[Reply],
    *,
    private: bool,
    defer_after: float,
) -> None:
    """Send ``work``'s reply: directly if it is ready in time, else after a deferral."""
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=defer_after)
        if not done:
            await defer(interaction, private)
    except BaseException:
        task.add_done_callback(_discard)
        raise
    await deliver(interaction, await task)


async def defer(interaction: discord.Interaction, private: bool) -> None:
    """Acknowledge the interaction now ("thinking…"); the reply follows with ``deliver``."""
    await interaction.response.defer(ephemeral=private, thinking=True)
    interaction.extras[_DEFERRED] = private


async def deliver(interaction: discord.Interaction, reply: Reply) -> None:
    """Send ``reply`` as the response, the completion of a deferral, or a follow-up."""
    if not interaction.response.is_done():
        await interaction.response.send_message(ephemeral=reply.private, **_message(reply))
        return
    deferred_private = interaction.extras.pop(_DEFERRED, None)
    if deferred_private is None:
        await interaction.followup.send(ephemeral=reply.private, **_message(reply))
    elif reply.private and not deferred_private:
        await interaction.delete_original_response()
        await interaction.followup.send(ephemeral=True, **_message(reply))
    else:
        await interaction.edit_original_response(
            content=reply.content,
            embeds=list(reply.embeds),
            view=vote_view(reply.answer_id) if reply.answer_id else None,
            allowed_mentions=NO_PINGS,
        )


async def reply_to_message(message: discord.Message, reply: Reply) -> discord.Message:
    """Answer a message in its channel (a message reply cannot be private)."""
    return await message.channel.send(
        reference=message.to_reference(fail_if_not_exists=False),
        mention_author=False,
        **_message(reply),
    )


def _message(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"allowed_mentions": NO_PINGS}
    if reply.content is not None:
        message["content"] = reply.content
    if reply.embeds:
        message["embeds"] = list(reply.embeds)
    if reply.answer_id:
        message["view"] = vote_view(reply.answer_id)
    return message


def _discard(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()
