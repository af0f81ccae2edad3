"""Embedding speed: `storybot index` against plain `SentenceTransformer.encode`, and the query
backends (PyTorch / ONNX Runtime, fp32 / int8) for latency and answer quality.

    python scripts/bench_embedding.py throughput [--rounds 2]
    python scripts/bench_embedding.py queries [--questions 300] [--answerable 1000]

``throughput``: indexes the public bench from scratch the way `storybot index --rebuild` does
(passages and their sentences: the index embeds both) and, in the same process with the same
model object and batch size, runs plain ``SentenceTransformer.encode`` over exactly the same
texts (one call, as a caller with all texts in hand would). Runs alternate, ``rounds`` times
each, so both see the same machine load; prints texts/s of each and the ratio. The index's figure
is end to end (reading, chunking, embedding, writing every file); its embedding stage alone is
shown too.

``queries``: one question at a time through the engine's query path (cache off), the backends
interleaved question by question: median / p95 latency and agreement (cosine) with PyTorch fp32;
then answer@1, hit@3 and paragraph R@1 on ``answerable`` sampled bench questions per backend, the
index (built by PyTorch fp32) shared.

The ONNX backends use the model exported on first use into
``.bench-cache/onnx``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_scale import load_average
from bench_squad import answerable_figures
from benchlib import (
    DEFAULT_BENCH,
    DEFAULT_CACHE,
    ParagraphMap,
    bench_settings,
    load_bench,
    open_bench_engine,
    sample,
    write_story,
)

from knowledge.embedding import SentenceTransformerEmbedder, configure_runtime
from knowledge.settings import ModelSettings

ONNX_CACHE = DEFAULT_CACHE / "onnx"
BACKENDS = {
    "torch-fp32": {"query_backend": "torch", "query_quantization": "none"},
    "torch-int8": {"query_backend": "torch", "query_quantization": "int8"},
    "onnx-fp32": {"query_backend": "onnx", "query_quantization": "none"},
    "onnx-int8": {"query_backend": "onnx", "query_quantization": "int8"},
}


def throughput(args: argparse.Namespace) -> None:
    from knowledge.engine import prepare_index

    docs, _ = load_bench(args.bench)
    embedder = SentenceTransformerEmbedder(ModelSettings(query_quantization="none"))
    batch = embedder.settings.batch_size
    texts: list[str] = []
    plain_rates, index_rates, stage_rates = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        story = write_story(docs, Path(tmp) / "story")
        for round_ in range(args.rounds):
            load = load_average()
            folder = Path(tmp) / f"index-{round_}"  # empty: every text is embedded
            settings = bench_settings(story, folder)
            stages: dict[str, float] = {}
            started = time.perf_counter()
            built, _ = prepare_index(settings, embedder, _stage_clock(stages))
            seconds = time.perf_counter() - started
            total = built.size + int(built.sentence_offsets[-1])
            texts = texts or indexed_texts(built, settings.chunking.title_in_embedding)
            built.close()
            shutil.rmtree(folder)
            embedding = stages["embedding:last"] - stages["embedding:first"]
            started = time.perf_counter()
            embedder._model.encode(
                texts,
                batch_size=batch,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            plain = len(texts) / (time.perf_counter() - started)
            plain_rates.append(plain)
            index_rates.append(total / seconds)
            stage_rates.append(total / embedding)
            print(
                f"round {round_ + 1}: {total} texts ({built.size} passages), batch {batch}: "
                f"storybot index {total / seconds:.1f} texts/s end to end ({seconds:.1f} s), "
                f"embedding stage {total / embedding:.1f} texts/s; plain encode of the same "
                f"texts {plain:.1f} texts/s; {load} -> {load_average()}",
                flush=True,
            )
    plain_mean = statistics.mean(plain_rates)
    print(
        json.dumps(
            {
                "texts": len(texts),
                "batch_size": batch,
                "plain_encode_texts_per_s": round(plain_mean, 1),
                "index_end_to_end_texts_per_s": round(statistics.mean(index_rates), 1),
                "index_embedding_stage_texts_per_s": round(statistics.mean(stage_rates), 1),
                "ratio_end_to_end": round(statistics.mean(index_rates) / plain_mean, 3),
                "ratio_embedding_stage": round(statistics.mean(stage_rates) / plain_mean, 3),
            }
        )
    )


def indexed_texts(index: Any, with_title: bool) -> list[str]:
    """The exact texts an index embedded: its passages, then their sentences."""
    from knowledge.vector_build import embedding_text, sentence_embedding_text

    passages = index.store.passages(list(range(index.size)))
    texts = []
    for passage in passages:
        texts.append(
            embedding_text(_Titled(index.store.meta(passage.doc_id).title), passage, with_title)
        )
    for passage in passages:
        article: Any = _Titled(index.store.meta(passage.doc_id).title)
        offset = passage.span.start
        texts += [
            sentence_embedding_text(
                article, passage.text[s.start - offset : s.end - offset], with_title
            )
            for s in passage.sentences
        ]
    return texts


def _stage_clock(stages: dict[str, float]) -> Any:
    """A progress callback noting when each stage was first and last reported."""

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stages.setdefault(f"{stage}:first", now)
        stages[f"{stage}:last"] = now

    return progress


class _Titled:
    """Just enough of an article for the embedding-text helpers: its title."""

    def __init__(self, title: str | None) -> None:
        self.meta = self
        self.title = title


def queries(args: argparse.Namespace) -> None:
    docs, questions = load_bench(args.bench)
    embedders = {
        name: SentenceTransformerEmbedder(
            ModelSettings(query_cache_size=0, onnx_cache=str(ONNX_CACHE), **options)  # type: ignore[arg-type]
        )
        for name, options in BACKENDS.items()
    }
    asked, _ = sample(questions, args.questions, 0, seed=3)
    texts = [q.question for q in asked]
    for embedder in embedders.values():
        embedder.encode_query(texts[0])
    latencies: dict[str, list[float]] = {name: [] for name in embedders}
    load = load_average()
    for text in texts:
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.encode_query(text)
            latencies[name].append((time.perf_counter() - started) * 1000.0)
    reference = embedders["torch-fp32"].encode_queries(texts[:100])
    figures: dict[str, Any] = {"questions": len(texts), "latency_load": load}
    for name, embedder in embedders.items():
        vectors = embedder.encode_queries(texts[:100])
        figures[name] = {
            "median_ms": round(statistics.median(latencies[name]), 2),
            "p95_ms": round(sorted(latencies[name])[int(0.95 * (len(texts) - 1))], 2),
            "cosine_to_torch_fp32": round(float(np.mean((vectors * reference).sum(axis=1))), 4),
        }
    print(json.dumps(figures, indent=1), flush=True)

    yes, _ = sample(questions, args.answerable, 0, seed=0)
    paragraphs = ParagraphMap(docs)
    engine = open_bench_engine(docs, DEFAULT_CACHE, embedder=embedders["torch-fp32"])
    quality: dict[str, Any] = {"answerable": len(yes), "load_at_start": load_average()}
    for name, embedder in embedders.items():
        swapped = type(engine)(engine.settings, engine.index, embedder)
        result = answerable_figures(swapped, yes, paragraphs)
        quality[name] = {
            key: round(float(result[key]), 4)
            for key in ("answer@1", "hit@3", "R@1", "answered_rate", "latency_median_ms")
        }
        print(name, json.dumps(quality[name]), load_average(), flush=True)
    quality["load_at_end"] = load_average()
    print(json.dumps(quality, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    commands = parser.add_subparsers(dest="command", required=True)
    speed = commands.add_parser("throughput", help="storybot index vs plain encode")
    speed.add_argument("--rounds", type=int, default=2)
    query = commands.add_parser("queries", help="query backends: latency and quality")
    query.add_argument("--questions", type=int, default=300)
    query.add_argument("--answerable", type=int, default=1000)
    args = parser.parse_args()
    configure_runtime(0)
    print(load_average(), flush=True)
    {"throughput": throughput, "queries": queries}[args.command](args)


if __name__ == "__main__":
    main()
