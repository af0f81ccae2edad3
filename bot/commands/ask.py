"""``storybot ask``: answer one question, or many from a file or stdin, as text or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.engine_factory import open_engine
from bot.presentation.text import TextStyle, render_answer
from bot.settings import AppSettings
from knowledge.engine import Engine
from knowledge.errors import QuestionError, StoryBotError

NAME = "ask"
HELP = "answer a question about the story (builds the index first if needed)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="?", help="the question (quote it)")
    parser.add_argument(
        "--batch", metavar="FILE", help="answer one question per line of FILE ('-' for stdin)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per question")
    parser.add_argument("--top-k", type=int, metavar="N", help="at most N citations (1-10)")


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    if (args.question is None) == (args.batch is None):
        raise QuestionError("give either a QUESTION or --batch FILE (not both)")
    if args.top_k is not None and not 1 <= args.top_k <= 10:
        raise QuestionError("--top-k must be between 1 and 10")
    if args.question is not None:
        engine = open_engine(settings)
        _emit(engine, args.question, args, single=True)
        return 0
    lines = _batch_lines(args.batch)
    engine = open_engine(settings)
    for question in lines:
        _emit(engine, question, args, single=False)
    return 0


def _batch_lines(source: str) -> Iterator[str]:
    if source == "-":
        yield from (line.rstrip("\n") for line in sys.stdin)
        return
    try:
        with open(Path(source), encoding="utf-8") as handle:
            yield from (line.rstrip("\n") for line in handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise StoryBotError(f"cannot read questions from {source}: {exc}") from None


def _emit(engine: Engine, question: str, args: argparse.Namespace, single: bool) -> None:
    if not single and not question.strip():
        return
    try:
        answer = engine.ask(question, top_k=args.top_k)
    except QuestionError as exc:
        if single:
            raise
        if args.json:
            print(
                json.dumps(
                    {"question": question, "answered": False, "error": str(exc)}, ensure_ascii=False
                ),
                flush=True,
            )
        else:
            print(f"Q: {question}\n{exc}\n", flush=True)
        return
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        return
    style = TextStyle(colour=sys.stdout.isatty())
    prefix = "" if single else f"Q: {answer.question}\n"
    print(prefix + render_answer(answer, style) + ("" if single else "\n"), flush=True)
