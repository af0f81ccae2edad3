"""The gold-file report: how often the first answer is right, overall and among answers given."""

from __future__ import annotations

from knowledge.evaluation import GoldQuestion, evaluate
from knowledge.models import Answer

GOLD = [
    GoldQuestion("When is her birthday?", ("January 6",), True),
    GoldQuestion("How old is he?", ("64",), True),
    GoldQuestion("Who is the mayor?", ("Ms Lee",), True),
    GoldQuestion("What is the capital of France?", (), False),
]
REPLIES = {
    "When is her birthday?": "It is my wife's birthday tomorrow, January 6th.",
    "How old is he?": "Their 9-year-old daughter, Carmen, recorded a video.",
}


def _ask(question: str) -> Answer:
    text = REPLIES.get(question, "")
    return Answer(question, bool(text), text, (), 1.0)


def test_report_separates_wrong_answers_from_refusals() -> None:
    summary = evaluate(GOLD, _ask).summary()
    assert summary["answer_at_1"] == round(1 / 3, 4)  # one right of three answerable
    assert summary["answered_rate"] == round(2 / 3, 4)
    assert summary["answer_at_1_when_answered"] == 0.5  # one right of the two given
    assert summary["refusal_rate"] == 1.0


def test_no_answer_given_leaves_precision_unknown() -> None:
    summary = evaluate(GOLD[2:], _ask).summary()
    assert summary["answer_at_1"] == 0.0 and summary["answer_at_1_when_answered"] is None
