"""The gold questions as people type them in a chat: with greetings, mentions and thanks.

    python scripts/bench_chatty.py [--gold FILE]

Every question of the gold file is asked once as written and once inside each chat frame below
("hey, {q}", "@everyone {q}", "can you tell me {q} thanks"...). Prints answer@1, hit@3 and the
refusal rate of the out-of-scope questions for the plain questions and for every frame, and how
many chatty questions got a different answer text from the plain one. A chat frame should
change nothing: the same answer, and still "not found" for what the story does not say.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

FRAMES = (
    "hey, {q}",
    "hi bot! {q}",
    "@everyone {q}",
    "<@1234567890> {q}",
    "quick q - {q}",
    "ok so {q}",
    "can you tell me {q}",
    "I was wondering, {q}",
    "{q} thanks!",
    "{q} lol",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=PROJECT / "tests/gold/default_story.jsonl")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot.settings import load_settings
    from knowledge.engine import Engine
    from knowledge.evaluation import GoldQuestion, evaluate, read_gold

    engine = Engine.open(load_settings(None))
    gold = read_gold(args.gold)
    written = evaluate(gold, engine.ask)
    plain = {graded.gold.question: graded.answer.answer for graded in written.graded}
    rows = [("as written", written.summary(), 0)]
    for frame in FRAMES:
        framed = [GoldQuestion(frame.format(q=g.question), g.answers, g.answerable) for g in gold]
        report = evaluate(framed, engine.ask)
        changed = sum(
            graded.answer.answer != plain[g.question]
            for g, graded in zip(gold, report.graded, strict=True)
        )
        rows.append((frame, report.summary(), changed))
    print(f"{'frame':<24} {'answer@1':>8} {'hit@3':>6} {'refused':>8} {'changed':>8}")
    for name, summary, changed in rows:
        print(
            f"{name:<24} {summary['answer_at_1'] or 0:>8.3f} {summary['hit_at_3'] or 0:>6.3f} "
            f"{summary['refusal_rate'] or 0:>8.3f} {changed:>5}/{len(gold)}"
        )
    engine.close()


if __name__ == "__main__":
    main()
