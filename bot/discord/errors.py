"""The one place that decides what a user is told when something fails.

Known errors (a question that is too long, a command used outside a server, ...) become a short
private reply in their own words. Anything else is logged with its context and a reference id, and
the user sees a generic apology carrying that id, so an operator can find the traceback.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.discord.render import Reply, error_reply, text_reply
from knowledge.errors import StoryBotError

log = logging.getLogger("bot.discord")


def reference_id() -> str:
    """A short id that ties a user's error message to its log record."""
    return secrets.token_hex(4).upper()


def unwrap(error: BaseException) -> BaseException:
    """The exception a command raised, without discord.py's wrapper."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    return error


def known_error_text(error: BaseException) -> str | None:
    """What to tell the user about an expected error; None for an unexpected one."""
    if isinstance(error, StoryBotError):
        text = str(error)
        return text[:1].upper() + text[1:]
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "That command is out of date; a server admin should run `storybot sync`."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works only in a server."
    if isinstance(error, app_commands.TransformerError):
        return "I couldn't read one of the options; please check it and try again."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


def error_reply_for(error: BaseException, context: dict[str, Any]) -> Reply:
    """The private reply for ``error``; unexpected errors are logged with a reference id."""
    error = unwrap(error)
    text = known_error_text(error)
    if text is not None:
        log.info("refused %s: %s", context.get("where", "?"), error)
        return text_reply(text)
    reference = reference_id()
    log.error(
        "unexpected error (reference %s) in %s",
        reference,
        context.get("where", "?"),
        exc_info=error,
        extra={"ctx_reference": reference, **{f"ctx_{k}": v for k, v in context.items()}},
    )
    return error_reply(reference)


def interaction_context(interaction: discord.Interaction) -> dict[str, Any]:
    """Where an interaction came from, for the log (no user id, no message text)."""
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = interaction.data.get("custom_id") if interaction.data else None
    return {
        "where": f"/{command}" if command else f"component {custom_id or '?'}",
        "interaction": interaction.id,
        "guild": interaction.guild_id,
        "channel": interaction.channel_id,
    }


def message_context(message: discord.Message) -> dict[str, Any]:
    return {
        "where": "mention",
        "message": message.id,
        "guild": message.guild.id if message.guild else None,
        "channel": message.channel.id,
    }
