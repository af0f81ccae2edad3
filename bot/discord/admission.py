"""Who may ask now: a per-user cooldown and a bounded number of answers in progress.

Neither queues anything for long: a user over the cooldown is told how long to wait at once, and
a question that finds every answer slot busy waits at most ``timeout`` seconds, then is told to ask
again (``Busy`` carries an estimate of when). Nothing here touches Discord.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

Clock = Callable[[], float]
PRUNE_ABOVE = 10_000  # users tracked before forgotten ones are swept out


class Cooldown:
    """At most ``questions`` per user in any ``seconds``-long window (``seconds=0``: no limit)."""

    def __init__(self, questions: int, seconds: float, clock: Clock = time.monotonic) -> None:
        self.questions = questions
        self.seconds = seconds
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}

    def try_acquire(self, user: int) -> float:
        """0.0 and the question is counted; or the seconds until this user may ask again."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        if len(self._asked) > PRUNE_ABOVE:
            self._prune(now)
        asked = self._asked.setdefault(user, deque())
        while asked and asked[0] <= now - self.seconds:
            asked.popleft()
        if len(asked) >= self.questions:
            return asked[0] + self.seconds - now
        asked.append(now)
        return 0.0

    def refund(self, user: int) -> None:
        """Forget the user's latest question (it was turned away for another reason)."""
        asked = self._asked.get(user)
        if asked:
            asked.pop()

    def _prune(self, now: float) -> None:
        horizon = now - self.seconds
        stale = [user for user, asked in self._asked.items() if not asked or asked[-1] <= horizon]
        for user in stale:
            del self._asked[user]


class Busy(Exception):
    """Every answer slot stayed busy for the whole timeout."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"busy; retry in {retry_after:.1f} s")
        self.retry_after = retry_after


class AnswerSlots:
    """At most ``slots`` answers at once; a caller waits at most ``timeout`` s for a free slot."""

    def __init__(self, slots: int, timeout: float, clock: Clock = time.monotonic) -> None:
        self.slots = slots
        self.timeout = timeout
        self._clock = clock
        self._free = asyncio.Semaphore(slots)
        self._waiting = 0
        self._busy = 0
        self._typical = 0.05  # moving average of a slot's hold time, in seconds

    @property
    def busy(self) -> int:
        """Slots in use now."""
        return self._busy

    @property
    def waiting(self) -> int:
        """Callers waiting for a slot now."""
        return self._waiting

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """A slot for the duration of the block; raises ``Busy`` after ``timeout`` s of waiting."""
        self._waiting += 1
        try:
            await asyncio.wait_for(self._free.acquire(), self.timeout)
        except TimeoutError:
            raise Busy(self.retry_estimate()) from None
        finally:
            self._waiting -= 1
        self._busy += 1
        started = self._clock()
        try:
            yield
        finally:
            self._busy -= 1
            self._free.release()
            self._typical = 0.8 * self._typical + 0.2 * (self._clock() - started)

    def retry_estimate(self) -> float:
        """Roughly when the callers waiting now will have been served (at least 1 s)."""
        return max(1.0, self._typical * (self._waiting + self._busy) / self.slots)
