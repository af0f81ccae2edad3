"""Load: 50 concurrent /ask interactions against the real client and engine.

All must be answered (none lost, each with the engine's own answer), within Discord's 3 s for the
first response, while gateway heartbeats keep arriving on time. Throughput is printed, not
asserted (run with ``-s`` to see it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.engine import Engine
from tests.bot.conftest import StartBot
from tests.fakes.discord_server import FakeDiscord

GOLD = Path(__file__).resolve().parents[1] / "gold" / "default_story.jsonl"
CONCURRENT = 50
HEARTBEAT = 0.25


@pytest.fixture(scope="module")
def cold_engine(default_engine: Engine) -> Engine:
    """The default story's engine with no query cache, so every question does the full work."""
    model = replace(default_engine.settings.model, query_cache_size=0)
    return Engine.open(replace(default_engine.settings, model=model), update=False)


@pytest.mark.asyncio
async def test_fifty_concurrent_questions_are_all_answered_with_heartbeats_on_time(
    fake: FakeDiscord, start_bot: StartBot, cold_engine: Engine
) -> None:
    fake.heartbeat_interval = HEARTBEAT
    await start_bot(engine=cold_engine, max_concurrent_answers=2, queue_timeout_seconds=30)
    gold = [json.loads(line)["question"] for line in GOLD.read_text().splitlines() if line]
    questions = (gold * 2)[:CONCURRENT]
    session = fake.session_for_guild()
    await asyncio.sleep(2 * HEARTBEAT)
    beats_before = len(session.heartbeats)

    started = time.monotonic()
    interactions = await asyncio.gather(
        *(fake.ask(q, user_id=5000 + i) for i, q in enumerate(questions))
    )
    shown = await asyncio.gather(*(fake.reply(i, timeout=60) for i in interactions))
    elapsed = time.monotonic() - started

    for question, interaction, reply in zip(questions, interactions, shown, strict=True):
        expected = cold_engine.ask(question)
        assert len(interaction.callbacks) == 1
        if expected.answered:
            first = reply.embeds[0]["fields"][0]["value"]
            quoted = first.split("\n> ", 1)[1].removeprefix("…")  # "…": cut inside a sentence
            assert quoted[:40] == expected.citations[0].snippet[:40]
        else:
            assert reply.private and "`/sources`" in reply.content
    first_responses = [i.callback_times[0] - i.dispatched for i in interactions]
    beats = session.heartbeats[beats_before - 1 :]
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    deferred = sum(1 for i in interactions if i.callbacks[0]["type"] == 5)
    print(
        f"\n{CONCURRENT} concurrent /ask: all answered in {elapsed:.2f} s = "
        f"{CONCURRENT / elapsed:.1f} answers/s (2 answer slots); first response after at most "
        f"{max(first_responses):.2f} s ({deferred} deferred); {len(gaps)} heartbeats, "
        f"longest gap {max(gaps):.3f} s for an interval of {HEARTBEAT} s"
    )
    assert max(first_responses) < 3.0
    assert len(gaps) >= 1 and max(gaps) < HEARTBEAT + 0.5
    assert len(fake.identifies) == 1 and fake.resumes == []  # the connection never dropped
