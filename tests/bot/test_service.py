"""The Discord front end's answering service without Discord: records, metrics, shutdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.discord.service import Answerer
from bot.feedback import FeedbackStore
from bot.ops import Operations
from bot.settings import AppSettings, OpsSettings
from knowledge.engine import Engine

pytestmark = pytest.mark.asyncio


def questions_total(ops: Operations, outcome: str) -> float:
    value = ops.metrics.registry.get_sample_value("storybot_questions_total", {"outcome": outcome})
    return value or 0.0


async def test_answers_are_recorded_for_votes_and_counted(
    default_engine: Engine, tmp_path: Path
) -> None:
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    ops = Operations(OpsSettings())
    answerer = Answerer(default_engine, AppSettings(), feedback, ops)
    try:
        answered = await answerer.answer("How many children do the Baldwins have?", 1, False, "t")
        refused = await answerer.answer("What is the capital of France?", 1, False, "t")
    finally:
        answerer.close()
    assert answered.answer_id and answered.embeds and not answered.private
    assert refused.answer_id is None and refused.private
    assert feedback.summary().answers == 1  # only answers shown with buttons are kept
    assert questions_total(ops, "answered") == 1 and questions_total(ops, "not_found") == 1


async def test_questions_during_shutdown_are_turned_away_without_using_the_cooldown(
    default_engine: Engine,
) -> None:
    ops = Operations(OpsSettings())
    answerer = Answerer(default_engine, AppSettings(), None, ops)
    ops.lifecycle.request_shutdown("test")
    try:
        for _ in range(5):  # more than the cooldown allows
            reply = await answerer.answer("How old is Alec?", 1, False, "t")
            assert reply.private and reply.content == (
                "StoryBot is restarting; please ask again in a minute."
            )
    finally:
        answerer.close()
    assert questions_total(ops, "refused") == 5
