"""Graceful shutdown: stop admitting questions, let those in flight finish (bounded), then close.

A front end wraps each question in ``admit()`` and hands its main coroutine to ``run()``::

    coordinator = ShutdownCoordinator(timeout=5.0, health=health)

    async def on_question(...):
        try:
            with coordinator.admit():
                answer = await asyncio.to_thread(engine.ask, question)
        except ShuttingDown:
            ...  # reply "StoryBot is restarting, ask again in a minute"

    exit_code = await coordinator.run(client.start(token), close=client.close)

``run`` turns SIGTERM and SIGINT into ``request_shutdown``: from then on ``admit()`` raises
``ShuttingDown``, the health state says "shutting down", questions in flight get up to ``timeout``
seconds to finish, ``close`` is awaited (the gateway closes) and ``run`` returns 0. A second signal
stops the wait for questions in flight. Everything happens on one event loop: ``admit`` is called
from coroutines on that loop, never from worker threads.

An answer is not finished when it is computed but when the user has it, so a front end also wraps
each whole interaction (the engine's work *and* sending the reply, or the "restarting" refusal) in
``track()``, which never refuses: ``close`` waits for those too, within the same ``timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable, Iterator

from bot.ops.health import HealthState

log = logging.getLogger(__name__)

SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Once nothing is in flight, how long to let events already received (an interaction the gateway
# delivered a moment before the signal) reach their handlers before concluding that all is done.
SETTLE_SECONDS = 0.05


class ShuttingDown(Exception):
    """Raised by ``admit()`` once shutdown has begun: refuse the question politely."""


class ShutdownCoordinator:
    """Counts questions in flight and runs the shutdown sequence once, whatever triggers it."""

    def __init__(
        self,
        timeout: float = 5.0,
        health: HealthState | None = None,
        close_timeout: float = 3.0,
    ) -> None:
        self.timeout = timeout
        self.close_timeout = close_timeout
        self.reason: str | None = None
        self._health = health
        self._in_flight = 0  # admitted questions
        self._busy = 0  # tracked work, admitted questions included
        self._shutting_down = False
        self._requested = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._hurry = asyncio.Event()

    @property
    def shutting_down(self) -> bool:
        return self._shutting_down

    @property
    def in_flight(self) -> int:
        """Questions admitted and not finished yet."""
        return self._in_flight

    @property
    def busy(self) -> int:
        """Pieces of tracked work not finished yet (admitted questions included)."""
        return self._busy

    @contextlib.contextmanager
    def admit(self) -> Iterator[None]:
        """Track one question for its whole life; raises ``ShuttingDown`` once shutdown began."""
        if self._shutting_down:
            raise ShuttingDown("StoryBot is shutting down")
        self._in_flight += 1
        try:
            with self.track():
                yield
        finally:
            self._in_flight -= 1

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Work that must end before ``close`` (sending a reply), whether shutting down or not."""
        self._busy += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    def request_shutdown(self, reason: str = "shutdown requested") -> None:
        """Begin shutting down (idempotent); asked a second time, stop waiting for stragglers."""
        if self._shutting_down:
            if not self._hurry.is_set():
                log.warning("%s again: not waiting for %d question(s)", reason, self._in_flight)
                self._hurry.set()
            return
        self._shutting_down = True
        self.reason = reason
        if self._health is not None:
            self._health.mark_shutting_down()
        log.info("%s: refusing new questions, %d in flight", reason, self._in_flight)
        self._requested.set()

    async def wait_requested(self) -> None:
        await self._requested.wait()

    async def drain(self) -> bool:
        """Wait until no tracked work is left, at most ``timeout`` s; True if all finished.

        Idle must last ``SETTLE_SECONDS``: work that starts meanwhile (an interaction received
        just before the signal, now being refused) is waited for as well.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while not self._hurry.is_set():
            if self._busy:
                await self._idle_or_hurry(deadline - loop.time())
            if self._busy or self._hurry.is_set() or loop.time() >= deadline:
                break
            await asyncio.sleep(min(SETTLE_SECONDS, max(0.0, deadline - loop.time())))
            if not self._busy:
                break
        if self._busy:
            log.warning(
                "shutting down with %d question(s) unfinished (%d piece(s) of work)",
                self._in_flight,
                self._busy,
            )
            return False
        return True

    async def _idle_or_hurry(self, timeout: float) -> None:
        waits = [asyncio.ensure_future(e.wait()) for e in (self._idle, self._hurry)]
        try:
            await asyncio.wait(
                waits, timeout=max(0.0, timeout), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waits:
                waiter.cancel()

    async def run(
        self,
        main: Awaitable[object],
        close: Callable[[], Awaitable[object]],
        signals: Iterable[signal.Signals] = SHUTDOWN_SIGNALS,
    ) -> int:
        """Run ``main`` until a signal or ``request_shutdown``, then drain and close; returns 0.

        If ``main`` ends by itself, in-flight questions are still drained, and its exception (a
        login failure, say) propagates.
        """
        loop = asyncio.get_running_loop()
        installed = self._install_signal_handlers(loop, signals)
        task = asyncio.ensure_future(main)
        requested = asyncio.ensure_future(self._requested.wait())
        try:
            await asyncio.wait({task, requested}, return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                self.request_shutdown("main task ended")
                await self.drain()
                task.result()
                return 0
            await self.drain()
            await self._close(close)
            await self._finish(task)
            log.info("shut down cleanly")
            return 0
        finally:
            requested.cancel()
            for signum in installed:
                loop.remove_signal_handler(signum)

    def _install_signal_handlers(
        self, loop: asyncio.AbstractEventLoop, signals: Iterable[signal.Signals]
    ) -> list[signal.Signals]:
        installed = []
        for signum in signals:
            try:
                loop.add_signal_handler(signum, self.request_shutdown, f"received {signum.name}")
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, Windows
                log.debug("cannot handle %s here", signum.name)
                continue
            installed.append(signum)
        return installed

    async def _close(self, close: Callable[[], Awaitable[object]]) -> None:
        try:
            await asyncio.wait_for(close(), self.close_timeout)
        except TimeoutError:
            log.warning("close did not finish within %g s", self.close_timeout)
        except Exception:
            log.exception("error while closing")

    async def _finish(self, task: asyncio.Future[object]) -> None:
        done, _ = await asyncio.wait({task}, timeout=self.close_timeout)
        if not done:
            log.debug("main task still running %g s after close: cancelled", self.close_timeout)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        elif not task.cancelled() and (error := task.exception()) is not None:
            log.warning("main task ended with an error during shutdown: %s", error)
