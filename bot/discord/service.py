"""What the Discord front end does with a question, minus Discord itself.

``Answerer`` admits a question (per-user cooldown, bounded answer slots), runs the engine in a
thread pool of its own so the event loop (and the gateway heartbeat) never waits on it, records the
answer for the vote buttons, and renders the reply. Its methods return ``Reply`` values; sending
them is ``bot.discord.sending``'s job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from bot.discord.admission import AnswerSlots, Busy, Cooldown
from bot.discord.render import (
    Reply,
    answer_reply,
    busy_reply,
    cooldown_reply,
    help_reply,
    reload_reply,
    restarting_reply,
    sources_reply,
    text_reply,
)
from bot.feedback import UP, FeedbackStore, VoteOutcome
from bot.ops.lifecycle import ShuttingDown
from bot.settings import AppSettings
from knowledge.engine import IndexReport
from knowledge.errors import QuestionError, StoryBotError
from knowledge.models import Answer, Source

if TYPE_CHECKING:
    from bot.ops import Operations

log = logging.getLogger(__name__)


class AnswerEngine(Protocol):
    """What the bot needs of ``knowledge.engine.Engine``."""

    def ask(self, question: str, top_k: int | None = None) -> Answer: ...

    def sources(self) -> list[Source]: ...

    def reload(self) -> IndexReport: ...


class Answerer:
    """Questions in, replies out, for every Discord entry point (slash command, mention)."""

    def __init__(
        self,
        engine: AnswerEngine,
        settings: AppSettings,
        feedback: FeedbackStore | None = None,
        ops: Operations | None = None,
        after_reload: Callable[[], None] | None = None,
    ) -> None:
        discord_settings = settings.discord
        self.engine = engine
        self.settings = settings
        self.feedback = feedback
        self.ops = ops
        self.after_reload = after_reload
        self.cooldown = Cooldown(
            discord_settings.cooldown_questions, discord_settings.cooldown_seconds
        )
        self.slots = AnswerSlots(
            discord_settings.max_concurrent_answers, discord_settings.queue_timeout_seconds
        )
        self._pool = ThreadPoolExecutor(
            discord_settings.max_concurrent_answers, thread_name_prefix="storybot-answer"
        )
        self._reloading = asyncio.Lock()

    def private_for(self, guild_id: int | None, requested: bool | None) -> bool:
        """The asker's choice, else the server's default from the settings."""
        if requested is not None:
            return requested
        settings = self.settings.discord
        return settings.ephemeral_default or guild_id in settings.ephemeral_guild_ids

    async def answer(self, question: str, user_id: int, private: bool, front_end: str) -> Reply:
        """The cited answer, or why there is none now (cooldown, busy, restarting).

        The latency metric is the wall time from here to the answer: waiting for a free answer
        slot included, as the asker experiences it.
        """
        started = time.monotonic()
        wait = self.cooldown.try_acquire(user_id)
        if wait:
            return cooldown_reply(wait)
        try:
            with self._admitted():
                async with self.slots.hold():
                    loop = asyncio.get_running_loop()
                    answer, articles, answer_id = await loop.run_in_executor(
                        self._pool, self._answer_in_thread, question, front_end
                    )
        except Busy as busy:
            self.cooldown.refund(user_id)
            return busy_reply(busy.retry_after)
        except ShuttingDown:
            self.cooldown.refund(user_id)
            if self.ops is not None:
                self.ops.metrics.refused()
            return restarting_reply()
        except QuestionError:
            self.cooldown.refund(user_id)
            raise
        except Exception:
            if self.ops is not None:
                self.ops.metrics.error()
            raise
        if self.ops is not None:
            self.ops.metrics.observe_answer(answer, seconds=time.monotonic() - started)
        return answer_reply(answer, articles, private, answer_id)

    def _answer_in_thread(self, question: str, front_end: str) -> tuple[Answer, int, str | None]:
        answer = self.engine.ask(question)
        articles = len(self.engine.sources())
        answer_id = None
        if answer.answered and self.feedback is not None:
            try:
                answer_id = self.feedback.record_answer(answer, front_end)
            except (sqlite3.Error, StoryBotError):
                log.exception("could not record an answer for feedback; sending it without votes")
        return answer, articles, answer_id

    def _admitted(self) -> contextlib.AbstractContextManager[None]:
        """Counted as in flight for a graceful shutdown (which refuses new questions)."""
        return contextlib.nullcontext() if self.ops is None else self.ops.lifecycle.admit()

    def sources(self, private: bool) -> Reply:
        return sources_reply(self.engine.sources(), private)

    def help(self, private: bool) -> Reply:
        settings = self.settings.discord
        return help_reply(
            len(self.engine.sources()),
            self.settings.limits.max_question_chars,
            (settings.cooldown_questions, settings.cooldown_seconds),
            private,
        )

    async def reload(self) -> Reply:
        """Re-index changed articles in a worker thread; one reload at a time."""
        if self._reloading.locked():
            return text_reply("A reload is already running; its result will be posted there.")
        async with self._reloading:
            report = await asyncio.to_thread(self.engine.reload)
        if self.after_reload is not None:
            self.after_reload()
        return reload_reply(report)

    async def vote(self, answer_id: str, user_id: int, vote: int) -> Reply:
        """Record a 👍/👎 click; one vote per user and answer (a new click replaces the old)."""
        if self.feedback is None:
            return text_reply("Votes are not being recorded on this bot.")
        outcome = await asyncio.to_thread(self.feedback.record_vote, answer_id, user_id, vote)
        emoji = "👍" if vote == UP else "👎"
        return text_reply(
            {
                VoteOutcome.RECORDED: f"Thanks, your {emoji} is recorded.",
                VoteOutcome.CHANGED: f"Changed your vote to {emoji}.",
                VoteOutcome.UNCHANGED: f"You already voted {emoji} on this answer.",
                VoteOutcome.UNKNOWN_ANSWER: "That answer is no longer in the feedback records.",
            }[outcome]
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
