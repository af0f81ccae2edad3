"""Quality with each SQuAD bench article (or group of articles) alone as the story.

    python scripts/bench_single_story.py [--articles 1] [--bench DIR] [--cache DIR]
                                         [--per-article 30] [--strangers 15] [--seed 0]

A news story is one topic in a few dozen passages, unlike the bench's 24-article archive. Here
every article in turn (or every run of ``--articles`` consecutive articles) is the whole story,
its index derived from the archive's, so nothing is embedded again. Each story is asked: up to
``--per-article`` answerable questions per article from the seed's 2,000-question sample
(answer@1, answered rate, right when answered, and answer@1 if every question were answered),
``--strangers`` answerable questions per article from the other articles (they should be
refused), and up to ``--strangers`` SQuAD 2.0 unanswerables per article (refused rate).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import (
    DEFAULT_BENCH,
    DEFAULT_CACHE,
    BenchQuestion,
    derived_engine,
    has_answer,
    load_bench,
    open_bench_engine,
    sample,
)


def _per_article(
    questions: Sequence[BenchQuestion], group: set[str], cap: int
) -> list[BenchQuestion]:
    """The first ``cap`` questions of each article in ``group`` (in sample order)."""
    return [
        q for doc_id in sorted(group) for q in [q for q in questions if q.doc_id == doc_id][:cap]
    ]


def _rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1, help="articles per story")
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-article", type=int, default=30)
    parser.add_argument("--strangers", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    docs, questions = load_bench(args.bench)
    yes, no = sample(questions, 2000, 1000, args.seed)
    archive = open_bench_engine(docs, args.cache)
    rng = random.Random(args.seed + 1)
    right, answered, forced, strangers_refused, unanswerable_refused = [], [], [], [], []
    sizes = []
    ids = [d.doc_id for d in docs]
    for first in range(0, len(ids), args.articles):
        group = set(ids[first : first + args.articles])
        story = derived_engine(archive, docs, args.cache, only=group)
        sizes.append(story.index.size)
        own = _per_article(yes, group, args.per_article)
        for q in own:
            analysis = story.analyse(q.question)
            answer = story.compose(analysis, 3, time.perf_counter())
            shown = story.compose(replace(analysis, confidence=1.0), 3, time.perf_counter())
            answered.append(answer.answered)
            right.append(answer.answered and has_answer(answer.answer, q))
            forced.append(has_answer(shown.answer, q))
        count = args.strangers * len(group)
        others = rng.sample([q for q in yes if q.doc_id not in group], count)
        strangers_refused += [not story.ask(q.question).answered for q in others]
        own_unanswerable = _per_article(no, group, args.strangers)
        unanswerable_refused += [not story.ask(q.question).answered for q in own_unanswerable]
        story.close()
    print(f"stories: {len(sizes)} (passages {min(sizes)}-{max(sizes)})")
    print(f"answerable questions: {len(right)}")
    print(f"  answer@1: {_rate(right):.3f}")
    print(f"  answered_rate: {_rate(answered):.3f}")
    given = [r for r, a in zip(right, answered, strict=True) if a]
    print(f"  answer@1_when_answered: {_rate(given):.3f}")
    print(f"  answer@1_if_all_answered: {_rate(forced):.3f}")
    print(
        f"other articles' questions refused ({len(strangers_refused)}): "
        f"{_rate(strangers_refused):.3f}"
    )
    print(
        f"SQuAD 2.0 unanswerables refused ({len(unanswerable_refused)}): "
        f"{_rate(unanswerable_refused):.3f}"
    )


if __name__ == "__main__":
    main()
