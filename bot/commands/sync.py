"""``storybot sync``: register the slash commands with Discord, deliberately.

In one or more servers (``--guild ID``, or ``discord.guild_ids``), where they appear at once, or
globally, where they can take up to an hour. Nothing is registered by ``storybot run`` unless
``discord.sync_on_start`` is on.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.discord.launch import discord_token, register
from bot.settings import AppSettings

NAME = "sync"
HELP = "register the slash commands with Discord (globally, or in a server with --guild ID)"
USES_STORY = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--guild",
        type=int,
        action="append",
        metavar="ID",
        help="register in this server only (repeatable; default: discord.guild_ids, else global)",
    )


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    token = discord_token()
    guilds = args.guild or list(settings.discord.guild_ids)
    for line in asyncio.run(register(settings, token, guilds)):
        print(f"Registered {line}")
    if not guilds:
        print("Global commands can take up to an hour to appear in every server.")
    return 0
