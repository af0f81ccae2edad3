"""``storybot run``: the Discord bot, until SIGTERM or Ctrl-C (then it drains and exits 0)."""

from __future__ import annotations

import argparse
import asyncio

from bot.discord.launch import TOKEN_ENV, discord_token, serve
from bot.settings import AppSettings

NAME = "run"
HELP = f"run the Discord bot (the token comes from the {TOKEN_ENV} environment variable)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: everything else is configuration (see config/default.yaml, ``discord:``)."""


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    token = discord_token()
    return asyncio.run(serve(settings, token))
