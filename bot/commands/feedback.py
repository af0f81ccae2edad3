"""``storybot feedback``: what people thought of the bot's Discord answers (👍/👎)."""

from __future__ import annotations

import argparse
import json
import textwrap

from bot.feedback import FeedbackStore, FeedbackSummary, feedback_path
from bot.presentation.common import plural
from bot.settings import AppSettings

NAME = "feedback"
HELP = "summarise the 👍/👎 votes on Discord answers, weakest answers first"
USES_STORY = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="list at most N weak answers (10)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace, settings: AppSettings) -> int:
    path = feedback_path(settings.feedback.path)
    if not path.exists():
        print(f"No feedback yet ({path} does not exist).")
        return 0
    store = FeedbackStore(path)
    try:
        summary = store.summary(max(0, args.limit))
    finally:
        store.close()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(f"Feedback in {path}\n{describe(summary)}")
    return 0


def describe(summary: FeedbackSummary) -> str:
    """The summary as text: totals, then the answers with the most 👎."""
    lines = [f"{plural(summary.answers, 'answer')} shown with vote buttons"]
    if summary.votes:
        helpful = round(100 * summary.up / summary.votes)
        lines.append(
            f"{plural(summary.votes, 'vote')} from {summary.voters} "
            f"{'person' if summary.voters == 1 else 'people'}: "
            f"👍 {summary.up}, 👎 {summary.down} ({helpful}% helpful)"
        )
    else:
        lines.append("no votes yet")
    if summary.weakest:
        lines += ["", "Answers voted down (most 👎 first):"]
    for i, rated in enumerate(summary.weakest, start=1):
        lines.append(f"{i}. 👎 {rated.down} 👍 {rated.up}  {rated.created}  Q: {rated.question}")
        lines.append(textwrap.shorten(f"A: {rated.answer}", 300, placeholder=" …"))
        for citation in rated.citations:
            title = citation.get("title") or citation.get("doc_id")
            lines.append(f"   [{citation.get('n')}] {title}, paragraph {citation.get('paragraph')}")
    return "\n".join(lines)
