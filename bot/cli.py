"""The ``storybot`` command line: one entry point that wires settings -> engine -> front end.

Each sub-command lives in its own module under ``bot.commands`` exposing ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args, settings) -> exit code``. User mistakes end in one
readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from bot import __version__
from bot.logging_setup import configure_logging
from bot.settings import load_settings, with_overrides
from knowledge.errors import StoryBotError

COMMAND_MODULES = (
    "bot.commands.ask",
    "bot.commands.index",
    "bot.commands.sources",
    "bot.commands.evaluate",
    "bot.commands.healthcheck",
    "bot.commands.run",
    "bot.commands.sync",
    "bot.commands.console",
    "bot.commands.feedback",
)
EXIT_USAGE = 2

log = logging.getLogger("storybot")


def _commands() -> dict[str, ModuleType]:
    modules = [importlib.import_module(name) for name in COMMAND_MODULES]
    return {module.NAME: module for module in modules}


def build_parser(commands: dict[str, ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storybot",
        description="Answers questions about a news story with verbatim, cited quotes.",
    )
    parser.add_argument("--version", action="version", version=f"storybot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in commands.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        command.add_argument(
            "--config", type=Path, metavar="FILE", help="YAML settings (default: the shipped ones)"
        )
        command.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
        if getattr(module, "USES_STORY", True):
            command.add_argument(
                "--corpus",
                action="append",
                metavar="DIR",
                help="story folder(s) to use instead of the default story (repeatable)",
            )
            command.add_argument("--index-dir", metavar="DIR", help="where the index is kept")
        module.add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    commands = _commands()
    args = build_parser(commands).parse_args(argv)
    try:
        settings = with_overrides(
            load_settings(args.config),
            corpus=getattr(args, "corpus", None),
            index_dir=getattr(args, "index_dir", None),
        )
        configure_logging(settings.logging, verbose=args.verbose)
        code = int(commands[args.command].run(args, settings))
        sys.stdout.flush()  # here, so that a reader gone away is caught below, not at exit
        return code
    except StoryBotError as exc:
        print(f"storybot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("storybot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`storybot ask --batch - | head`): stop quietly. What is still
        # buffered goes nowhere, so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
