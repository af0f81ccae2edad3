"""Graceful shutdown: SIGTERM refuses new questions, lets accepted ones finish, closes, exits 0."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.ops.health import HealthState
from bot.ops.lifecycle import SETTLE_SECONDS, ShutdownCoordinator, ShuttingDown

FOREVER = 3600.0


class FakeClient:
    """Stands in for the Discord client: ``start`` runs until ``close``."""

    def __init__(self, coordinator: ShutdownCoordinator) -> None:
        self.coordinator = coordinator
        self.started = asyncio.Event()
        self._closed = asyncio.Event()
        self.in_flight_at_close: int | None = None
        self.busy_at_close: int | None = None

    async def start(self) -> None:
        self.started.set()
        await self._closed.wait()

    async def close(self) -> None:
        self.in_flight_at_close = self.coordinator.in_flight
        self.busy_at_close = self.coordinator.busy
        self._closed.set()


async def run_fake_client(
    coordinator: ShutdownCoordinator,
) -> tuple[FakeClient, asyncio.Task[int]]:
    """``coordinator.run`` of a fake client, once the client has started."""
    client = FakeClient(coordinator)
    runner = asyncio.create_task(coordinator.run(client.start(), client.close))
    await client.started.wait()
    return client, runner


async def answer_when(coordinator: ShutdownCoordinator, go: asyncio.Event, done: list[int], n: int):
    with coordinator.admit():
        await go.wait()
        done.append(n)


async def until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.001)


@pytest.mark.asyncio
async def test_sigterm_finishes_in_flight_refuses_new_and_exits_zero(health: HealthState) -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER, health=health)
    client, runner = await run_fake_client(coordinator)

    go, done = asyncio.Event(), []
    questions = [asyncio.create_task(answer_when(coordinator, go, done, n)) for n in range(3)]
    await until(lambda: coordinator.in_flight == 3)

    os.kill(os.getpid(), signal.SIGTERM)
    await until(lambda: coordinator.shutting_down)
    assert coordinator.reason == "received SIGTERM"
    assert "shutting down" in health.report().reasons
    with pytest.raises(ShuttingDown), coordinator.admit():
        pytest.fail("a question was admitted after SIGTERM")
    assert not runner.done() and client.in_flight_at_close is None  # still draining

    go.set()
    await asyncio.gather(*questions)
    assert await runner == 0
    assert sorted(done) == [0, 1, 2]
    assert client.in_flight_at_close == 0


@pytest.mark.asyncio
async def test_stuck_question_does_not_block_shutdown_past_the_timeout() -> None:
    coordinator = ShutdownCoordinator(timeout=0.05)
    client, runner = await run_fake_client(coordinator)
    never, done = asyncio.Event(), []
    stuck = asyncio.create_task(answer_when(coordinator, never, done, 1))
    await until(lambda: coordinator.in_flight == 1)

    coordinator.request_shutdown("test")
    assert await runner == 0
    assert client.in_flight_at_close == 1 and done == []
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    assert coordinator.in_flight == 0


@pytest.mark.asyncio
async def test_second_request_stops_waiting_for_stragglers() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER)
    _, runner = await run_fake_client(coordinator)
    never = asyncio.Event()
    stuck = asyncio.create_task(answer_when(coordinator, never, [], 1))
    await until(lambda: coordinator.in_flight == 1)

    coordinator.request_shutdown("first SIGTERM")
    await asyncio.sleep(0.01)
    assert not runner.done()
    coordinator.request_shutdown("second SIGTERM")
    assert await asyncio.wait_for(runner, timeout=60) == 0
    stuck.cancel()


@pytest.mark.asyncio
async def test_nothing_in_flight_shuts_down_at_once() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER)
    client, runner = await run_fake_client(coordinator)
    coordinator.request_shutdown()
    assert await asyncio.wait_for(runner, timeout=60) == 0
    assert client.in_flight_at_close == 0


@pytest.mark.asyncio
async def test_main_failing_by_itself_propagates_and_stops_admitting() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER)

    async def failing_login() -> None:
        raise RuntimeError("improper token")

    async def close() -> None:
        raise AssertionError("nothing to close")

    with pytest.raises(RuntimeError, match="improper token"):
        await coordinator.run(failing_login(), close)
    assert coordinator.shutting_down


@pytest.mark.asyncio
async def test_close_that_hangs_is_bounded_and_main_is_cancelled() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER, close_timeout=0.05)
    started = asyncio.Event()

    async def deaf_client() -> None:
        started.set()
        await asyncio.Event().wait()

    async def hanging_close() -> None:
        await asyncio.Event().wait()

    runner = asyncio.create_task(coordinator.run(deaf_client(), hanging_close))
    await started.wait()
    coordinator.request_shutdown()
    assert await asyncio.wait_for(runner, timeout=60) == 0


@pytest.mark.asyncio
async def test_signal_handlers_are_removed_afterwards() -> None:
    coordinator = ShutdownCoordinator()
    _, runner = await run_fake_client(coordinator)
    coordinator.request_shutdown()
    await runner
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def send_reply(coordinator: ShutdownCoordinator, go: asyncio.Event, sent: list[str]) -> None:
    """What a front end does after the engine: send the reply (tracked, never refused)."""
    with coordinator.track():
        await go.wait()
        sent.append("reply")


@pytest.mark.asyncio
async def test_close_waits_until_the_replies_are_sent() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER)
    client, runner = await run_fake_client(coordinator)
    go, sent = asyncio.Event(), []
    with coordinator.admit():
        pass  # the answer is computed...
    sending = asyncio.create_task(send_reply(coordinator, go, sent))  # ...and is being sent
    await until(lambda: coordinator.busy == 1)

    coordinator.request_shutdown("test")
    with pytest.raises(ShuttingDown), coordinator.admit():
        pytest.fail("admitted after shutdown")
    refusal = asyncio.create_task(send_reply(coordinator, go, sent))  # "restarting" is sent too
    await asyncio.sleep(0.05)
    assert coordinator.in_flight == 0 and coordinator.busy == 2 and not runner.done()

    go.set()
    await asyncio.gather(sending, refusal)
    assert await runner == 0
    assert sent == ["reply", "reply"] and client.busy_at_close == 0


@pytest.mark.asyncio
async def test_work_starting_just_after_the_last_reply_is_waited_for_too() -> None:
    coordinator = ShutdownCoordinator(timeout=FOREVER)
    client, runner = await run_fake_client(coordinator)
    go, sent = asyncio.Event(), []
    started: list[asyncio.Task[None]] = []

    def interaction_arrives() -> None:  # received a moment after the signal, within the settle
        started.append(asyncio.create_task(send_reply(coordinator, go, sent)))

    coordinator.request_shutdown("test")
    asyncio.get_running_loop().call_later(SETTLE_SECONDS / 5, interaction_arrives)
    await until(lambda: coordinator.busy == 1)
    assert not runner.done()
    go.set()
    assert await runner == 0
    assert sent == ["reply"] and client.busy_at_close == 0
