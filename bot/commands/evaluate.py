"""``storybot eval``: a quality report on a gold file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.engine_factory import open_engine
from bot.settings import AppSettings
from knowledge.evaluation import evaluate, read_gold

NAME = "eval"
HELP = "answer@1, hit@3, refusal rates and latency on a gold file (JSON lines)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", type=Path, metavar="GOLD.jsonl")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--failures", action="store_true", help="list every miss")


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    questions = read_gold(args.gold)
    engine = open_engine(settings)
    report = evaluate(questions, engine.ask)
    summary = report.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        width = max(len(key) for key in summary)
        for key, value in summary.items():
            print(f"{key:>{width}}: {'-' if value is None else value}")
    if args.failures:
        for graded in report.failures():
            verdict = "answered" if graded.answer.answered else "refused"
            print(
                f"\nMISS ({verdict}): {graded.gold.question}\n  expected one of: "
                f"{list(graded.gold.answers)}\n  answer: {graded.answer.answer[:200]}"
            )
    return 0
