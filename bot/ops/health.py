"""What "healthy" means for a running bot, kept in one small object the Discord client updates.

Healthy = the index is loaded, every gateway shard this process runs is connected, each one's last
heartbeat was acknowledged recently (or it connected recently and its first heartbeat is still
due), and the process is not shutting down. ``report()`` says which of these fail, in words an
operator can act on.

Shards are identified by their id (``None`` for a process that does not shard). A shard the
process will run but that has not connected yet is declared with ``expect_shards`` so that
/healthz stays unhealthy until it is up.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Clock = Callable[[], float]
ShardId = int | None


@dataclass(frozen=True)
class HealthReport:
    """The verdict of ``HealthState.report()``: ``healthy`` plus why not, and the raw checks."""

    healthy: bool
    reasons: tuple[str, ...]
    checks: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "reasons": list(self.reasons),
            "checks": dict(self.checks),
        }


@dataclass
class ShardHealth:
    """One gateway session: up or not, when it (re)connected, its last heartbeat ack."""

    connected: bool = False
    connected_at: float | None = None
    last_ack: float | None = None
    latency: float | None = None

    def heartbeat_age(self, now: float) -> float | None:
        """Seconds since the last ack, or since connecting when none came since; None if never."""
        times = [t for t in (self.last_ack, self.connected_at) if t is not None]
        return max(0.0, now - max(times)) if times else None


class HealthState:
    """Mutable health facts. Call its ``mark_*`` and ``heartbeat_ack`` methods as events happen.

    ``heartbeat_timeout`` is how old a shard's last heartbeat ack (or its connection, before the
    first ack) may be; Discord asks for a heartbeat about every 41 s, so the default allows ~3
    misses. All methods are cheap and safe to call from the event loop.
    """

    def __init__(self, heartbeat_timeout: float = 120.0, clock: Clock = time.monotonic) -> None:
        self.heartbeat_timeout = heartbeat_timeout
        self._clock = clock
        self.index_loaded = False
        self.shutting_down = False
        self._shards: dict[ShardId, ShardHealth] = {}

    def mark_index_loaded(self, loaded: bool = True) -> None:
        self.index_loaded = loaded

    def expect_shards(self, shard_ids: Iterable[int]) -> None:
        """This process runs these shards: each must connect before the gateway counts as up."""
        for shard_id in shard_ids:
            self._shards.setdefault(shard_id, ShardHealth())

    def mark_gateway_connected(self, shard_id: ShardId = None) -> None:
        """A gateway session (of ``shard_id``) is up: READY or RESUMED; its heartbeat is due."""
        shard = self._shards.setdefault(shard_id, ShardHealth())
        shard.connected = True
        shard.connected_at = self._clock()

    def mark_gateway_disconnected(self, shard_id: ShardId = None) -> None:
        self._shards.setdefault(shard_id, ShardHealth()).connected = False

    def heartbeat_ack(self, latency: float | None = None, shard_id: ShardId = None) -> None:
        """Discord acknowledged a heartbeat of ``shard_id``; ``latency`` is its round trip (s)."""
        shard = self._shards.setdefault(shard_id, ShardHealth())
        shard.last_ack = self._clock()
        if latency is not None and math.isfinite(latency):
            shard.latency = latency

    def mark_shutting_down(self) -> None:
        self.shutting_down = True

    @property
    def gateway_connected(self) -> bool:
        """Every gateway session this process runs (one per shard) is up."""
        return bool(self._shards) and all(s.connected for s in self._shards.values())

    @property
    def gateway_latency(self) -> float | None:
        """The slowest shard's last heartbeat round trip (s); None before any ack."""
        latencies = [s.latency for s in self._shards.values() if s.latency is not None]
        return max(latencies) if latencies else None

    def shards(self) -> dict[ShardId, ShardHealth]:
        """A copy of each shard's health, by shard id."""
        return {shard_id: ShardHealth(**vars(s)) for shard_id, s in self._shards.items()}

    def heartbeat_age(self) -> float | None:
        """The oldest heartbeat age of the connected shards (see ``ShardHealth``); None if none."""
        now = self._clock()
        ages = [
            age
            for s in self._shards.values()
            if s.connected and (age := s.heartbeat_age(now)) is not None
        ]
        return max(ages) if ages else None

    def report(self) -> HealthReport:
        reasons = []
        if not self.index_loaded:
            reasons.append("index not loaded")
        if self.shutting_down:
            reasons.append("shutting down")
        now = self._clock()
        down = _names(i for i, s in self._shards.items() if not s.connected)
        stale = _names(
            i
            for i, s in self._shards.items()
            if s.connected and (s.heartbeat_age(now) or 0.0) > self.heartbeat_timeout
        )
        age = self.heartbeat_age()
        if not self.gateway_connected:
            reasons.append("gateway not connected" + (f" (shards {down})" if down else ""))
        elif age is not None and age > self.heartbeat_timeout:
            reasons.append(
                f"no gateway heartbeat ack for {age:.0f} s"
                + (f" on shards {stale}" if stale else "")
                + f" (limit {self.heartbeat_timeout:g} s)"
            )
        checks: dict[str, Any] = {
            "index_loaded": self.index_loaded,
            "gateway_connected": self.gateway_connected,
            "heartbeat_age_seconds": _rounded(age),
            "gateway_latency_seconds": self.gateway_latency,
            "shutting_down": self.shutting_down,
        }
        if any(shard_id is not None for shard_id in self._shards):
            checks["shards"] = {
                str(shard_id): {
                    "connected": s.connected,
                    "heartbeat_age_seconds": _rounded(s.heartbeat_age(now)),
                    "latency_seconds": s.latency,
                }
                for shard_id, s in sorted(self._shards.items(), key=lambda item: _order(item[0]))
            }
        return HealthReport(not reasons, tuple(reasons), checks)


def _order(shard_id: ShardId) -> int:
    return -1 if shard_id is None else shard_id


def _names(shard_ids: Iterable[ShardId]) -> str:
    """The numbered shards among ``shard_ids``, as "0, 3" (the unnumbered one goes unnamed)."""
    return ", ".join(str(i) for i in sorted(i for i in shard_ids if i is not None))


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)
