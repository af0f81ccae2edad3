"""Scale benchmarks: the vector layer at 10k / 100k / 1M passages, and the whole engine at 1M.

    python scripts/bench_scale.py vectors [--sizes 10000,100000,1000000] [--queries 300]
    python scripts/bench_scale.py build   [--passages 1000000] [--sentence-vectors float16]
    python scripts/bench_scale.py engine  [--passages 1000000] [--questions 300]
                                          [--query-backend torch|onnx] [--sentence-vectors ...]

Vectors are derived from real ones: the public bench's passage and sentence embeddings
(all-MiniLM-L6-v2, 384-d), each copied many times with Gaussian noise added (noise norm 0.62, so
a copy keeps cosine 0.85 with its original and two copies of one passage sit at ~0.72, the median
nearest-neighbour cosine between real bench passages). Queries are real bench questions,
embedded by the model.

``vectors``: for each size, builds the structure the index would choose (``index.vector_search:
auto``), then in a fresh process loads it and reports load time, resident memory (RSS: anonymous
and file-backed) before and after the queries, single-query latency median / p99 and recall@10
against exact search; exact (flat) search latency is shown for reference.

``build``: writes a synthetic newsroom archive (the bench's articles copied until there are ~1M
passages, each copy's title marked "#n") and indexes it with the real ``build_index``, except that
the model is replaced by a replay of the real vectors plus noise, so nothing runs 1M times. The
build is resumable like any other: interrupt it and run the command again.

``engine``: in a fresh process, loads the real model and the 1M index as ``storybot`` does and
asks bench questions one at a time (query cache off): median / p95 of the whole answer
(embedding + hybrid retrieval + answer selection) and of each part, load time, and RSS.

Every timing line carries the load average: the machine is shared. Caches live in
``.bench-cache/scale``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import (
    DEFAULT_BENCH,
    DEFAULT_CACHE,
    bench_settings,
    file_name,
    load_bench,
    open_bench_engine,
    sample,
)

from knowledge.embedding import configure_runtime

NOISE = 0.62
SCALE_CACHE = DEFAULT_CACHE / "scale"
COPY = re.compile(r"^(?P<title>.*?) #(?P<copy>\d+)(?P<sep>\n|\. )(?P<body>.*)$", re.DOTALL)


# ---------------------------------------------------------------- measuring


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def memory() -> dict[str, float]:
    """Resident memory of this process in MB: total, anonymous (heap) and file-backed (mmap)."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file"}
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in fields:
            found[fields[key]] = int(value.split()[0]) / 1024.0
    return found


def resident_files(folder: Path) -> dict[str, float]:
    """Resident MB of each file of ``folder`` mapped into this process (from /proc/self/smaps)."""
    found: dict[str, float] = {}
    current = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and not parts[0].endswith(":"):
            path = parts[5] if len(parts) >= 6 else ""
            current = Path(path).name if path.startswith(str(folder)) else None
        elif parts and parts[0] == "Rss:" and current:
            found[current] = found.get(current, 0.0) + int(parts[1]) / 1024.0
    return {name: round(mb, 1) for name, mb in sorted(found.items())}


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process (clean memory figures); it prints one JSON line."""
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------- real vectors


def base_index(bench: Path) -> Any:
    """The real engine's index over the public bench (built with the model once, then cached)."""
    docs, _ = load_bench(bench)
    return open_bench_engine(docs, DEFAULT_CACHE)


def base_vectors(bench: Path) -> np.ndarray:
    """The bench's real passage and sentence vectors (cached as one array)."""
    path = SCALE_CACHE / "base.npy"
    if not path.exists():
        engine = base_index(bench)
        index = engine.index
        passages = np.load(index.folder / "vectors.npy")
        sentences = np.asarray(index.sentence_vectors, dtype=np.float32)
        SCALE_CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, np.concatenate([passages, sentences]))
        engine.close()
    return np.load(path)


def question_vectors(bench: Path, count: int) -> np.ndarray:
    """Real bench questions embedded by the real model (fp32), cached."""
    path = SCALE_CACHE / f"questions-{count}.npy"
    if not path.exists():
        from knowledge.embedding import SentenceTransformerEmbedder
        from knowledge.settings import ModelSettings

        _, questions = load_bench(bench)
        asked, _ = sample(questions, count, 0, seed=1)
        embedder = SentenceTransformerEmbedder(ModelSettings(query_quantization="none"))
        SCALE_CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, embedder.encode([q.question for q in asked]))
    return np.load(path)


def noisy_copies(base: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors: row i is base[i % len(base)] plus noise (the first copy exact)."""
    rng = np.random.default_rng(seed)
    dim = base.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        rows = np.arange(start, min(n, start + 100_000))
        part = base[rows % len(base)].astype(np.float32)
        noise = rng.standard_normal(part.shape, dtype=np.float32) * (NOISE / np.sqrt(dim))
        part += np.where((rows < len(base))[:, None], 0.0, noise)
        out[rows] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return out


# ---------------------------------------------------------------- vectors


def bench_vectors(args: argparse.Namespace) -> None:
    from knowledge.settings import IndexSettings
    from knowledge.vectors import VectorIndex, exact_top

    base = base_vectors(args.bench)
    queries = question_vectors(args.bench, args.queries)
    folder = SCALE_CACHE / "vectors"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"base: {len(base)} real vectors; queries: {len(queries)} real questions")
    for size in args.sizes:
        vectors = noisy_copies(base, size)
        started = time.perf_counter()
        truth = exact_top(vectors, queries, 10)
        exact_seconds = time.perf_counter() - started
        flat = VectorIndex.build(vectors, IndexSettings(vector_search="flat"))
        flat_latency = _latencies(flat, queries[: max(10, min(len(queries), 2_000_000 // size))])
        del flat
        load = load_average()
        started = time.perf_counter()
        index = VectorIndex.build(vectors, IndexSettings(), tuning_queries=_tuning(vectors))
        build_seconds = time.perf_counter() - started
        index.save(folder / f"{size}.faiss")
        layout = index.layout
        del index, vectors
        np.save(folder / "queries.npy", queries)
        np.save(folder / f"truth-{size}.npy", truth)
        probe = run_child(
            ["_probe-vectors", str(folder / f"{size}.faiss"), json.dumps(layout), str(size)]
        )
        print(
            json.dumps(
                {
                    "passages": size,
                    "structure": layout,
                    "build_seconds": round(build_seconds, 1),
                    "build_load": load,
                    "exact_batch_truth_seconds": round(exact_seconds, 1),
                    "flat_search_median_ms": round(statistics.median(flat_latency), 2),
                    **probe,
                }
            ),
            flush=True,
        )


def _tuning(vectors: np.ndarray) -> np.ndarray:
    """Tuning queries as a build would take them: a sample of its own (sentence) vectors."""
    rows = np.sort(np.random.default_rng(7).permutation(len(vectors))[:128])
    return np.ascontiguousarray(vectors[rows])


def _latencies(index: Any, queries: np.ndarray) -> list[float]:
    index.search(queries[0], 10)
    out = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, 10)
        out.append((time.perf_counter() - started) * 1000.0)
    return out


def probe_vectors(path: str, layout_json: str, size: str) -> None:
    """Child: load a saved vector index, query it, report memory, latency and recall."""
    configure_runtime(0)
    from knowledge.vectors import VectorIndex, recall

    folder = Path(path).parent
    queries = np.load(folder / "queries.npy")
    truth = np.load(folder / f"truth-{size}.npy")
    before = memory()
    started = time.perf_counter()
    index = VectorIndex.load(Path(path), json.loads(layout_json))
    load_seconds = time.perf_counter() - started
    loaded = memory()
    load = load_average()
    latencies = _latencies(index, queries)
    found = np.stack([_pad(index.search(q, 10)[1]) for q in queries])
    after = memory()
    print(
        json.dumps(
            {
                "load_seconds": round(load_seconds, 2),
                "index_rss_mb": round(loaded["rss"] - before["rss"], 1),
                "index_rss_after_queries_mb": round(after["rss"] - before["rss"], 1),
                "process_rss_mb": round(after["rss"], 1),
                "search_median_ms": round(statistics.median(latencies), 3),
                "search_p99_ms": round(percentile(latencies, 0.99), 3),
                "recall_at_10": round(recall(found, truth), 4),
                "queries": len(queries),
                "search_load": load,
            }
        )
    )


def _pad(ids: np.ndarray) -> np.ndarray:
    return np.concatenate([ids, -np.ones(10 - len(ids), dtype=ids.dtype)])


# ---------------------------------------------------------------- the synthetic archive


class ReplayEmbedder:
    """Stands in for the model when indexing the synthetic archive: copy ``n`` of a bench text
    gets the real vector of the original plus noise, so a build costs microseconds per text
    instead of milliseconds. The noise is seeded by the texts of each call: the build's groups
    are the same on every run, so a build is deterministic and resumable."""

    def __init__(self, originals: dict[str, np.ndarray], dimension: int) -> None:
        self._originals = originals
        self._dimension = dimension
        self.missing = 0

    @property
    def identity(self) -> str:
        return "default"  # so the real model can open the index

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Any:
        digest = hashlib.blake2b(digest_size=8)
        for text in texts:
            digest.update(text.encode())
        rng = np.random.default_rng(int.from_bytes(digest.digest(), "little"))
        noise = rng.standard_normal((len(texts), self._dimension), dtype=np.float32)
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            match = COPY.match(text)
            original = f"{match['title']}{match['sep']}{match['body']}" if match else text
            vector = self._originals.get(original)
            if vector is None:
                self.missing += 1
                vector = noise[row] / np.linalg.norm(noise[row])
            out[row] = vector
            if match is None:
                noise[row] = 0.0
        out += noise * (NOISE / np.sqrt(self._dimension))
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress:
            progress(len(texts))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return np.asarray(self.encode([text]))[0]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.encode(texts))

    def word_vectors(self) -> None:
        return None


def originals(bench: Path) -> tuple[dict[str, np.ndarray], int]:
    """Every bench passage's and sentence's embedding text with its real vector; the number of
    passages of the bench."""
    from knowledge.vector_build import read_vectors

    engine = base_index(bench)
    index = engine.index
    stored = read_vectors(index.folder)
    with_title = engine.settings.chunking.title_in_embedding
    table: dict[str, np.ndarray] = {}
    passages = index.store.passages(list(range(index.size)))
    for passage in passages:
        title = index.store.meta(passage.doc_id).title
        prefix = f"{title}\n" if with_title and title else ""
        table[prefix + passage.text] = np.asarray(stored.passages[passage.passage_id], np.float32)
        first = int(stored.offsets[passage.passage_id])
        for n, span in enumerate(passage.sentences):
            text = passage.text[span.start - passage.span.start : span.end - passage.span.start]
            head = f"{title}. " if with_title and title else ""
            table[head + text] = stored.sentence_rows(first + n, first + n + 1)[0]
    engine.close()
    return table, len(passages)


def archive_paths(passages: int, sentence_vectors: str) -> tuple[Path, Path]:
    tag = f"{passages // 1000}k"
    suffix = "" if sentence_vectors == "float16" else f"-{sentence_vectors}"
    return SCALE_CACHE / f"story-{tag}", SCALE_CACHE / f"index-{tag}{suffix}"


def write_archive(bench: Path, passages: int, per_copy: int, folder: Path) -> int:
    """The bench articles copied (title marked "#n") until there are about ``passages``."""
    docs, _ = load_bench(bench)
    copies = max(1, round(passages / per_copy))
    marker = folder / f".complete-{copies}"
    if marker.exists():
        return copies
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for copy in range(copies):
        for doc in docs:
            title = doc.title if copy == 0 else f"{doc.title} #{copy}"
            body = "\n\n".join(doc.paragraphs)
            name = file_name(doc.doc_id)[:-4] + ("" if copy == 0 else f"__c{copy:04d}") + ".txt"
            (folder / name).write_text(f"{title}\n\n{body}\n", "utf-8")
    marker.touch()
    return copies


def build_archive(args: argparse.Namespace) -> None:
    from knowledge.engine import prepare_index

    story, index_dir = archive_paths(args.passages, args.sentence_vectors)
    table, per_copy = originals(args.bench)
    started = time.perf_counter()
    copies = write_archive(args.bench, args.passages, per_copy, story)
    seconds = time.perf_counter() - started
    print(f"archive: {copies} copies of the bench in {story} ({seconds:.0f}s)")
    embedder = ReplayEmbedder(table, len(next(iter(table.values()))))
    settings = _archive_settings(story, index_dir, args.sentence_vectors)
    stages: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            stages[str(last[1])] = stages.get(str(last[1]), 0.0) + now - float(last[0])
        last[0], last[1] = now, stage
        if stage == "embedding" and done and done % 200_000 < 1024:
            print(f"  embedding {done}/{total} {load_average()}", flush=True)

    load = load_average()
    started = time.perf_counter()
    index, report = prepare_index(settings, embedder, progress)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    progress("done", 0, 0)
    files = {p.name: p.stat().st_size for p in index.folder.rglob("*") if p.is_file()}
    print(
        json.dumps(
            {
                "articles": report.articles,
                "passages": index.size,
                "sentences": int(index.sentence_offsets[-1]),
                "vector_index": index.manifest.vector_index,
                "build_seconds": round(seconds, 1),
                "stage_seconds": {k: round(v, 1) for k, v in stages.items()},
                "disk_mb": {k: round(v / 2**20, 1) for k, v in sorted(files.items())},
                "replay_misses": embedder.missing,
                "load_at_start": load,
                "load_at_end": load_average(),
            },
            indent=1,
        )
    )
    index.close()


def _archive_settings(story: Path, index_dir: Path, sentence_vectors: str) -> Any:
    settings = bench_settings(story, index_dir)
    return replace(settings, index=replace(settings.index, sentence_vectors=sentence_vectors))


# ---------------------------------------------------------------- the whole engine


def bench_engine(args: argparse.Namespace) -> None:
    story, index_dir = archive_paths(args.passages, args.sentence_vectors)
    if not (index_dir / "CURRENT").exists():
        raise SystemExit(f"no archive index in {index_dir}: run `bench_scale.py build` first")
    result = run_child(
        [
            "_probe-engine",
            str(story),
            str(index_dir),
            args.sentence_vectors,
            args.query_backend,
            str(args.questions),
            str(args.bench),
        ]
    )
    print(json.dumps(result, indent=1))


def probe_engine(
    story: str, index_dir: str, sentence_vectors: str, query_backend: str, count: str, bench: str
) -> None:
    """Child: the engine as ``storybot`` opens it, over the archive; one question at a time."""
    configure_runtime(0)
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.engine import Engine, prepare_index
    from knowledge.retrieval import retrieve

    start = memory()
    settings = _archive_settings(Path(story), Path(index_dir), sentence_vectors)
    model = replace(settings.model, query_cache_size=0, query_backend=query_backend)
    settings = replace(settings, model=model)
    embedder = SentenceTransformerEmbedder(settings.model)
    with_model = memory()
    started = time.perf_counter()
    index, _ = prepare_index(settings, embedder, update=False)
    open_seconds = time.perf_counter() - started
    opened = memory()
    engine = Engine(settings, index, embedder)
    _, questions = load_bench(Path(bench))
    asked, _ = sample(questions, int(count), 0, seed=2)
    texts = [q.question for q in asked]
    for text in texts[:5]:
        engine.ask(text)
    load = load_average()
    totals, embeds, dense, lexical, retrievals = [], [], [], [], []
    for text in texts:
        started = time.perf_counter()
        engine.ask(text)
        totals.append((time.perf_counter() - started) * 1000.0)
    for text in texts:
        t0 = time.perf_counter()
        vector = embedder.encode_query(text)
        t1 = time.perf_counter()
        index.vectors.search(vector, settings.retrieval.candidates)
        t2 = time.perf_counter()
        from knowledge.lexical import tokenize

        index.lexical.scores(tokenize(text))
        t3 = time.perf_counter()
        retrieve(
            vector,
            text,
            index.vectors,
            index.lexical,
            settings.retrieval.candidates,
            settings.retrieval.dense_weight,
        )
        t4 = time.perf_counter()
        embeds.append((t1 - t0) * 1000.0)
        dense.append((t2 - t1) * 1000.0)
        lexical.append((t3 - t2) * 1000.0)
        retrievals.append((t4 - t3) * 1000.0)
    after = memory()
    mapped = resident_files(Path(index_dir))
    dense_recall = _dense_recall(embedder, index, texts)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
        }

    print(
        json.dumps(
            {
                "passages": index.size,
                "vector_index": index.manifest.vector_index,
                "sentence_vectors": sentence_vectors,
                "query_backend": query_backend,
                "questions": len(texts),
                "whole_query": summary(totals),
                "query_embedding": summary(embeds),
                "dense_search_k50": summary(dense),
                "bm25_scores": summary(lexical),
                "hybrid_retrieval": summary(retrievals),
                "dense_recall_at_10_vs_exact": dense_recall,
                "index_open_seconds": round(open_seconds, 2),
                "rss_mb": {
                    "start": round(start["rss"], 1),
                    "model_loaded": round(with_model["rss"], 1),
                    "index_opened": round(opened["rss"], 1),
                    "after_queries": round(after["rss"], 1),
                    "after_queries_anon": round(after["anon"], 1),
                    "after_queries_file": round(after["file"], 1),
                    "index_share_after_queries": round(after["rss"] - with_model["rss"], 1),
                    "index_files_mapped_after_queries": mapped,
                },
                "load": load,
            }
        )
    )


def _dense_recall(embedder: Any, index: Any, texts: list[str]) -> float:
    """Recall@10 of the index's vector search against exact search, for these questions (after
    the memory figures: the exact search reads every vector)."""
    from knowledge.vectors import exact_top, recall

    queries = np.stack([embedder.encode_query(t) for t in texts])
    found = np.stack([_pad(index.vectors.search(q, 10)[1]) for q in queries])
    vectors = np.load(index.folder / "vectors.npy", mmap_mode="r")
    return round(recall(found, exact_top(vectors, queries, 10)), 4)


# ---------------------------------------------------------------- command line


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_probe-vectors":
        probe_vectors(*sys.argv[2:5])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_probe-engine":
        probe_engine(*sys.argv[2:8])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    commands = parser.add_subparsers(dest="command", required=True)
    vectors = commands.add_parser("vectors", help="the vector layer at several sizes")
    vectors.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[10_000, 100_000, 1_000_000],
    )
    vectors.add_argument("--queries", type=int, default=300)
    for name, text in (("build", "index the synthetic archive"), ("engine", "query it")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--passages", type=int, default=1_000_000)
        sub.add_argument("--sentence-vectors", choices=["float16", "int8"], default="float16")
        if name == "engine":
            sub.add_argument("--questions", type=int, default=300)
            sub.add_argument("--query-backend", choices=["torch", "onnx"], default="torch")
    args = parser.parse_args()
    configure_runtime(0)
    print(load_average(), flush=True)
    {"vectors": bench_vectors, "build": build_archive, "engine": bench_engine}[args.command](args)


if __name__ == "__main__":
    main()
