"""``storybot sources``: the articles in the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys

from bot.engine_factory import open_engine
from bot.presentation.text import TextStyle, render_sources
from bot.settings import AppSettings

NAME = "sources"
HELP = "list the articles in the knowledge base"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per article")


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    engine = open_engine(settings)
    sources = engine.sources()
    if args.json:
        for s in sources:
            print(
                json.dumps(
                    {
                        "doc_id": s.doc_id,
                        "title": s.meta.title,
                        "outlet": s.meta.outlet,
                        "author": s.meta.author,
                        "url": s.meta.url,
                        "published": s.meta.published,
                        "paragraphs": s.paragraphs,
                    },
                    ensure_ascii=False,
                )
            )
        return 0
    print(render_sources(sources, TextStyle(colour=sys.stdout.isatty())))
    return 0
