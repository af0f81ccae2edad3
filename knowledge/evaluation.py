"""Quality report on a gold file: answer@1 (also among the answers given), hit@3, refusals and
latency.

Gold rows (JSON lines): ``{"question": str, "answers": [str, ...], "answerable": bool}``
(``answerable`` defaults to true). A gold string counts when it occurs in the text after
normalisation (NFKC, lower case, one kind of quote and dash, collapsed whitespace).
"""

from __future__ import annotations

import json
import statistics
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import StoryBotError
from knowledge.models import Answer

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


class GoldFileError(StoryBotError):
    """The gold file cannot be read or a row is malformed."""


@dataclass(frozen=True)
class GoldQuestion:
    question: str
    answers: tuple[str, ...]
    answerable: bool


@dataclass(frozen=True)
class Graded:
    gold: GoldQuestion
    answer: Answer
    correct_at_1: bool
    hit_at_3: bool


@dataclass(frozen=True)
class Report:
    graded: tuple[Graded, ...]

    def _answerable(self) -> list[Graded]:
        return [g for g in self.graded if g.gold.answerable]

    def _unanswerable(self) -> list[Graded]:
        return [g for g in self.graded if not g.gold.answerable]

    def summary(self) -> dict[str, float | int | None]:
        answerable, unanswerable = self._answerable(), self._unanswerable()
        latencies = [g.answer.latency_ms for g in self.graded]
        return {
            "questions": len(self.graded),
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "answer_at_1": _rate(g.correct_at_1 for g in answerable),
            "hit_at_3": _rate(g.hit_at_3 for g in answerable),
            "answered_rate": _rate(g.answer.answered for g in answerable),
            # How far a user can trust an answer: right among the answers actually given.
            "answer_at_1_when_answered": _rate(
                g.correct_at_1 for g in answerable if g.answer.answered
            ),
            "refusal_rate": _rate(not g.answer.answered for g in unanswerable),
            "latency_median_ms": round(statistics.median(latencies), 2) if latencies else None,
            "latency_p95_ms": round(_percentile(latencies, 95), 2) if latencies else None,
        }

    def failures(self) -> list[Graded]:
        return [
            g
            for g in self.graded
            if (g.gold.answerable and not g.correct_at_1)
            or (not g.gold.answerable and g.answer.answered)
        ]


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).lower().split())


def contains_any(text: str, answers: Iterable[str]) -> bool:
    haystack = normalise(text)
    return any(normalise(a) in haystack for a in answers if a.strip())


def read_gold(path: Path) -> list[GoldQuestion]:
    """Read and validate a gold file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"cannot read gold file {path}: {exc}") from None
    rows: list[GoldQuestion] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            question = data["question"]
            answers = data.get("answers", [])
            answerable = data.get("answerable", True)
            if not isinstance(question, str) or not isinstance(answerable, bool):
                raise TypeError("question must be text and answerable true or false")
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise TypeError("answers must be a list of strings")
            if answerable and not answers:
                raise ValueError("an answerable question needs at least one answer string")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise GoldFileError(f"{path}, line {number}: {exc}") from None
        rows.append(GoldQuestion(question, tuple(answers), answerable))
    if not rows:
        raise GoldFileError(f"gold file {path} has no questions")
    return rows


def grade(gold: GoldQuestion, answer: Answer) -> Graded:
    correct = gold.answerable and answer.answered and contains_any(answer.answer, gold.answers)
    hit = gold.answerable and any(
        contains_any(c.snippet, gold.answers) for c in answer.citations[:3]
    )
    return Graded(gold, answer, correct, hit)


def evaluate(questions: list[GoldQuestion], ask: Callable[[str], Answer]) -> Report:
    return Report(tuple(grade(q, ask(q.question)) for q in questions))


def _rate(values: Iterable[bool]) -> float | None:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else None


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
