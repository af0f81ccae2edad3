"""``storybot index``: build or update the index (unchanged articles are not re-embedded)."""

from __future__ import annotations

import argparse

from bot.progress import ProgressBar
from bot.settings import AppSettings
from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import IndexReport, prepare_index
from knowledge.locations import index_folder

NAME = "index"
HELP = "build or update the index of the story's articles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rebuild", action="store_true", help="write a new index even if nothing changed"
    )


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    bar = ProgressBar()
    try:
        embedder = SentenceTransformerEmbedder(settings.model)
        index, report = prepare_index(settings, embedder, bar, update=True, force=args.rebuild)
        index.close()
    finally:
        bar.close()
    print(describe(report, str(index_folder(settings))))
    return 0


def describe(report: IndexReport, where: str) -> str:
    """A short account of what an index update did."""
    if not report.rebuilt:
        head = f"Index is up to date: {report.articles} articles, {report.passages} passages"
    else:
        head = (
            f"Indexed {report.articles} articles ({report.passages} passages) in "
            f"{report.seconds:.1f} s: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.removed)} removed"
        )
    lines = [f"{head}.", f"Index folder: {where}"]
    lines += [f"Skipped {path}: {reason}" for path, reason in report.skipped]
    return "\n".join(lines)
