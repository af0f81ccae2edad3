"""Latency on the default story: warm single questions, and a cold `storybot ask` taken apart.

    python scripts/bench_latency.py [--rounds 3]

Warm: the engine is loaded once; every gold question is asked ``rounds`` times with the query
cache off, one at a time; prints median and p95. Cold: a fresh process answers one question with
a built index (and the model's question path saved by an earlier run); prints its wall time and
where it goes (imports, model load, index load, answer), and whether torch had to be imported;
then, as the bot and console start, the warm-up (``Engine.warm``) and the first answer after it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

COLD = r"""
import json, os, sys, time
t0 = time.perf_counter()
from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.engine import Engine, prepare_index
from bot.settings import load_settings
from dataclasses import replace
t1 = time.perf_counter()
settings = load_settings(None)
settings = replace(settings, index=replace(settings.index, dir=sys.argv[1]))
embedder = SentenceTransformerEmbedder(settings.model)
t2 = time.perf_counter()
index, _ = prepare_index(settings, embedder)
engine = Engine(settings, index, embedder)
t3 = time.perf_counter()
if sys.argv[2:] == ["warm"]:
    engine.warm()
    t4 = time.perf_counter()
    engine.ask("When is Hilaria's birthday?")
    print(json.dumps({"warm-up (Engine.warm)": t4 - t3,
                      "first answer after warm-up": time.perf_counter() - t4}))
    sys.exit()
engine.ask("When is Hilaria's birthday?")
t4 = time.perf_counter()
print(json.dumps({"import storybot": t1 - t0, "model load (question path)": t2 - t1,
                  "index load (check + open)": t3 - t2, "first answer": t4 - t3,
                  "torch imported (1 = yes)": float("torch" in sys.modules)}))
"""


def warm(rounds: int) -> dict[str, float]:
    from bot.settings import load_settings
    from knowledge.engine import Engine
    from knowledge.evaluation import read_gold

    settings = load_settings(None)
    settings = replace(settings, model=replace(settings.model, query_cache_size=0))
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(settings, index=replace(settings.index, dir=tmp))
        engine = Engine.open(settings)
        questions = [
            q.question for q in read_gold(PROJECT / "tests" / "gold" / "default_story.jsonl")
        ]
        for q in questions[:5]:
            engine.ask(q)
        times = []
        for _ in range(rounds):
            for q in questions:
                started = time.perf_counter()
                engine.ask(q)
                times.append((time.perf_counter() - started) * 1000)
        embed = []
        for q in questions:
            started = time.perf_counter()
            engine.embedder.encode_queries([q + " "])
            embed.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "questions": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "query_embedding_median_ms": statistics.median(embed),
    }


def cold() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(PROJECT)}
        subprocess.run(
            [sys.executable, "-m", "bot", "index", "--index-dir", tmp],
            check=True,
            capture_output=True,
            env=env,
        )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--index-dir", tmp, "When is Hilaria's birthday?"],
            check=True,
            capture_output=True,
            env=env,
        )
        wall = time.perf_counter() - started
        breakdown = {}
        for mode in ("", "warm"):  # the second as the bot and console start: warmed first
            parts = subprocess.run(
                [sys.executable, "-c", COLD, tmp, *([mode] if mode else [])],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            breakdown.update(json.loads(parts.stdout.strip().splitlines()[-1]))
    return {"storybot ask wall_s": wall, **{f"{k} s": v for k, v in breakdown.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"cpu count: {os.cpu_count()}, load average: {os.getloadavg()}")
    for key, value in warm(args.rounds).items():
        print(f"warm {key}: {value:.2f}" if isinstance(value, float) else f"warm {key}: {value}")
    for key, value in cold().items():
        print(f"cold {key}: {value:.2f}")


if __name__ == "__main__":
    main()
