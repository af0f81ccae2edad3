"""``storybot console``: ask questions about the story in a terminal (no token, no network)."""

from __future__ import annotations

import argparse
import sys

from bot.console import session
from bot.engine_factory import open_engine
from bot.settings import AppSettings

NAME = "console"
HELP = "ask questions interactively, with the same cited answers as the Discord bot"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options beyond the story's: see config/default.yaml, ``console:``."""


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    if sys.stdin.isatty():
        print("Loading the story…", file=sys.stderr, flush=True)
    engine = open_engine(settings, warm=True)
    try:
        return session(engine, settings.console, sys.stdin, sys.stdout)
    finally:
        engine.close()
