"""Where retrieval puts the passage that answers each gold question about the default story.

    python scripts/bench_gold_retrieval.py [--gold FILE] [--list]

For every answerable gold question, the rank of the first retrieved passage that contains one of
its acceptable answers. Prints R@1, R@5, R@10 (the answer sentence is chosen from the first 10
passages, `answer.passages_considered`) and MRR; with ``--list``, each question's rank. It tells a
retrieval miss (the passage is never scored) from a selection miss (it is, and loses).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

NOT_FOUND = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=PROJECT / "tests/gold/default_story.jsonl")
    parser.add_argument("--list", action="store_true", help="print every question's rank")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot.settings import load_settings
    from knowledge.engine import Engine
    from knowledge.evaluation import contains_any, read_gold

    engine = Engine.open(load_settings(None))
    ranks = []
    for gold in read_gold(args.gold):
        if not gold.answerable:
            continue
        candidates = engine.analyse(gold.question).retrieval.candidates
        passages = engine.index.store.passages([c.passage_id for c in candidates])
        rank = next(
            (i for i, p in enumerate(passages) if contains_any(p.text, gold.answers)), NOT_FOUND
        )
        ranks.append(rank)
        if args.list:
            print(f"{rank if rank < NOT_FOUND else '-':>3}  {gold.question}")
    engine.close()
    count = len(ranks)
    print(f"questions: {count}")
    for k in (1, 5, 10):
        print(f"R@{k}: {sum(r < k for r in ranks) / count:.3f}")
    print(f"MRR: {sum(1 / (r + 1) for r in ranks) / count:.3f}")


if __name__ == "__main__":
    main()
