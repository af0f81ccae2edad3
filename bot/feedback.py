"""Votes on answers (👍/👎), kept in SQLite so maintainers can review the weak ones.

Every answer shown with vote buttons is recorded (question, answer, citations, time) under a
random id that the buttons carry. A vote is one row per (answer, voter): voting again replaces the
earlier vote, so nobody counts twice. Voters are stored only as a keyed hash (HMAC-SHA256 with a
random key kept in the database), never as their Discord id.

All methods are thread-safe and blocking (a few milliseconds): call them off the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import platformdirs

from knowledge.errors import StoryBotError
from knowledge.locations import APP_NAME
from knowledge.models import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    front_end TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    confidence REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers(id),
    voter TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    created TEXT NOT NULL,
    PRIMARY KEY (answer_id, voter)
);
"""
UP, DOWN = 1, -1


class VoteOutcome(Enum):
    """What a click on a vote button did."""

    RECORDED = "recorded"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    UNKNOWN_ANSWER = "unknown_answer"


@dataclass(frozen=True)
class RatedAnswer:
    """One recorded answer with its vote counts."""

    answer_id: str
    created: str
    question: str
    answer: str
    citations: list[dict[str, Any]]
    up: int
    down: int


@dataclass(frozen=True)
class FeedbackSummary:
    """Totals plus the answers with the most 👎 (ties: fewest 👍, then newest)."""

    answers: int
    votes: int
    up: int
    down: int
    voters: int
    weakest: list[RatedAnswer]

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "votes": self.votes,
            "up": self.up,
            "down": self.down,
            "voters": self.voters,
            "weakest": [vars(rated) for rated in self.weakest],
        }


def feedback_path(configured: str | None) -> Path:
    """The configured database path, or ``feedback.sqlite3`` in the user's data folder."""
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "feedback.sqlite3"


class FeedbackStore:
    """The votes database; one connection shared by threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(SCHEMA)
            self._key = self._voter_key()
        except (OSError, sqlite3.Error) as exc:
            raise StoryBotError(f"cannot open the feedback database {path}: {exc}") from None

    def _voter_key(self) -> bytes:
        self._db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('voter_key', ?)",
            (secrets.token_hex(32),),
        )
        row = self._db.execute("SELECT value FROM meta WHERE key = 'voter_key'").fetchone()
        return bytes.fromhex(row[0])

    def anonymise(self, user_id: int) -> str:
        """A stable pseudonym for a user, useless without this database's key."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def record_answer(self, answer: Answer, front_end: str) -> str:
        """Keep an answer that will carry vote buttons; returns its id (16 hex digits)."""
        answer_id = secrets.token_hex(8)
        citations = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT INTO answers (id, created, front_end, question, answer, citations, "
                "confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    _now(),
                    front_end,
                    answer.question,
                    answer.answer,
                    citations,
                    answer.confidence,
                ),
            )
        return answer_id

    def record_vote(self, answer_id: str, user_id: int, vote: int) -> VoteOutcome:
        """Store ``vote`` (``UP`` or ``DOWN``) by this user, replacing their earlier one."""
        if vote not in (UP, DOWN):
            raise ValueError("vote must be UP (1) or DOWN (-1)")
        voter = self.anonymise(user_id)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                outcome = self._upsert_vote(answer_id, voter, vote)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return outcome

    def _upsert_vote(self, answer_id: str, voter: str, vote: int) -> VoteOutcome:
        if self._db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
            return VoteOutcome.UNKNOWN_ANSWER
        row = self._db.execute(
            "SELECT vote FROM votes WHERE answer_id = ? AND voter = ?", (answer_id, voter)
        ).fetchone()
        if row is not None and row[0] == vote:
            return VoteOutcome.UNCHANGED
        self._db.execute(
            "INSERT INTO votes (answer_id, voter, vote, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, "
            "created = excluded.created",
            (answer_id, voter, vote, _now()),
        )
        return VoteOutcome.RECORDED if row is None else VoteOutcome.CHANGED

    def summary(self, weakest: int = 10) -> FeedbackSummary:
        """Totals and the ``weakest`` answers that got at least one 👎."""
        with self._lock:
            answers = self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            votes, up, voters = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(vote = 1), 0), COUNT(DISTINCT voter) FROM votes"
            ).fetchone()
            rows = self._db.execute(
                "SELECT a.id, a.created, a.question, a.answer, a.citations, "
                "SUM(v.vote = 1) AS up, SUM(v.vote = -1) AS down "
                "FROM answers a JOIN votes v ON v.answer_id = a.id "
                "GROUP BY a.id HAVING down > 0 "
                "ORDER BY down DESC, up ASC, a.created DESC LIMIT ?",
                (weakest,),
            ).fetchall()
        rated = [
            RatedAnswer(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])
            for row in rows
        ]
        return FeedbackSummary(answers, votes, up, votes - up, voters, rated)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
