"""The per-user cooldown and the bounded answer slots, on a fake clock where time matters."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord.admission import AnswerSlots, Busy, Cooldown
from tests.fakes.clock import FakeClock


def test_cooldown_allows_n_questions_per_window_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    cooldown = Cooldown(questions=3, seconds=30, clock=clock)
    for _ in range(3):
        assert cooldown.try_acquire(7) == 0.0
        clock.now += 5
    assert cooldown.try_acquire(7) == pytest.approx(15.0)  # the first question leaves at t=30
    assert cooldown.try_acquire(8) == 0.0  # other users are not affected
    clock.now += 15
    assert cooldown.try_acquire(7) == 0.0


def test_a_refunded_question_does_not_count() -> None:
    cooldown = Cooldown(questions=1, seconds=60, clock=FakeClock())
    assert cooldown.try_acquire(1) == 0.0
    cooldown.refund(1)
    assert cooldown.try_acquire(1) == 0.0
    assert cooldown.try_acquire(1) > 0


def test_zero_seconds_means_no_cooldown() -> None:
    cooldown = Cooldown(questions=1, seconds=0)
    assert all(cooldown.try_acquire(1) == 0.0 for _ in range(100))


def test_forgotten_users_are_swept_out() -> None:
    clock = FakeClock()
    cooldown = Cooldown(questions=1, seconds=1, clock=clock)
    for user in range(10_001):
        cooldown.try_acquire(user)
    clock.now += 2
    cooldown.try_acquire(-1)
    assert len(cooldown._asked) == 1


@pytest.mark.asyncio
async def test_slots_bound_concurrency_and_serve_every_waiter() -> None:
    slots = AnswerSlots(slots=2, timeout=5)
    running = peak = 0

    async def answer() -> None:
        nonlocal running, peak
        async with slots.hold():
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(answer() for _ in range(20)))
    assert peak == 2 and slots.busy == 0 and slots.waiting == 0


@pytest.mark.asyncio
async def test_a_caller_that_waits_too_long_is_told_when_to_retry() -> None:
    slots = AnswerSlots(slots=1, timeout=0.05)
    release = asyncio.Event()

    async def hog() -> None:
        async with slots.hold():
            await release.wait()

    holder = asyncio.create_task(hog())
    await asyncio.sleep(0)
    with pytest.raises(Busy) as busy:
        async with slots.hold():
            pass
    assert busy.value.retry_after >= 1.0
    assert slots.waiting == 0
    release.set()
    await holder
    async with slots.hold():  # the slot is free again
        assert slots.busy == 1
