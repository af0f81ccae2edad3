"""Votes in SQLite: one per user and answer, anonymised voters, and ``storybot feedback``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.feedback import DOWN, UP, FeedbackStore, VoteOutcome
from knowledge.models import Answer, ArticleMeta, Citation, Span

DISCORD_USER = 123_456_789_012_345_678


def answer(question: str = "How old is Alec?") -> Answer:
    quote = "Alec Baldwin, 64, asked his followers to follow his wife."
    cited = Citation(1, "doc", ArticleMeta(title="Alec Asks"), 2, quote, 0.8, Span(0, len(quote)))
    return Answer(question, True, quote, (cited,), 10.0, 0.9, (13, 15))


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "votes" / "feedback.sqlite3")


def test_one_vote_per_user_and_answer(store: FeedbackStore) -> None:
    answer_id = store.record_answer(answer(), "discord")
    assert store.record_vote(answer_id, DISCORD_USER, UP) is VoteOutcome.RECORDED
    assert store.record_vote(answer_id, DISCORD_USER, UP) is VoteOutcome.UNCHANGED
    assert store.record_vote(answer_id, DISCORD_USER, DOWN) is VoteOutcome.CHANGED
    assert store.record_vote(answer_id, 42, UP) is VoteOutcome.RECORDED
    summary = store.summary()
    assert (summary.votes, summary.up, summary.down, summary.voters) == (2, 1, 1, 2)


def test_votes_on_unknown_answers_are_refused(store: FeedbackStore) -> None:
    assert store.record_vote("0" * 16, DISCORD_USER, UP) is VoteOutcome.UNKNOWN_ANSWER
    assert store.summary().votes == 0


def test_voters_are_stored_as_stable_pseudonyms_not_ids(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    first = FeedbackStore(path)
    answer_id = first.record_answer(answer(), "discord")
    first.record_vote(answer_id, DISCORD_USER, UP)
    pseudonym = first.anonymise(DISCORD_USER)
    first.close()
    raw = b"".join(file.read_bytes() for file in tmp_path.glob("feedback.sqlite3*"))
    assert str(DISCORD_USER).encode() not in raw
    again = FeedbackStore(path)
    assert again.anonymise(DISCORD_USER) == pseudonym  # the key survives a restart
    assert again.record_vote(answer_id, DISCORD_USER, UP) is VoteOutcome.UNCHANGED
    rows = sqlite3.connect(path).execute("SELECT voter, vote, created FROM votes").fetchall()
    assert rows == [(pseudonym, 1, rows[0][2])] and "T" in rows[0][2]
    assert FeedbackStore(tmp_path / "other.sqlite3").anonymise(DISCORD_USER) != pseudonym


def test_summary_lists_the_most_voted_down_first(store: FeedbackStore) -> None:
    good = store.record_answer(answer("Good question?"), "discord")
    bad = store.record_answer(answer("Bad question?"), "mention")
    meh = store.record_answer(answer("Meh question?"), "discord")
    store.record_vote(good, 1, UP)
    for user in (1, 2, 3):
        store.record_vote(bad, user, DOWN)
    store.record_vote(meh, 1, DOWN)
    store.record_vote(meh, 2, UP)
    weakest = store.summary().weakest
    assert [w.question for w in weakest] == ["Bad question?", "Meh question?"]
    assert (weakest[0].down, weakest[0].up) == (3, 0)
    assert weakest[0].citations[0]["title"] == "Alec Asks"


def test_feedback_command_prints_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("STORYBOT_FEEDBACK__PATH", str(path))
    assert main(["feedback"]) == 0
    assert "No feedback yet" in capsys.readouterr().out
    store = FeedbackStore(path)
    answer_id = store.record_answer(answer(), "discord")
    store.record_vote(answer_id, 1, DOWN)
    store.record_vote(answer_id, 2, UP)
    store.close()
    assert main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert "1 answer shown with vote buttons" in out
    assert "2 votes from 2 people: 👍 1, 👎 1 (50% helpful)" in out
    assert "1. 👎 1 👍 1" in out and "Q: How old is Alec?" in out and "[1] Alec Asks" in out
    assert main(["feedback", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["votes"] == 2 and data["weakest"][0]["question"] == "How old is Alec?"
