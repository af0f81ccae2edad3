"""/healthz: 200 only with the index loaded, the gateway up and heartbeating, no shutdown."""

from __future__ import annotations

import json

import pytest

from bot.ops.health import HealthState
from tests.ops.conftest import FakeClock, get, make_healthy


def test_a_fresh_process_is_unhealthy_and_says_why(health: HealthState) -> None:
    report = health.report()
    assert not report.healthy
    assert report.reasons == ("index not loaded", "gateway not connected")


def test_healthy_when_loaded_connected_and_heartbeating(health: HealthState) -> None:
    make_healthy(health)
    report = health.report()
    assert report.healthy and report.reasons == ()
    assert report.checks["gateway_latency_seconds"] == 0.05


def test_first_heartbeat_is_not_required_right_after_connecting(
    health: HealthState, clock: FakeClock
) -> None:
    health.mark_index_loaded()
    health.mark_gateway_connected()
    clock.advance(60)
    assert health.report().healthy
    clock.advance(61)
    assert not health.report().healthy


def test_stale_heartbeat_makes_it_unhealthy(health: HealthState, clock: FakeClock) -> None:
    make_healthy(health)
    clock.advance(121)
    report = health.report()
    assert not report.healthy
    assert report.reasons == ("no gateway heartbeat ack for 121 s (limit 120 s)",)
    health.heartbeat_ack(0.07)
    assert health.report().healthy


def test_reconnect_restarts_the_heartbeat_grace(health: HealthState, clock: FakeClock) -> None:
    make_healthy(health)
    clock.advance(500)
    health.mark_gateway_disconnected()
    assert "gateway not connected" in health.report().reasons
    health.mark_gateway_connected()
    assert health.report().healthy


def test_shutting_down_is_unhealthy(health: HealthState) -> None:
    make_healthy(health)
    health.mark_shutting_down()
    assert health.report().reasons == ("shutting down",)


def test_nonsense_latency_is_ignored(health: HealthState) -> None:
    health.heartbeat_ack(0.2)
    health.heartbeat_ack(float("inf"))
    health.heartbeat_ack(float("nan"))
    assert health.gateway_latency == 0.2


@pytest.mark.asyncio
async def test_endpoint_answers_503_with_reasons_then_200(
    endpoint: str, health: HealthState
) -> None:
    status, content_type, body = await get(f"{endpoint}/healthz")
    assert status == 503 and content_type.startswith("application/json")
    data = json.loads(body)
    assert data["status"] == "unhealthy"
    assert data["reasons"] == ["index not loaded", "gateway not connected"]
    assert data["checks"]["index_loaded"] is False

    make_healthy(health)
    status, _, body = await get(f"{endpoint}/healthz")
    assert status == 200
    assert json.loads(body) == {
        "status": "ok",
        "reasons": [],
        "checks": {
            "index_loaded": True,
            "gateway_connected": True,
            "heartbeat_age_seconds": 0.0,
            "gateway_latency_seconds": 0.05,
            "shutting_down": False,
        },
    }

    health.mark_shutting_down()
    status, _, body = await get(f"{endpoint}/healthz")
    assert status == 503 and json.loads(body)["reasons"] == ["shutting down"]


@pytest.mark.asyncio
async def test_unknown_path_is_404(endpoint: str) -> None:
    status, _, _ = await get(f"{endpoint}/admin")
    assert status == 404


def test_every_shard_must_be_connected(health: HealthState) -> None:
    make_healthy(health)
    health.mark_gateway_connected(shard_id=0)
    health.mark_gateway_connected(shard_id=1)
    health.mark_gateway_disconnected(shard_id=1)
    health.mark_gateway_connected(shard_id=0)  # a later event on another shard changes nothing
    assert health.report().reasons == ("gateway not connected (shards 1)",)
    health.mark_gateway_connected(shard_id=1)
    assert health.report().healthy


def test_a_shard_expected_but_not_yet_connected_keeps_it_unhealthy(health: HealthState) -> None:
    health.mark_index_loaded()
    health.expect_shards([0, 1])
    assert health.report().reasons == ("gateway not connected (shards 0, 1)",)
    health.mark_gateway_connected(0)
    assert health.report().reasons == ("gateway not connected (shards 1)",)
    health.mark_gateway_connected(1)
    assert health.report().healthy


def test_one_shard_without_heartbeats_makes_it_unhealthy(
    health: HealthState, clock: FakeClock
) -> None:
    health.mark_index_loaded()
    health.expect_shards([0, 1])
    for shard in (0, 1):
        health.mark_gateway_connected(shard)
        health.heartbeat_ack(0.04 + shard / 100, shard)
    clock.advance(100)
    health.heartbeat_ack(0.03, 0)  # shard 0 keeps heartbeating, shard 1 went quiet
    clock.advance(30)
    report = health.report()
    assert report.reasons == ("no gateway heartbeat ack for 130 s on shards 1 (limit 120 s)",)
    assert report.checks["heartbeat_age_seconds"] == 130.0
    assert report.checks["gateway_latency_seconds"] == 0.05  # the slowest shard
    assert report.checks["shards"] == {
        "0": {"connected": True, "heartbeat_age_seconds": 30.0, "latency_seconds": 0.03},
        "1": {"connected": True, "heartbeat_age_seconds": 130.0, "latency_seconds": 0.05},
    }
    health.heartbeat_ack(0.02, 1)
    assert health.report().healthy
