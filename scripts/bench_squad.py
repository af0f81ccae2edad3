"""Quality and speed of the real engine on the public SQuAD bench; prints the figures.

    python scripts/bench_squad.py [--bench DIR] [--cache DIR] [--answerable 2000]
                                  [--unanswerable 1000] [--ooc-per-article 40] [--no-build-timing]

Measures (same definitions as ``../shared/bench/README.md``): paragraph R@1/R@5 and MRR@10,
answer@1 (a gold string in the <=300-character answer text), hit@3 (in any of the first three
cited snippets), out-of-collection refusal (each article removed from the index in turn, its
questions asked) and answered rate at the shipped threshold, SQuAD 2.0 unanswerables refused,
index build passages/s from scratch, and warm single-question latency.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import (
    DEFAULT_BENCH,
    DEFAULT_CACHE,
    BenchDoc,
    BenchQuestion,
    ParagraphMap,
    bench_settings,
    has_answer,
    load_bench,
    open_bench_engine,
    sample,
    write_story,
)

from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine


def answerable_figures(
    engine: Engine, questions: Sequence[BenchQuestion], paragraphs: ParagraphMap
) -> dict[str, float]:
    ranks: list[int | None] = []
    answer_hits, top3_hits, answered, latencies = [], [], [], []
    for q in questions:
        started = time.perf_counter()
        analysis = engine.analyse(q.question)
        answer = engine.compose(analysis, 3, started)
        latencies.append(answer.latency_ms)
        ids = [c.passage_id for c in analysis.retrieval.candidates[:10]]
        passages = analysis.index.store.passages(ids)
        ranks.append(next((i for i, p in enumerate(passages) if paragraphs.is_gold(p, q)), None))
        answered.append(answer.answered)
        # Quality of the answer text itself, whether or not the threshold let it through.
        shown = (
            engine.compose(analysis, 3, started) if answer.answered else _forced(engine, analysis)
        )
        answer_hits.append(has_answer(shown.answer, q) and len(shown.answer) <= 300)
        top3_hits.append(any(has_answer(c.snippet, q) for c in shown.citations[:3]))
    n = len(questions)
    return {
        "questions": n,
        "R@1": sum(r == 0 for r in ranks) / n,
        "R@5": sum(r is not None and r < 5 for r in ranks) / n,
        "MRR@10": sum(1 / (r + 1) for r in ranks if r is not None) / n,
        "answer@1": sum(answer_hits) / n,
        "hit@3": sum(top3_hits) / n,
        "answered_rate": sum(answered) / n,
        "answer@1_when_answered": _rate(
            [h for h, a in zip(answer_hits, answered, strict=True) if a]
        ),
        "latency_median_ms": statistics.median(latencies),
        "latency_p95_ms": sorted(latencies)[int(0.95 * (n - 1))],
    }


def _forced(engine: Engine, analysis: object) -> object:
    """Compose the answer even below the confidence threshold (to grade selection alone)."""
    from dataclasses import replace

    forced = replace(analysis, confidence=1.0)  # type: ignore[type-var]
    return engine.compose(forced, 3, time.perf_counter())


def _rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def unanswerable_refusal(engine: Engine, questions: Sequence[BenchQuestion]) -> float:
    return _rate([not engine.ask(q.question).answered for q in questions])


def out_of_collection(
    engine: Engine,
    docs: Sequence[BenchDoc],
    questions: Sequence[BenchQuestion],
    per_article: int,
    cache: Path,
) -> tuple[float, int]:
    """Refusal rate when each question's whole article is removed from the index."""
    refused: list[bool] = []
    for doc in docs:
        asked = [q for q in questions if q.doc_id == doc.doc_id][:per_article]
        if not asked:
            continue
        folder = cache / "loo"
        story = write_story(docs, folder / "story", skip=doc.doc_id)
        index = folder / "index"
        if index.exists():
            shutil.rmtree(index)
        shutil.copytree(cache / "index", index)
        held_out = Engine.open(bench_settings(story, index), embedder=engine.embedder)
        refused += [not held_out.ask(q.question).answered for q in asked]
        held_out.close()
    return _rate(refused), len(refused)


def build_speed(
    docs: Sequence[BenchDoc], embedder: SentenceTransformerEmbedder
) -> dict[str, float]:
    """Index the whole bench from scratch; passages per second end to end."""
    with tempfile.TemporaryDirectory() as tmp:
        story = write_story(docs, Path(tmp) / "story")
        started = time.perf_counter()
        engine = Engine.open(bench_settings(story, Path(tmp) / "index"), embedder=embedder)
        seconds = time.perf_counter() - started
        passages = engine.index.size
        sentences = int(engine.index.sentence_offsets[-1])
        engine.close()
    return {
        "passages": passages,
        "sentences": sentences,
        "build_seconds": seconds,
        "passages_per_second": passages / seconds,
        "texts_per_second": (passages + sentences) / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--answerable", type=int, default=2000)
    parser.add_argument("--unanswerable", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ooc-per-article", type=int, default=40)
    parser.add_argument("--no-build-timing", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    docs, questions = load_bench(args.bench)
    yes, no = sample(questions, args.answerable, args.unanswerable, args.seed)
    engine = open_bench_engine(docs, args.cache)
    figures: dict[str, object] = {"bench": str(args.bench), "sample_seed": args.seed}
    figures["answerable"] = answerable_figures(engine, yes, ParagraphMap(docs))
    figures["squad2_unanswerable_refused"] = unanswerable_refusal(engine, no)
    rate, count = out_of_collection(engine, docs, yes, args.ooc_per_article, args.cache)
    figures["out_of_collection"] = {"questions": count, "refused": rate}
    figures["min_confidence"] = engine.settings.answer.min_confidence
    if not args.no_build_timing:
        embedder = engine.embedder
        assert isinstance(embedder, SentenceTransformerEmbedder)
        figures["index_build"] = build_speed(docs, embedder)
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    _print(figures)


def _print(figures: dict[str, object], indent: str = "") -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print(value, indent + "  ")
        elif isinstance(value, float):
            print(f"{indent}{key}: {value:.3f}")
        else:
            print(f"{indent}{key}: {value}")


if __name__ == "__main__":
    main()
