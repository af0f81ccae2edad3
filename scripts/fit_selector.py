"""Fit the answer-sentence weights and the confidence model on the public SQuAD bench.

    python scripts/fit_selector.py [--bench DIR] [--cache DIR] [--per-regime 2500]
                                   [--confidence-only]

Two regimes are mixed, because StoryBot meets both: the whole bench as one archive (24 topics),
and each article alone as a one-topic "story" (like a news story, where every passage shares the
same names and the passage ranking is hard). Real users' questions share fewer words with the
text than SQuAD's, so questions whose answer sentence shares little with them weigh more.

Prints the weights as Python to paste into ``knowledge/sentence_features.py`` (WEIGHTS) and
``knowledge/confidence.py`` (WEIGHTS), plus a held-out check: fitted on half of the articles,
measured on the other half.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import (
    DEFAULT_BENCH,
    DEFAULT_CACHE,
    BenchDoc,
    BenchQuestion,
    derived_engine,
    has_answer,
    load_bench,
    open_bench_engine,
)

from knowledge import answering, confidence, sentence_features
from knowledge.engine import Engine

LOW_OVERLAP_WEIGHT = 3.0


def selector_groups(
    engine: Engine, questions: Sequence[BenchQuestion]
) -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    """Per question: candidate sentence features, which hold the answer, and a sample weight."""
    groups = []
    for q in questions:
        analysis = engine.analyse(q.question)
        rows, labels = [], []
        for s in analysis.selection.sentences:
            sentence = s.passage.sentences[s.index]
            offset = s.passage.span.start
            text = s.passage.text[sentence.start - offset : sentence.end - offset]
            rows.append(s.features)
            labels.append(1.0 if has_answer(text, q) else 0.0)
        if rows and any(labels):
            best_coverage = max(
                float(f[sentence_features.FEATURES.index("coverage")])
                for f, y in zip(rows, labels, strict=True)
                if y
            )
            weight = LOW_OVERLAP_WEIGHT if best_coverage < 0.5 else 1.0
            groups.append((q.doc_id, np.stack(rows), np.array(labels), weight))
    return groups


def fit_conditional_logit(
    groups: list[tuple[str, np.ndarray, np.ndarray, float]], l2: float = 0.003
) -> np.ndarray:
    """Softmax over each question's candidates, maximising the answer sentences' share."""
    width = groups[0][1].shape[1]
    longest = max(len(g[1]) for g in groups)
    x = torch.zeros(len(groups), longest, width, dtype=torch.float64)
    target = torch.zeros(len(groups), longest, dtype=torch.float64)
    mask = torch.full((len(groups), longest), -1e9, dtype=torch.float64)
    weights = torch.tensor([g[3] for g in groups], dtype=torch.float64)
    for i, (_, rows, labels, _) in enumerate(groups):
        x[i, : len(rows)] = torch.from_numpy(rows.astype(np.float64))
        target[i, : len(rows)] = torch.from_numpy(labels / labels.sum())
        mask[i, : len(rows)] = 0.0
    w = torch.zeros(width, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([w], max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        log_probs = torch.log_softmax(x @ w + mask, dim=1)
        loss = -(weights * (target * log_probs).sum(1)).sum() / weights.sum()
        loss = loss + l2 * (w[1:] ** 2).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    result = w.detach().numpy().copy()
    result[0] = 0.0
    return result


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.1) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


def answer_at_1(engine: Engine, questions: Sequence[BenchQuestion]) -> float:
    hits = [has_answer(engine.ask(q.question).answer, q) for q in questions]
    return float(np.mean(hits)) if hits else 0.0


def by_article(questions: Sequence[BenchQuestion]) -> dict[str, list[BenchQuestion]]:
    grouped: dict[str, list[BenchQuestion]] = {}
    for q in questions:
        grouped.setdefault(q.doc_id, []).append(q)
    return grouped


def single_story_groups(
    engine: Engine, docs: Sequence[BenchDoc], questions: Sequence[BenchQuestion], cache: Path
) -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    """Selector data with each article alone as the story."""
    groups = []
    for doc_id, asked in by_article(questions).items():
        alone = derived_engine(engine, docs, cache, only=doc_id)
        groups += selector_groups(alone, asked)
        alone.close()
    return groups


def single_story_answer_at_1(
    engine: Engine, docs: Sequence[BenchDoc], questions: Sequence[BenchQuestion], cache: Path
) -> float:
    hits: list[float] = []
    for doc_id, asked in by_article(questions).items():
        alone = derived_engine(engine, docs, cache, only=doc_id)
        hits += [float(has_answer(alone.ask(q.question).answer, q)) for q in asked]
        alone.close()
    return float(np.mean(hits)) if hits else 0.0


def confidence_rows(
    engine: Engine, docs: Sequence[BenchDoc], questions: Sequence[BenchQuestion], cache: Path
) -> list[tuple[str, np.ndarray, float]]:
    """Signals for answerable questions: in the story (1), and not (0) — the archive with the
    question's article removed, and each article alone asked other articles' questions."""
    rows = []
    for q in questions:
        analysis = engine.analyse(q.question)
        if analysis.signals is not None:
            rows.append((q.doc_id, analysis.signals.vector(), 1.0))
    grouped = by_article(questions)
    others = list(questions)
    rng = np.random.default_rng(7)
    for doc in docs:
        asked = grouped.get(doc.doc_id, [])
        if not asked:
            continue
        held_out = derived_engine(engine, docs, cache, skip=doc.doc_id)
        rows += _rows(held_out, asked, 0.0)
        held_out.close()
        alone = derived_engine(engine, docs, cache, only=doc.doc_id)
        rows += _rows(alone, asked[:20], 1.0)
        strangers = [others[i] for i in rng.choice(len(others), size=40, replace=False)]
        rows += _rows(alone, [q for q in strangers if q.doc_id != doc.doc_id][:20], 0.0)
        alone.close()
    return rows


def _rows(
    engine: Engine, questions: Sequence[BenchQuestion], label: float
) -> list[tuple[str, np.ndarray, float]]:
    rows = []
    for q in questions:
        analysis = engine.analyse(q.question)
        if analysis.signals is not None:
            rows.append((q.doc_id, analysis.signals.vector(), label))
    return rows


def refusal_report(scores: np.ndarray, labels: np.ndarray, name: str) -> None:
    positives, negatives = scores[labels == 1], scores[labels == 0]
    for refuse in (0.90, 0.92):
        threshold = float(np.quantile(negatives, refuse))
        answered = float(np.mean(positives > threshold))
        print(
            f"  {name}: refuse {refuse:.0%} of held-out articles' questions at logit "
            f"{threshold:+.2f} -> answers {answered:.1%} of in-story questions"
        )


def fit_sentence_weights(
    engine: Engine,
    docs: Sequence[BenchDoc],
    picked: Sequence[BenchQuestion],
    first_half: set[str],
    cache: Path,
) -> None:
    """Fit the answer-sentence weights (both regimes), report a held-out check, and use them."""
    groups = selector_groups(engine, picked)
    groups += single_story_groups(engine, docs, picked, cache)
    print(f"{len(groups)} questions with an answer sentence among the candidates", flush=True)
    held = [q for q in picked if q.doc_id not in first_half][:600]
    before = (answer_at_1(engine, held), single_story_answer_at_1(engine, docs, held, cache))
    half = fit_conditional_logit([g for g in groups if g[0] in first_half])
    _use(half)
    after = (answer_at_1(engine, held), single_story_answer_at_1(engine, docs, held, cache))
    print(
        f"held-out half, answer@1 (archive, single story): shipped weights {before[0]:.3f}, "
        f"{before[1]:.3f}; fitted on the other half {after[0]:.3f}, {after[1]:.3f}",
        flush=True,
    )
    weights = fit_conditional_logit(groups)
    _use(weights)
    print("sentence WEIGHTS =", np.array2string(weights, precision=3, separator=", "), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-regime", type=int, default=2500)
    parser.add_argument("--confidence-questions", type=int, default=1200)
    parser.add_argument(
        "--confidence-only",
        action="store_true",
        help="keep the shipped sentence weights; refit only the confidence model",
    )
    args = parser.parse_args()
    docs, questions = load_bench(args.bench)
    engine = open_bench_engine(docs, args.cache)
    rng = np.random.default_rng(11)
    answerable = [q for q in questions if q.answerable]
    picked = [answerable[i] for i in rng.choice(len(answerable), args.per_regime, replace=False)]
    doc_ids = sorted({d.doc_id for d in docs})
    first_half = set(doc_ids[::2])

    if not args.confidence_only:
        fit_sentence_weights(engine, docs, picked, first_half, args.cache)
    chosen = [
        answerable[i] for i in rng.choice(len(answerable), args.confidence_questions, replace=False)
    ]
    rows = confidence_rows(engine, docs, chosen, args.cache)
    x = np.stack([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    split = np.array([r[0] in first_half for r in rows])
    refusal_report(x[~split] @ fit_logistic(x[split], y[split]), y[~split], "held-out half")
    final = fit_logistic(x, y)
    refusal_report(x @ final, y, "all (in-sample)")
    print("confidence WEIGHTS =", np.array2string(final, precision=3, separator=", "))
    print("signals:", confidence.SIGNALS)


def _use(weights: np.ndarray) -> None:
    sentence_features.WEIGHTS[:] = weights
    answering.WEIGHTS[:] = weights


if __name__ == "__main__":
    main()
